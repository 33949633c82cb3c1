//! konvergen web app: the cadre's offline-first tool and the supervisors' views.

pub mod api;
pub mod components;
pub mod i18n;

use leptos::prelude::*;

use crate::components::connection::ConnectionBadge;
use crate::i18n::{Key, Lang, t};

/// Root component: the app shell.
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::Id);
    provide_context(lang);
    view! {
        <header class="app-bar">
            <h1 data-testid="app-name">"konvergen"</h1>
            <ConnectionBadge />
        </header>
        <main class="content">
            <p data-testid="tagline">{move || t(lang.get(), Key::Tagline)}</p>
        </main>
    }
}
