//! The village's households with search, and what still waits to be sent.

use konvergen_shared::register::Household;
use konvergen_shared::sync::EntityKind;
use leptos::prelude::*;

use crate::AppCtx;
use crate::i18n::{Key, t, tr, use_lang};
use crate::pages::Page;
use crate::register;
use crate::sync::Phase;

/// One row of the list.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: uuid::Uuid,
    head: String,
    place: String,
    members: usize,
    pending: bool,
}

/// The household list.
#[component]
pub fn HomePage() -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    let rows = Memo::new(move |_| {
        let state = ctx.state();
        let needle = query.get().to_lowercase();
        let counts = register::member_counts(&state);
        let mut rows: Vec<Row> = register::live::<Household>(&state, EntityKind::Household)
            .filter(|(_, h)| h.head_name.to_lowercase().contains(&needle))
            .map(|(id, h)| Row {
                id,
                place: format!("RT {} / RW {}", h.rt, h.rw),
                head: h.head_name,
                members: counts.get(&id).copied().unwrap_or(0),
                pending: state.has_pending(id),
            })
            .collect();
        konvergen_shared::sort::sort_by(&mut rows, |a, b| a.head.cmp(&b.head));
        rows
    });
    view! {
        <section class="home">
            <SyncLine />
            <input
                class="search"
                type="search"
                data-testid="search"
                aria-label=move || t(lang.get(), Key::Search)
                placeholder=move || t(lang.get(), Key::Search)
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <button class="primary wide" data-testid="add-household" on:click=move |_| ctx.page.set(Page::HouseholdEdit(None))>
                {tr(Key::AddHousehold)}
            </button>
            <Show when=move || rows.get().is_empty()>
                <p class="empty">{tr(Key::NoHouseholds)}</p>
            </Show>
            <ul class="list" data-testid="household-list">
                <For each=move || rows.get() key=|row| (row.id, row.head.clone(), row.members, row.pending) let:row>
                    <li>
                        <button class="row" data-testid="household-row" on:click=move |_| ctx.page.set(Page::Household(row.id))>
                            <strong>{row.head.clone()}</strong>
                            <span class="muted">{row.place.clone()}" · "{row.members}</span>
                            <Show when=move || row.pending>
                                <span class="pending" data-testid="row-pending">{tr(Key::Pending)}</span>
                            </Show>
                        </button>
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// Whether the phone is in step with the server, in one line.
#[component]
pub fn SyncLine() -> impl IntoView {
    let ctx = AppCtx::get();
    let lang = use_lang();
    let status = move || match ctx.sync.phase.get() {
        Phase::UpToDate => t(lang.get(), Key::Synced),
        Phase::Running => t(lang.get(), Key::Syncing),
        Phase::Idle => t(lang.get(), Key::NotSynced),
        Phase::Behind(key) => t(lang.get(), key),
    };
    view! {
        <div class="sync-line" role="status" data-testid="sync-status" data-phase=move || phase_name(ctx.sync.phase.get())>
            {status}
        </div>
    }
}

/// A string field of a record body ("" when absent).
pub fn text(body: &serde_json::Value, field: &str) -> String {
    body[field].as_str().unwrap_or_default().to_owned()
}

/// Stable name of a sync phase, for tests and styling.
pub fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Idle => "idle",
        Phase::Running => "running",
        Phase::UpToDate => "synced",
        Phase::Behind(_) => "behind",
    }
}
