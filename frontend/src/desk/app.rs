//! The root of the desk's own wasm module (`konvergen-desk`, served at `/desk/`). Signing in
//! happens in the cadre app at `/`, which sends supervisors and the province here; without
//! such a session this page sends the browser back there.

use konvergen_shared::api::Role;
use leptos::prelude::*;

use super::Desk;
use crate::{AppBar, go_to};

/// Root component of the desk module.
#[component]
pub fn DeskApp() -> impl IntoView {
    crate::i18n::provide_lang();
    let Some(session) = crate::session::current().filter(|s| s.me.role != Role::Cadre) else {
        go_to("/");
        return ().into_any();
    };
    view! {
        <AppBar />
        <main class="content">
            <Desk session=session on_logout=|| go_to("/") />
        </main>
    }
    .into_any()
}
