//! The review workflow: every allowed and forbidden step, reasons, history, and the
//! refusal to submit while required evidence is missing.

use konvergen_shared::actions::{
    Checklist, ItemState, Status, Transition, WorkflowError, next_status,
};
use time::macros::datetime;

use super::support::{catalogue, complete, district, evidenced, noon, province};

fn give_back() -> Transition {
    Transition::Return {
        reason: "Lengkapi notulen rembuk".into(),
    }
}

#[test]
fn exactly_the_documented_steps_are_allowed() {
    use Status::{Draft, Returned, Submitted, Verified};
    let catalogue = catalogue();
    let cases = [
        (Draft, Transition::Submit, Some(Submitted)),
        (Draft, Transition::Verify, None),
        (Draft, give_back(), None),
        (Submitted, Transition::Submit, None),
        (Submitted, Transition::Verify, Some(Verified)),
        (Submitted, give_back(), Some(Returned)),
        (Returned, Transition::Submit, Some(Submitted)),
        (Returned, Transition::Verify, None),
        (Returned, give_back(), None),
        (Verified, Transition::Submit, None),
        (Verified, Transition::Verify, None),
        (Verified, give_back(), None),
    ];
    for (from, step, to) in cases {
        assert_eq!(next_status(from, &step), to, "{from:?} --{step:?}");
        let mut checklist = complete(&catalogue);
        checklist.status = from;
        let result = checklist.transition_at(&catalogue, &step, &province(), noon());
        match to {
            Some(to) => {
                assert_eq!(result, Ok(()), "{from:?} --{step:?}");
                assert_eq!(checklist.status, to);
                let entry = checklist.history.last().expect("recorded");
                assert_eq!((entry.from, entry.to), (from, to));
                assert_eq!((entry.actor.clone(), entry.at), (province(), noon()));
            }
            None => {
                assert_eq!(
                    result,
                    Err(WorkflowError::NotAllowed(from)),
                    "{from:?} --{step:?}"
                );
                assert_eq!((checklist.status, checklist.history.len()), (from, 0));
            }
        }
    }
}

#[test]
fn a_return_needs_a_reason_and_the_district_sees_it() {
    let catalogue = catalogue();
    let mut checklist = complete(&catalogue);
    checklist
        .transition_at(&catalogue, &Transition::Submit, &district(), noon())
        .expect("submit");
    for blank in ["", "   \n"] {
        let step = Transition::Return {
            reason: blank.into(),
        };
        let Err(WorkflowError::Invalid(errors)) =
            checklist.transition_at(&catalogue, &step, &province(), noon())
        else {
            panic!("a blank reason must be refused");
        };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("reason", "required")
        );
    }
    let too_long = Transition::Return {
        reason: "x".repeat(1001),
    };
    assert!(
        checklist
            .transition_at(&catalogue, &too_long, &province(), noon())
            .is_err()
    );
    assert_eq!(checklist.status, Status::Submitted);

    let step = Transition::Return {
        reason: "  Notulen belum ditandatangani ".into(),
    };
    checklist
        .transition_at(&catalogue, &step, &province(), noon())
        .expect("return");
    assert_eq!(
        checklist.return_reason(),
        Some("Notulen belum ditandatangani")
    );
    assert!(checklist.editable());
    checklist
        .set_item(&catalogue, "a3.2", evidenced())
        .expect("edit while returned");
    let later = datetime!(2026-05-06 09:00 +08:00);
    checklist
        .transition_at(&catalogue, &Transition::Submit, &district(), later)
        .expect("again");
    assert_eq!(checklist.return_reason(), None);
    let steps: Vec<(Status, &str)> = checklist
        .history
        .iter()
        .map(|h| (h.to, h.actor.id.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (Status::Submitted, "17"),
            (Status::Returned, "3"),
            (Status::Submitted, "17")
        ]
    );
}

#[test]
fn submitting_lists_every_required_item_that_lacks_evidence() {
    let catalogue = catalogue();
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    checklist
        .set_item(&catalogue, "a1.1", evidenced())
        .expect("evidenced");
    let done_only = ItemState {
        done: true,
        ..ItemState::default()
    };
    checklist
        .set_item(&catalogue, "a1.2", done_only)
        .expect("done without evidence");
    let linked_only = ItemState {
        done: false,
        ..evidenced()
    };
    checklist
        .set_item(&catalogue, "a2.1", linked_only)
        .expect("evidence, not done");
    let Err(WorkflowError::Invalid(missing)) =
        checklist.transition_at(&catalogue, &Transition::Submit, &district(), noon())
    else {
        panic!("submit must be refused");
    };
    assert_eq!(missing.len(), 19, "20 required items, one complete");
    assert_eq!(missing[0].field, "actions[0].items[1]");
    assert_eq!(missing[0].code, "missing_evidence");
    assert!(
        missing[0]
            .message_id
            .starts_with("Aksi 1: Tabel prevalensi")
    );
    assert_eq!(
        (missing[1].field.as_str(), missing[1].code.as_str()),
        ("actions[1].items[0]", "not_done")
    );
    assert_eq!(
        missing.last().map(|m| m.field.as_str()),
        Some("actions[7].items[1]")
    );
    assert!(missing.iter().all(|m| !m.message_en.is_empty()));
    assert_eq!(
        (checklist.status, checklist.history.len()),
        (Status::Draft, 0)
    );
}

#[test]
fn optional_items_are_not_needed_and_the_catalogue_version_is_recorded() {
    let catalogue = catalogue();
    let mut checklist = complete(&catalogue);
    checklist.catalogue_version = "konvergen-2026-v1".into();
    assert!(checklist.item("a1.3").is_none());
    checklist
        .transition_at(&catalogue, &Transition::Submit, &district(), noon())
        .expect("submit");
    assert_eq!(checklist.catalogue_version, "konvergen-2026-v2");
    assert_eq!(
        checklist.history[0].catalogue_version.as_deref(),
        Some("konvergen-2026-v2")
    );
}

#[test]
fn nothing_can_be_edited_once_submitted_or_verified() {
    let catalogue = catalogue();
    let mut checklist = complete(&catalogue);
    checklist
        .transition_at(&catalogue, &Transition::Submit, &district(), noon())
        .expect("submit");
    for _ in 0..2 {
        let status = checklist.status;
        assert!(!checklist.editable());
        let edit = checklist.set_item(&catalogue, "a1.3", evidenced());
        assert_eq!(edit, Err(WorkflowError::NotAllowed(status)));
        let note = checklist.set_action_note(&catalogue, 1, "catatan");
        assert_eq!(note, Err(WorkflowError::NotAllowed(status)));
        checklist
            .transition_at(&catalogue, &Transition::Verify, &province(), noon())
            .ok();
    }
    assert_eq!(checklist.status, Status::Verified);
}

#[test]
fn the_millisecond_form_records_the_account_and_the_time() {
    let catalogue = catalogue();
    let mut checklist = complete(&catalogue);
    let at_ms = noon().unix_timestamp() * 1000;
    checklist
        .transition(&catalogue, &Transition::Submit, "supervisor.banjar", at_ms)
        .expect("submit");
    let entry = &checklist.history[0];
    assert_eq!(
        (entry.actor.id.as_str(), entry.actor.name.as_str()),
        ("supervisor.banjar", "supervisor.banjar")
    );
    assert_eq!(entry.at, noon());
    let far = checklist.transition(&catalogue, &Transition::Verify, "p", i64::MAX);
    assert!(matches!(far, Err(WorkflowError::Invalid(ref e)) if e[0].field == "at"));
    let nobody = checklist.transition(&catalogue, &Transition::Verify, " ", at_ms);
    assert!(matches!(nobody, Err(WorkflowError::Invalid(ref e)) if e[0].field == "actor.id"));
}

#[test]
fn errors_read_well_and_the_checklist_round_trips_as_json() {
    let not_allowed = WorkflowError::NotAllowed(Status::Verified);
    assert_eq!(
        not_allowed.to_string(),
        "not allowed while the checklist is verified"
    );
    assert_eq!(not_allowed.field_errors()[0].code, "not_allowed");

    let catalogue = catalogue();
    let mut checklist = complete(&catalogue);
    checklist
        .transition_at(&catalogue, &Transition::Submit, &district(), noon())
        .expect("submit");
    checklist
        .transition_at(&catalogue, &give_back(), &province(), noon())
        .expect("return");
    let json = serde_json::to_value(&checklist).expect("json");
    assert_eq!(json["status"], "returned");
    assert_eq!(json["history"][1]["at"], "2026-05-04T12:00:00+08:00");
    assert_eq!(json["history"][1]["reason"], "Lengkapi notulen rembuk");
    let back: Checklist = serde_json::from_value(json).expect("back");
    assert_eq!(back, checklist);
    let step: Transition =
        serde_json::from_str(r#"{"action": "return", "reason": "x"}"#).expect("step");
    assert_eq!(step, Transition::Return { reason: "x".into() });
}
