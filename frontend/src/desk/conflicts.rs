//! The conflict review queue: both versions side by side, the changed fields marked, a
//! choice and a reason.

use konvergen_shared::supervision::{ConflictView, Resolution, ResolveRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api::{self, Fetched};
use super::cache_note;
use crate::i18n::{Key, tr};
use crate::session::Session;

/// Open conflicts of the area.
#[component]
pub fn ConflictsView(session: Session) -> impl IntoView {
    let token = StoredValue::new(session.token);
    let reload = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        reload.track();
        let token = token.get_value();
        async move { api::get::<Vec<ConflictView>>(&token, "/api/v1/supervision/conflicts").await }
    });
    view! {
        <section data-testid="conflicts-view">
            {move || list.get().map(|result| match result {
                Ok(Fetched { data, cached_at_ms }) => {
                    let empty = data.is_empty();
                    view! {
                        {cache_note(cached_at_ms)}
                        {empty.then(|| view! { <p data-testid="no-conflicts">{tr(Key::NoConflicts)}</p> })}
                        {data.into_iter().map(|c| view! { <ConflictCard conflict=c token=token reload=reload /> }).collect_view()}
                    }.into_any()
                }
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ConflictCard(
    conflict: ConflictView,
    token: StoredValue<String>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let id = conflict.id;
    let resolve = move |resolution: Resolution| {
        let request = ResolveRequest {
            resolution,
            merged_body: None,
            reason: reason.get_untracked(),
        };
        let token = token.get_value();
        spawn_local(async move {
            let path = format!("/api/v1/supervision/conflicts/{id}/resolve");
            match api::send::<_, ConflictView>(&token, "POST", &path, &request).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    view! {
        <div class="card conflict" data-testid="conflict">
            <strong>{conflict.entity.clone()}" · "{conflict.username.clone()}</strong>
            <table>
                <tr><th></th><th>{tr(Key::ServerVersion)}</th><th>{tr(Key::IncomingVersion)}</th></tr>
                {conflict.diff.iter().map(|d| view! {
                    <tr class="changed" data-testid="diff-row">
                        <td>{d.field.clone()}</td><td>{d.server.to_string()}</td><td>{d.incoming.to_string()}</td>
                    </tr>
                }).collect_view()}
            </table>
            <label class="field"><span class="label">{tr(Key::Reason)}</span>
                <input data-testid="conflict-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </label>
            {move || error.get().map(|message| view! { <p class="error" role="alert" data-testid="conflict-error">{message}</p> })}
            <div class="actions">
                <button class="secondary" data-testid="keep-server" on:click=move |_| resolve(Resolution::KeepServer)>{tr(Key::KeepServer)}</button>
                <button class="primary" data-testid="take-incoming" on:click=move |_| resolve(Resolution::TakeIncoming)>{tr(Key::TakeIncoming)}</button>
            </div>
        </div>
    }
}
