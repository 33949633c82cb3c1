//! Which devices and villages have synced, and what is stuck.

use konvergen_shared::supervision::SyncStatus;
use leptos::prelude::*;

use super::api::{self, Fetched};
use super::{cache_note, when};
use crate::i18n::{Key, tr};
use crate::session::Session;

/// The sync-status table of the supervisor's area.
#[component]
pub fn StatusView(session: Session) -> impl IntoView {
    let token = session.token;
    let status = LocalResource::new(move || {
        let token = token.clone();
        async move {
            api::get::<SyncStatus>(&token, "/api/v1/supervision/sync-status?silent_days=7").await
        }
    });
    view! {
        <section data-testid="status-view">
            {move || status.get().map(|result| match result {
                Ok(Fetched { data, cached_at_ms }) => view! { {cache_note(cached_at_ms)} {tables(data)} }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{err.message}</p> }.into_any(),
            })}
        </section>
    }
}

fn tables(status: SyncStatus) -> impl IntoView {
    let missing: Vec<_> = status
        .villages
        .iter()
        .filter(|v| !v.synced_this_month)
        .map(|v| format!("{} ({})", v.name, v.district_name))
        .collect();
    view! {
        <h3>{tr(Key::VillagesNotSent)}</h3>
        {if missing.is_empty() {
            view! { <p data-testid="all-sent">{tr(Key::AllVillagesSent)}</p> }.into_any()
        } else {
            view! { <ul class="list small" data-testid="villages-not-sent">{missing.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}</ul> }.into_any()
        }}
        <h3>{tr(Key::Devices)}</h3>
        <table data-testid="device-table">
            <tr><th>{tr(Key::Cadre)}</th><th>{tr(Key::LastPush)}</th><th>{tr(Key::Backlog)}</th><th>{tr(Key::KnownLoss)}</th></tr>
            {status.devices.into_iter().map(|d| view! {
                <tr data-testid="device-row" class:flag={d.backlog || d.silent || d.known_lost_mutations > 0}
                    data-backlog=d.backlog.to_string() data-silent=d.silent.to_string()>
                    <td>{d.display_name}<br/><span class="muted">{d.villages.join(", ")}</span></td>
                    <td>{when(d.last_push_ms)}</td>
                    <td data-testid="device-backlog">{d.outbox_size.unwrap_or(0)}</td>
                    <td>{d.known_lost_mutations}</td>
                </tr>
            }).collect_view()}
        </table>
    }
}
