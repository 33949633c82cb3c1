//! The root of the desk's own wasm module (`konvergen-desk`, served at `/desk/`). Signing in
//! happens in the cadre app at `/`, which sends supervisors and the province here; without
//! such a session this page sends the browser back there.

use konvergen_shared::api::Role;
use leptos::context::Provider;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Desk;
use crate::AppCtx;
use crate::files::Files;
use crate::session::Session;
use crate::store::DeviceDb;
use crate::{AppBar, go_to};

/// The file worker, copied next to the desk's module (`frontend/desk/index.html`).
const WORKER_SCRIPT: &str = "/desk/files-worker.js";

/// A regency's team (coordinator and agencies) syncs its own records like a cadre's phone:
/// the same device database, outbox and sync runs ([`AppCtx`]), so the team's forms work
/// offline. The province has no such records.
async fn team_sync(session: &Session) -> Option<AppCtx> {
    if !matches!(session.me.role, Role::Supervisor | Role::Agency) || session.token.is_empty() {
        return None;
    }
    let db = DeviceDb::open(&session.me.username).await.ok()?;
    let sync = crate::sync::start(db.clone(), session);
    sync.request();
    Some(AppCtx {
        db: StoredValue::new_local(db),
        sync,
        page: RwSignal::new(crate::pages::Page::Home),
        session: StoredValue::new(session.clone()),
    })
}

/// Root component of the desk module.
#[component]
pub fn DeskApp() -> impl IntoView {
    crate::i18n::provide_lang();
    let session = RwSignal::new(None::<(Session, Option<Files>, Option<AppCtx>)>);
    spawn_local(async move {
        match crate::session::restore().await {
            Some(restored) if restored.me.role != Role::Cadre => {
                // The answers this page caches belong to this account only.
                super::api::set_cache_owner(&restored.me.username);
                crate::session::watch_other_tabs(&restored.me.username);
                // Without IndexedDB the desk still works; files then cannot be attached.
                let files = Files::start(&restored.me.username, &restored.token, WORKER_SCRIPT)
                    .await
                    .ok();
                let team = team_sync(&restored).await;
                session.set(Some((restored, files, team)));
            }
            _ => go_to("/"),
        }
    });
    view! {
        <AppBar />
        <main class="content">
            {move || session.get().map(|(session, files, team)| {
                let desk = move || view! { <Desk session=session.clone() /> };
                match (files, team) {
                    (Some(files), Some(team)) => view! { <Provider value=files><Provider value=team>{desk()}</Provider></Provider> }.into_any(),
                    (Some(files), None) => view! { <Provider value=files>{desk()}</Provider> }.into_any(),
                    (None, Some(team)) => view! { <Provider value=team>{desk()}</Provider> }.into_any(),
                    (None, None) => desk().into_any(),
                }
            })}
        </main>
    }
}
