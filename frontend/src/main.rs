//! Entry point of the web app: mount the root component.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(konvergen_frontend::App);
}
