//! Deleting a registration: a button that asks once more, because on a small screen a slip
//! of the thumb must not remove a household or a child.

use konvergen_shared::sync::{EntityKind, Operation};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

use crate::AppCtx;
use crate::i18n::{Key, tr};

/// Deletes record `id` after a confirmation, then calls `on_deleted`. The delete is queued
/// like any edit, so it works offline and reaches the server with the next sync.
#[component]
pub fn DeleteButton(
    entity: EntityKind,
    id: Uuid,
    #[prop(into)] on_deleted: Callback<()>,
) -> impl IntoView {
    let ctx = AppCtx::get();
    let asking = RwSignal::new(false);
    let delete = move |_| {
        let db = ctx.db.get_value();
        spawn_local(async move {
            if db
                .edit(entity, id, Operation::Delete, Value::Null)
                .await
                .is_ok()
            {
                ctx.sync.data_changed();
                on_deleted.run(());
            }
        });
    };
    let ask = move || {
        view! {
            <button class="danger wide" data-testid="delete" on:click=move |_| asking.set(true)>{tr(Key::Delete)}</button>
        }
    };
    view! {
        <Show when=move || asking.get() fallback=ask>
            <div class="confirm" role="alertdialog" data-testid="delete-confirm">
                <p>{tr(Key::DeleteConfirm)}</p>
                <div class="pair">
                    <button class="danger" data-testid="delete-yes" on:click=delete>{tr(Key::DeleteYes)}</button>
                    <button class="secondary" data-testid="delete-no" on:click=move |_| asking.set(false)>{tr(Key::Cancel)}</button>
                </div>
            </div>
        </Show>
    }
}
