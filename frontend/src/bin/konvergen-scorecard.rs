//! Entry point of the cadre app's full module, served at `/scorecard/`: the same app with every
//! screen, loaded when the cadre opens the scorecard (and kept by the service worker for
//! offline use after her first sync).

use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| {
        view! { <konvergen_frontend::App screens=konvergen_frontend::Screens::FULL /> }
    });
}
