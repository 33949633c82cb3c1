//! Entry point of the cadre app's first-load module: every screen a cadre needs on day one
//! (the scorecard is in the full module, `src/bin/konvergen-scorecard.rs`).

use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| {
        view! { <konvergen_frontend::App screens=konvergen_frontend::Screens::FIRST_LOAD /> }
    });
}
