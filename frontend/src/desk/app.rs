//! The root of the desk's own wasm module (`konvergen-desk`, served at `/desk/`). Signing in
//! happens in the cadre app at `/`, which sends supervisors and the province here; without
//! such a session this page sends the browser back there.

use konvergen_shared::api::Role;
use leptos::context::Provider;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Desk;
use crate::files::Files;
use crate::session::Session;
use crate::{AppBar, go_to};

/// The file worker, copied next to the desk's module (`frontend/desk/index.html`).
const WORKER_SCRIPT: &str = "/desk/files-worker.js";

/// Root component of the desk module.
#[component]
pub fn DeskApp() -> impl IntoView {
    crate::i18n::provide_lang();
    let session = RwSignal::new(None::<(Session, Option<Files>)>);
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
                session.set(Some((restored, files)));
            }
            _ => go_to("/"),
        }
    });
    view! {
        <AppBar />
        <main class="content">
            {move || session.get().map(|(session, files)| match files {
                Some(files) => view! { <Provider value=files><Desk session=session /></Provider> }.into_any(),
                None => view! { <Desk session=session /> }.into_any(),
            })}
        </main>
    }
}
