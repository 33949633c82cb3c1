//! Compiles the Fluent catalogues (`locales/id.ftl`, `locales/en.ftl`, and the desk's own
//! `locales/desk-id.ftl`, `locales/desk-en.ftl`) into Rust.
//!
//! Translators edit plain Fluent files; the app gets a `Key` enum and static tables, so the
//! phone pays nothing at run time for parsing (no Fluent runtime in the wasm module: every
//! kilobyte counts on 3G). The build fails, naming the file and the message, when:
//! - a file does not parse as Fluent;
//! - a message is missing in one language, or its two versions use different variables;
//! - a message uses a Fluent feature the app does not render (selectors, terms, functions,
//!   attributes): plain text and `{ $variable }` only.
//!
//! Messages without variables become `Key` variants (`sign-in` → `Key::SignIn`); messages
//! with variables become functions in `mod msg` taking one argument per variable, in the order
//! they first appear in the Indonesian text, so a missing or misnamed argument is a compile
//! error in the component.

use std::path::PathBuf;

#[path = "build/catalogue.rs"]
mod catalogue;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let read = |lang: &str| {
        let path = dir.join("locales").join(format!("{lang}.ftl"));
        println!("cargo:rerun-if-changed={}", path.display());
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let code = catalogue::compile(&read("id"), &read("en"))
        .unwrap_or_else(|problem| panic!("frontend/locales/{problem}"));
    // The desk's own strings, apart: the cadre module never references their tables, so
    // its first load carries none of them.
    let desk = catalogue::compile_as(&read("desk-id"), &read("desk-en"), &catalogue::Names::DESK)
        .unwrap_or_else(|problem| panic!("frontend/locales/desk-{problem}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets this"));
    std::fs::write(out.join("catalogue.rs"), code).expect("OUT_DIR is writable");
    std::fs::write(out.join("desk_catalogue.rs"), desk).expect("OUT_DIR is writable");
}
