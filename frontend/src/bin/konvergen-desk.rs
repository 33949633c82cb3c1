//! Entry point of the desk module (supervisors and the province), served at `/desk/`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(konvergen_frontend::desk::DeskApp);
}
