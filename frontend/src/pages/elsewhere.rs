//! Screens that live in the full module (`crate::Screens`). Opening one loads that module in
//! place of this one: from the service worker's cache when it is kept there, otherwise from
//! the server. Offline and not yet kept, the cadre reads why and can try again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{Key, tr};
use crate::pages::Page;
use crate::pwa;

/// The scorecard screen of the first-load module.
pub fn scorecard() -> AnyView {
    view! { <Elsewhere path=Page::Scorecard.path() /> }.into_any()
}

#[component]
fn Elsewhere(path: String) -> impl IntoView {
    let unreachable = RwSignal::new(false);
    let open = move |path: String, retry: bool| {
        spawn_local(async move {
            if pwa::full_module_reachable(retry).await {
                crate::go_to(&path);
            } else {
                unreachable.set(true);
            }
        });
    };
    open(path.clone(), false);
    view! {
        <section class="card" aria-live="polite" data-testid="full-module">
            {move || if unreachable.get() {
                let path = path.clone();
                view! {
                    <p data-testid="full-module-offline">{tr(Key::FullModuleOffline)}</p>
                    <button class="primary" data-testid="full-module-retry"
                        on:click=move |_| { unreachable.set(false); open(path.clone(), true) }>
                        {tr(Key::FullModuleRetry)}
                    </button>
                }.into_any()
            } else {
                view! { <p>{tr(Key::FullModuleLoading)}</p> }.into_any()
            }}
        </section>
    }
}
