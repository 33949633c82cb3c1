//! The province's per-item review: only of a submitted checklist, a note for every item that
//! needs revision, a return that may rely on those notes, no verification while one remains,
//! and reviews that survive a new submission with changed items flagged.

use konvergen_shared::actions::{
    Catalogue, Checklist, ReviewInput, Status, Transition, Verdict, WorkflowError,
};
use time::Duration;

use super::support::{catalogue, complete, district, evidenced, noon, province};

fn submitted(catalogue: &Catalogue) -> Checklist {
    let mut checklist = complete(catalogue);
    checklist
        .transition_at(catalogue, &Transition::Submit, &district(), noon())
        .expect("submit");
    checklist
}

fn revise(note: &str) -> ReviewInput {
    ReviewInput {
        verdict: Verdict::NeedsRevision,
        note: note.into(),
    }
}

fn accept() -> ReviewInput {
    ReviewInput {
        verdict: Verdict::Accepted,
        note: String::new(),
    }
}

fn review(
    checklist: &mut Checklist,
    catalogue: &Catalogue,
    key: &str,
    input: &ReviewInput,
) -> Result<(), WorkflowError> {
    checklist.review_item(catalogue, key, input, "provinsi.kalsel", noon())
}

fn fields(result: Result<(), WorkflowError>) -> Vec<(String, String)> {
    match result {
        Err(WorkflowError::Invalid(errors)) => {
            errors.into_iter().map(|e| (e.field, e.code)).collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

fn give_back(reason: &str) -> Transition {
    Transition::Return {
        reason: reason.into(),
    }
}

#[test]
fn only_a_submitted_checklist_is_reviewed() {
    let catalogue = catalogue();
    for status in [Status::Draft, Status::Returned, Status::Verified] {
        let mut checklist = complete(&catalogue);
        checklist.status = status;
        let result = review(&mut checklist, &catalogue, "a1.1", &accept());
        assert_eq!(result, Err(WorkflowError::NotAllowed(status)));
        assert!(checklist.reviews.is_empty());
    }
}

#[test]
fn a_review_names_a_known_item_and_a_revision_says_what_to_fix() {
    let catalogue = catalogue();
    let mut checklist = submitted(&catalogue);
    let unknown = review(&mut checklist, &catalogue, "a9.9", &accept());
    assert_eq!(fields(unknown), [pair("key", "unknown_item")]);
    let silent = review(&mut checklist, &catalogue, "a1.1", &revise("  \n"));
    assert_eq!(fields(silent), [pair("note", "required")]);
    let long = "x".repeat(1001);
    let too_long = review(&mut checklist, &catalogue, "a1.1", &revise(&long));
    assert_eq!(fields(too_long), [pair("note", "too_long")]);
    assert!(checklist.reviews.is_empty(), "nothing stored on a refusal");

    review(&mut checklist, &catalogue, "a1.1", &accept()).expect("accepted without a note");
    review(
        &mut checklist,
        &catalogue,
        "a1.2",
        &revise(" Notulen belum ditandatangani "),
    )
    .expect("revision with a note");
    let stored = checklist.review("a1.2").expect("stored");
    assert_eq!(
        (
            stored.verdict,
            stored.note.as_str(),
            stored.reviewer.as_str()
        ),
        (
            Verdict::NeedsRevision,
            "Notulen belum ditandatangani",
            "provinsi.kalsel"
        )
    );
    assert_eq!((stored.at, stored.changed_since), (noon(), false));
}

#[test]
fn a_return_may_rely_on_the_item_notes_alone() {
    let catalogue = catalogue();
    let mut accepted_only = submitted(&catalogue);
    review(&mut accepted_only, &catalogue, "a1.1", &accept()).expect("review");
    let refused = accepted_only.transition_at(&catalogue, &give_back(" "), &province(), noon());
    assert_eq!(fields(refused), [pair("reason", "required")]);

    let mut checklist = submitted(&catalogue);
    review(
        &mut checklist,
        &catalogue,
        "a1.2",
        &revise("Lampirkan notulen"),
    )
    .expect("review");
    checklist
        .transition_at(&catalogue, &give_back("  "), &province(), noon())
        .expect("returned on the item note");
    assert_eq!(checklist.status, Status::Returned);
    assert_eq!(
        checklist.return_reason(),
        None,
        "a blank reason is kept as none"
    );
    assert_eq!(
        checklist.review("a1.2").map(|r| r.note.as_str()),
        Some("Lampirkan notulen"),
        "the district reads the item's note"
    );
}

#[test]
fn verifying_waits_until_no_item_needs_revision() {
    let catalogue = catalogue();
    let mut checklist = submitted(&catalogue);
    review(
        &mut checklist,
        &catalogue,
        "a1.2",
        &revise("Lampirkan notulen"),
    )
    .expect("review");
    let Err(WorkflowError::Invalid(errors)) =
        checklist.transition_at(&catalogue, &Transition::Verify, &province(), noon())
    else {
        panic!("verify must be refused while an item needs revision");
    };
    assert_eq!(
        (errors[0].field.as_str(), errors[0].code.as_str()),
        ("reviews", "needs_revision")
    );
    let label = &catalogue.evidence("a1.2").expect("item").label_id;
    assert!(
        errors[0].message_id.contains(label.as_str()),
        "{}",
        errors[0].message_id
    );
    assert_eq!(checklist.status, Status::Submitted);

    review(&mut checklist, &catalogue, "a1.2", &accept()).expect("accepted now");
    checklist
        .transition_at(&catalogue, &Transition::Verify, &province(), noon())
        .expect("verified");
}

#[test]
fn reviews_survive_a_new_submission_and_changed_items_are_flagged() {
    let catalogue = catalogue();
    let mut checklist = submitted(&catalogue);
    review(&mut checklist, &catalogue, "a1.1", &revise("Tautan mati")).expect("review");
    review(
        &mut checklist,
        &catalogue,
        "a1.2",
        &revise("Kurang tanda tangan"),
    )
    .expect("review");
    checklist
        .transition_at(&catalogue, &give_back(""), &province(), noon())
        .expect("return");

    // The same content again (an offline save sent twice) is no change; a new link is.
    let later = noon() + Duration::HOUR;
    checklist
        .update_item(&catalogue, "a1.2", evidenced(), later)
        .expect("same content");
    let fixed = konvergen_shared::actions::ItemState {
        links: vec!["https://dokumen.example/baru.pdf".into()],
        ..evidenced()
    };
    checklist
        .update_item(&catalogue, "a1.1", fixed, later)
        .expect("fixed");
    checklist
        .transition_at(&catalogue, &Transition::Submit, &district(), later)
        .expect("resubmit");

    let flags = |c: &Checklist, key: &str| c.review(key).map(|r| (r.verdict, r.changed_since));
    assert_eq!(
        flags(&checklist, "a1.1"),
        Some((Verdict::NeedsRevision, true))
    );
    assert_eq!(
        flags(&checklist, "a1.2"),
        Some((Verdict::NeedsRevision, false))
    );
    // A new review of the changed item starts afresh.
    review(&mut checklist, &catalogue, "a1.1", &accept()).expect("review again");
    assert_eq!(flags(&checklist, "a1.1"), Some((Verdict::Accepted, false)));
}

#[test]
fn the_wire_format_is_snake_case_and_older_checklists_still_read() {
    let catalogue = catalogue();
    let mut checklist = submitted(&catalogue);
    review(
        &mut checklist,
        &catalogue,
        "a1.2",
        &revise("Lampirkan notulen"),
    )
    .expect("review");
    let json = serde_json::to_value(&checklist).expect("json");
    assert_eq!(json["reviews"]["a1.2"]["verdict"], "needs_revision");
    assert_eq!(json["reviews"]["a1.2"]["at"], "2026-05-04T12:00:00+08:00");
    assert!(json["reviews"]["a1.2"].get("changed_since").is_none());

    let mut older = json;
    older.as_object_mut().expect("object").remove("reviews");
    let read: Checklist = serde_json::from_value(older).expect("older body");
    assert!(read.reviews.is_empty());
    let bad: Result<ReviewInput, _> = serde_json::from_str(r#"{"verdict": "maybe", "note": ""}"#);
    assert!(bad.is_err());
}

#[test]
fn a_checklist_received_whole_has_its_reviews_checked() {
    let catalogue = catalogue();
    let mut checklist = submitted(&catalogue);
    review(
        &mut checklist,
        &catalogue,
        "a1.2",
        &revise("Lampirkan notulen"),
    )
    .expect("review");
    let mut forged = checklist.clone();
    let mut copied = checklist.reviews["a1.2"].clone();
    copied.note.clear();
    forged.reviews.insert("a9.9".into(), copied);
    let errors = forged.validate(&catalogue).expect_err("refused");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("reviews.a9.9", "unknown_item"),
            ("reviews.a9.9.note", "required")
        ]
    );
    assert_eq!(checklist.validate(&catalogue), Ok(()));
}
