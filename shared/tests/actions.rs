//! The 8-action catalogue, checklist workflow and assessment arithmetic.

use konvergen_shared::actions::assessment::format_score;
use konvergen_shared::actions::{
    Catalogue, Checklist, ItemState, Scores, Status, Transition, Weights, WorkflowError, rank,
};
use proptest::prelude::*;

fn evidenced() -> ItemState {
    ItemState {
        done: true,
        links: vec!["https://drive.example/bukti.pdf".into()],
        ..ItemState::default()
    }
}

fn complete(catalogue: &Catalogue) -> Checklist {
    let mut checklist = Checklist::new("63.03", 2026, catalogue);
    for item in catalogue
        .actions
        .iter()
        .flat_map(|a| &a.evidence)
        .filter(|e| e.required)
    {
        checklist
            .set_item(catalogue, &item.key, evidenced())
            .expect("set");
    }
    checklist
}

#[test]
fn the_catalogue_has_eight_actions_and_round_trips() {
    let catalogue = Catalogue::default_for(2026);
    assert_eq!(catalogue.actions.len(), 8);
    assert!(
        catalogue
            .actions
            .iter()
            .all(|a| !a.name_id.is_empty() && !a.name_en.is_empty() && !a.evidence.is_empty())
    );
    let json = serde_json::to_string(&catalogue).expect("json");
    assert_eq!(
        serde_json::from_str::<Catalogue>(&json).expect("back"),
        catalogue
    );
}

#[test]
fn workflow_allows_exactly_the_documented_steps() {
    let catalogue = Catalogue::default_for(2026);
    let reason = || Transition::Return {
        reason: "Lengkapi notulen".into(),
    };
    let cases: [(Status, Transition, Option<Status>); 12] = [
        (Status::Draft, Transition::Submit, Some(Status::Submitted)),
        (Status::Draft, Transition::Verify, None),
        (Status::Draft, reason(), None),
        (Status::Submitted, Transition::Submit, None),
        (
            Status::Submitted,
            Transition::Verify,
            Some(Status::Verified),
        ),
        (Status::Submitted, reason(), Some(Status::Returned)),
        (
            Status::Returned,
            Transition::Submit,
            Some(Status::Submitted),
        ),
        (Status::Returned, Transition::Verify, None),
        (Status::Returned, reason(), None),
        (Status::Verified, Transition::Submit, None),
        (Status::Verified, Transition::Verify, None),
        (Status::Verified, reason(), None),
    ];
    for (from, step, to) in cases {
        let mut checklist = complete(&catalogue);
        checklist.status = from;
        let result = checklist.transition(&catalogue, &step, "tester", 1);
        match to {
            Some(expected) => {
                assert_eq!(result, Ok(()), "{from:?} --{step:?}");
                assert_eq!(checklist.status, expected);
                assert_eq!(
                    checklist.history.last().map(|h| h.by.as_str()),
                    Some("tester")
                );
            }
            None => assert_eq!(
                result,
                Err(WorkflowError::NotAllowed(from)),
                "{from:?} --{step:?}"
            ),
        }
    }
}

#[test]
fn a_return_needs_a_reason_and_shows_it() {
    let catalogue = Catalogue::default_for(2026);
    let mut checklist = complete(&catalogue);
    checklist
        .transition(&catalogue, &Transition::Submit, "banjar", 1)
        .expect("submit");
    let blank = checklist.transition(
        &catalogue,
        &Transition::Return {
            reason: "  ".into(),
        },
        "prov",
        2,
    );
    assert!(matches!(blank, Err(WorkflowError::Invalid(ref f)) if f[0].field == "reason"));
    checklist
        .transition(
            &catalogue,
            &Transition::Return {
                reason: "Notulen rembuk belum ada".into(),
            },
            "prov",
            3,
        )
        .expect("return");
    assert_eq!(checklist.return_reason(), Some("Notulen rembuk belum ada"));
    assert!(checklist.editable());
}

#[test]
fn submitting_lists_every_missing_required_item() {
    let catalogue = Catalogue::default_for(2026);
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    checklist
        .set_item(&catalogue, "a1.1", evidenced())
        .expect("set");
    checklist
        .set_item(
            &catalogue,
            "a1.2",
            ItemState {
                done: true,
                ..ItemState::default()
            },
        )
        .expect("set");
    let Err(WorkflowError::Invalid(missing)) =
        checklist.transition(&catalogue, &Transition::Submit, "banjar", 1)
    else {
        panic!("submit must be refused");
    };
    let required = catalogue
        .actions
        .iter()
        .flat_map(|a| &a.evidence)
        .filter(|e| e.required)
        .count();
    assert_eq!(
        missing.len(),
        required - 1,
        "a1.2 is done but has no evidence, so it is still missing"
    );
    assert!(missing.iter().any(|m| m.field == "items.a1.2"));
    assert!(missing[0].message_id.starts_with("Aksi 1"));
}

#[test]
fn links_must_be_web_addresses_and_items_must_exist() {
    let catalogue = Catalogue::default_for(2026);
    let mut checklist = Checklist::new("63.03", 2026, &catalogue);
    let bad = ItemState {
        done: true,
        links: vec!["file:///c:/x.pdf".into()],
        ..ItemState::default()
    };
    assert!(
        matches!(checklist.set_item(&catalogue, "a1.1", bad), Err(WorkflowError::Invalid(f)) if f[0].field == "links[0]")
    );
    assert!(
        matches!(checklist.set_item(&catalogue, "a9.1", evidenced()), Err(WorkflowError::Invalid(f)) if f[0].code == "unknown_item")
    );
}

#[test]
fn weights_and_totals() {
    assert_eq!(Weights::default().validate(), Ok(()));
    assert!(
        Weights {
            documents: 50,
            presentation: 20,
            field: 20
        }
        .validate()
        .is_err()
    );
    let scores = Scores {
        documents: 8000,
        presentation: 7000,
        field: 9000,
    };
    assert_eq!(format_score(scores.total(Weights::default())), "80.00");
    let other = Weights {
        documents: 50,
        presentation: 30,
        field: 20,
    };
    assert_eq!(
        format_score(
            Scores {
                documents: 8333,
                presentation: 9000,
                field: 7550
            }
            .total(other)
        ),
        "83.77"
    ); // 41.665 + 27 + 15.1 = 83.765, half up
    assert!(
        Scores {
            documents: 10_001,
            presentation: 0,
            field: 0
        }
        .validate()
        .is_err()
    );
}

#[test]
fn ties_share_a_rank() {
    let ranked = rank(&[
        ("63.02".into(), 7000),
        ("63.01".into(), 8000),
        ("63.05".into(), 7000),
        ("63.03".into(), 6000),
    ]);
    let view: Vec<(u32, &str)> = ranked
        .iter()
        .map(|r| (r.rank, r.regency_code.as_str()))
        .collect();
    assert_eq!(
        view,
        [(1, "63.01"), (2, "63.02"), (2, "63.05"), (4, "63.03")]
    );
}

proptest! {
    #[test]
    fn totals_stay_in_range_and_ranking_is_ordered(scores in proptest::collection::vec((0_u32..=10_000, 0_u32..=10_000, 0_u32..=10_000), 1..20)) {
        let totals: Vec<(String, u32)> = scores
            .iter()
            .enumerate()
            .map(|(i, (d, p, f))| (format!("63.{i:02}"), Scores { documents: *d, presentation: *p, field: *f }.total(Weights::default())))
            .collect();
        prop_assert!(totals.iter().all(|(_, t)| *t <= 10_000));
        let ranked = rank(&totals);
        prop_assert_eq!(ranked.len(), totals.len());
        prop_assert!(ranked.windows(2).all(|w| w[0].total >= w[1].total && w[0].rank <= w[1].rank));
    }
}
