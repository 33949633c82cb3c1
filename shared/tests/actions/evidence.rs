//! Evidence items: links, file metadata, dates, notes and whole-checklist checks.

use konvergen_shared::actions::{
    Catalogue, Checklist, FileMeta, ItemState, WorkflowError, is_web_url,
};
use time::macros::{date, datetime};

use super::support::{catalogue, evidenced, noon};

fn field_errors(result: Result<(), WorkflowError>) -> Vec<(String, String)> {
    match result {
        Err(WorkflowError::Invalid(errors)) => {
            errors.into_iter().map(|e| (e.field, e.code)).collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn pdf() -> FileMeta {
    FileMeta {
        name: "notulen-rembuk.pdf".into(),
        size: 48_213,
        sha256: "A3F1".repeat(16),
        media_type: "application/pdf".into(),
        taken_at: None,
        pending: false,
    }
}

#[test]
fn links_must_be_full_web_addresses() {
    let good = [
        "https://drive.google.com/file/d/1aB/view?usp=sharing",
        "http://banjarkab.go.id/dokumen",
        "HTTPS://Bappeda.Banjarkab.go.id:8443/a.pdf#hal-2",
        "https://user@dokumen.example/x",
        "https://[2001:db8::1]/a.pdf",
    ];
    for link in good {
        assert!(is_web_url(link), "{link}");
    }
    let long = format!("https://dokumen.example/{}", "a".repeat(2000));
    let bad = [
        "",
        "dokumen.example/a.pdf",
        "ftp://dokumen.example/a.pdf",
        "file:///c:/bukti.pdf",
        "https://",
        "https:///path",
        "https://dokumen example/a",
        "https://.example/a",
        "https://dokumen.example:/a",
        "https://dokumen.example:80a/",
        "javascript:alert(1)",
        "https://dokumen.example/a\nb",
        &long,
    ];
    for link in bad {
        assert!(!is_web_url(link), "{link:?}");
    }
}

#[test]
fn a_bad_link_is_reported_at_its_position() {
    let catalogue = catalogue();
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    let item = ItemState {
        links: vec!["https://ok.example/a".into(), "C:\\bukti.pdf".into()],
        ..evidenced()
    };
    let errors = field_errors(checklist.set_item(&catalogue, "a1.2", item));
    assert_eq!(
        errors,
        [(
            "actions[0].items[1].links[1]".to_owned(),
            "invalid_url".to_owned()
        )]
    );
    assert!(checklist.items.is_empty(), "nothing is stored on error");
}

#[test]
fn file_metadata_is_checked_and_normalised() {
    let catalogue = catalogue();
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    let with_file = ItemState {
        done: true,
        files: vec![pdf()],
        ..ItemState::default()
    };
    checklist
        .set_item(&catalogue, "a3.3", with_file)
        .expect("valid file");
    let stored = checklist.item("a3.3").expect("stored");
    assert_eq!(stored.files[0].sha256, "a3f1".repeat(16));
    assert!(stored.evidenced(), "a file is evidence too");

    let broken = FileMeta {
        name: "../rahasia/notulen.pdf".into(),
        size: 0,
        sha256: "abc".into(),
        media_type: "pdf".into(),
        taken_at: None,
        pending: false,
    };
    let item = ItemState {
        files: vec![pdf(), broken],
        ..ItemState::default()
    };
    let fields: Vec<String> = field_errors(checklist.set_item(&catalogue, "a3.3", item))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    let expected = ["name", "size", "sha256", "media_type"]
        .map(|f| format!("actions[2].items[2].files[1].{f}"));
    assert_eq!(fields, expected);
}

#[test]
fn saving_with_a_clock_stamps_the_item_and_refuses_future_dates() {
    let catalogue = catalogue();
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    let today = ItemState {
        done_on: Some(date!(2026 - 05 - 05)),
        ..evidenced()
    };
    checklist
        .update_item(&catalogue, "a7.1", today, noon())
        .expect("a day ahead is clock slack");
    assert_eq!(
        checklist.item("a7.1").and_then(|i| i.updated_at),
        Some(noon())
    );
    let future = ItemState {
        done_on: Some(date!(2026 - 05 - 06)),
        ..evidenced()
    };
    let errors = field_errors(checklist.update_item(&catalogue, "a7.1", future, noon()));
    assert_eq!(
        errors,
        [(
            "actions[6].items[0].done_on".to_owned(),
            "in_future".to_owned()
        )]
    );
    let note = ItemState {
        note: "x".repeat(2001),
        ..evidenced()
    };
    let errors = field_errors(checklist.update_item(&catalogue, "a7.1", note, noon()));
    assert_eq!(errors[0].0, "actions[6].items[0].note");
}

#[test]
fn items_must_exist_in_the_catalogue_of_the_same_year() {
    let catalogue = catalogue();
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    let errors = field_errors(checklist.set_item(&catalogue, "a9.1", evidenced()));
    assert_eq!(errors, [("key".to_owned(), "unknown_item".to_owned())]);
    let other_year = Catalogue::default_for(2025);
    let errors = field_errors(checklist.set_item(&other_year, "a1.1", evidenced()));
    assert_eq!(errors[0].1, "catalogue_year_mismatch");
}

#[test]
fn action_notes_are_set_cleared_and_checked() {
    let catalogue = catalogue();
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    checklist
        .set_action_note(&catalogue, 3, " Rembuk 12 Sept ")
        .expect("note");
    assert_eq!(
        checklist.action_notes.get(&3).map(String::as_str),
        Some("Rembuk 12 Sept")
    );
    checklist.set_action_note(&catalogue, 3, "").expect("clear");
    assert!(checklist.action_notes.is_empty());
    let errors = field_errors(checklist.set_action_note(&catalogue, 9, "x"));
    assert_eq!(errors[0].1, "unknown_action");
    let errors = field_errors(checklist.set_action_note(&catalogue, 2, &"x".repeat(2001)));
    assert_eq!(errors[0].0, "actions[1].note");
}

#[test]
fn a_whole_checklist_from_a_device_is_validated() {
    let catalogue = catalogue();
    let mut checklist: Checklist = serde_json::from_value(serde_json::json!({
        "regency_code": "63.03.05",
        "year": 2026,
        "catalogue_version": "konvergen-2026-v2",
        "items": {
            "a1.1": {"done": true, "links": ["https://dokumen.example/a.pdf"], "done_on": "2026-05-02"},
            "a1.9": {"done": true},
        },
        "action_notes": {"9": "?"},
    }))
    .expect("the wire shape");
    assert_eq!(
        checklist.item("a1.1").and_then(|i| i.done_on),
        Some(date!(2026 - 05 - 02))
    );
    let fields: Vec<String> = checklist
        .validate(&catalogue)
        .expect_err("invalid")
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["regency_code", "items.a1.9", "action_notes.9"]);
    checklist.regency_code = "6303".into();
    assert_eq!(
        checklist.validate(&catalogue).expect_err("format")[0].code,
        "invalid_format"
    );

    let unknown_field = r#"{"done": true, "link": "https://x.example"}"#;
    assert!(serde_json::from_str::<ItemState>(unknown_field).is_err());
    let stamped = ItemState {
        updated_at: Some(datetime!(2026-05-04 04:00 UTC)),
        ..evidenced()
    };
    let json = serde_json::to_value(&stamped).expect("json");
    assert_eq!(json["updated_at"], "2026-05-04T04:00:00Z");
}
