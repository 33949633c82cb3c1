//! The Fluent catalogue compiler (`frontend/build/catalogue.rs`, run by `build.rs`): what it
//! accepts, what it refuses and why, and that the shipped catalogue is complete.

#[path = "../build/catalogue.rs"]
mod catalogue;

use catalogue::compile;

const ID: &str = "sign-in = Masuk\nquarter-heading = Triwulan { $quarter } { $year }\n";
const EN: &str = "sign-in = Sign in\nquarter-heading = Quarter { $quarter } { $year }\n";

#[test]
fn plain_messages_become_keys_and_messages_with_variables_functions() {
    let code = compile(ID, EN).expect("valid catalogue");
    assert!(code.contains("    SignIn,"), "{code}");
    assert!(code.contains("\"Masuk\""), "{code}");
    assert!(code.contains("\"Sign in\""), "{code}");
    assert!(
        code.contains(
            "pub fn quarter_heading(lang: Lang, quarter: &dyn std::fmt::Display, \
             year: &dyn std::fmt::Display) -> String"
        ),
        "{code}"
    );
    assert!(!code.contains("QuarterHeading"), "{code}");
}

#[test]
fn a_message_missing_in_one_language_is_named() {
    let problem = compile("sign-in = Masuk\nsave = Simpan\n", "sign-in = Sign in\n").unwrap_err();
    assert_eq!(problem, "save: in id.ftl but missing in en.ftl");
    let problem = compile("sign-in = Masuk\n", "sign-in = Sign in\nsave = Save\n").unwrap_err();
    assert_eq!(problem, "save: in en.ftl but missing in id.ftl");
}

#[test]
fn the_two_languages_must_use_the_same_variables() {
    let problem = compile(
        "heading = Triwulan { $quarter }\n",
        "heading = Quarter { $q }\n",
    )
    .unwrap_err();
    assert!(
        problem.starts_with("heading: variables differ"),
        "{problem}"
    );
}

#[test]
fn unsupported_fluent_features_are_refused_by_name() {
    let select = "count = { $n ->\n    [one] satu\n   *[other] banyak\n}\n";
    assert_eq!(
        compile(select, select).unwrap_err(),
        "id.ftl: count: only plain text and { $variable } are supported"
    );
    let term = "-brand = konvergen\n";
    assert_eq!(
        compile(term, term).unwrap_err(),
        "id.ftl: -brand: terms are not supported"
    );
    let attribute = "login = Masuk\n    .title = Masuk ke akun\n";
    assert_eq!(
        compile(attribute, attribute).unwrap_err(),
        "id.ftl: login: attributes are not supported"
    );
}

#[test]
fn broken_syntax_names_the_file_and_line() {
    let problem = compile("sign-in = Masuk\n\nthis is not fluent\n", EN).unwrap_err();
    assert!(
        problem.starts_with("id.ftl: line 3: not valid Fluent"),
        "{problem}"
    );
}

#[test]
fn a_message_defined_twice_is_refused() {
    let twice = "save = Simpan\nsave = Simpan lagi\n";
    assert_eq!(
        compile(twice, "save = Save\n").unwrap_err(),
        "id.ftl: save: defined twice"
    );
}

#[test]
fn escaped_braces_stay_text() {
    let code = compile(
        "brace = buka {\"{\"} tutup\n",
        "brace = open {\"{\"} close\n",
    )
    .expect("an escaped literal is text");
    assert!(code.contains("\"buka { tutup\""), "{code}");
}

#[test]
fn the_shipped_catalogue_compiles() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
    let id = std::fs::read_to_string(format!("{dir}/id.ftl")).expect("id.ftl");
    let en = std::fs::read_to_string(format!("{dir}/en.ftl")).expect("en.ftl");
    compile(&id, &en).expect("the app's catalogue is complete and consistent");
}

#[test]
fn the_desk_catalogue_compiles_under_its_own_names() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
    let id = std::fs::read_to_string(format!("{dir}/desk-id.ftl")).expect("desk-id.ftl");
    let en = std::fs::read_to_string(format!("{dir}/desk-en.ftl")).expect("desk-en.ftl");
    let code = catalogue::compile_as(&id, &en, &catalogue::Names::DESK)
        .expect("the desk's catalogue is complete and consistent");
    assert!(code.contains("pub enum DeskKey {") && code.contains("const DESK_TEXT_ID"));
    assert!(code.contains("pub mod desk_msg {"));
    assert!(
        !code.contains("pub enum Key {"),
        "no clash with the app's catalogue"
    );
}
