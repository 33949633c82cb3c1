//! The root of the desk's own wasm module (`konvergen-desk`, served at `/desk/`). Signing in
//! happens in the cadre app at `/`, which sends supervisors and the province here; without
//! such a session this page sends the browser back there.

use konvergen_shared::api::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Desk;
use crate::session::Session;
use crate::{AppBar, go_to};

/// Root component of the desk module.
#[component]
pub fn DeskApp() -> impl IntoView {
    crate::i18n::provide_lang();
    let session = RwSignal::new(None::<Session>);
    spawn_local(async move {
        match crate::session::restore().await {
            Some(restored) if restored.me.role != Role::Cadre => {
                // The answers this page caches belong to this account only.
                super::api::set_cache_owner(&restored.me.username);
                crate::session::watch_other_tabs(&restored.me.username);
                session.set(Some(restored));
            }
            _ => go_to("/"),
        }
    });
    view! {
        <AppBar />
        <main class="content">
            {move || session.get().map(|session| view! { <Desk session=session /> })}
        </main>
    }
}
