//! The province's assessment: weights, exact totals, score text, the verified-only rule,
//! and competition ranking.

use konvergen_shared::actions::{
    AssessmentWeights, DistrictScores, Scores, Transition, WorkflowError, assess, format_score,
    parse_score, rank, score_checklist,
};
use proptest::prelude::*;

use super::support::{catalogue, complete, district, noon, province};

fn weights(documents: u32, presentation: u32, field: u32) -> AssessmentWeights {
    AssessmentWeights {
        documents,
        presentation,
        field,
    }
}

fn scores(documents: u32, presentation: u32, field: u32) -> Scores {
    Scores {
        documents,
        presentation,
        field,
    }
}

fn district_scores(code: &str, scores: Scores) -> DistrictScores {
    DistrictScores {
        regency_code: code.into(),
        scores,
    }
}

#[test]
fn weights_must_add_up_to_100() {
    assert_eq!(AssessmentWeights::default(), weights(60, 20, 20));
    let cases = [
        (weights(60, 20, 20), true),
        (weights(50, 30, 20), true),
        (weights(100, 0, 0), true),
        (weights(50, 20, 20), false),
        (weights(60, 30, 20), false),
        (weights(0, 0, 0), false),
        (weights(u32::MAX, 1, 0), false),
    ];
    for (weights, valid) in cases {
        assert_eq!(weights.validate().is_ok(), valid, "{weights:?}");
    }
    let error = &weights(50, 30, 30).validate().expect_err("110")[0];
    assert_eq!(
        (error.field.as_str(), error.message_en.as_str()),
        ("weights", "Weights must add up to 100, not 110")
    );
}

#[test]
fn totals_are_exact_and_round_half_up() {
    let cases = [
        // 48 + 14 + 18 = 80
        (scores(8000, 7000, 9000), weights(60, 20, 20), "80.00"),
        // 40 + 21 + 18 = 79 (the same district with other weights)
        (scores(8000, 7000, 9000), weights(50, 30, 20), "79.00"),
        // 41.665 + 27 + 15.1 = 83.765 -> 83.77
        (scores(8333, 9000, 7550), weights(50, 30, 20), "83.77"),
        // 49.998 + 16.666 + 16.666 = 83.33 exactly
        (scores(8333, 8333, 8333), weights(60, 20, 20), "83.33"),
        // 0.005 rounds up, 0.0049 rounds down
        (scores(1, 0, 0), weights(50, 30, 20), "0.01"),
        (scores(1, 0, 0), weights(49, 31, 20), "0.00"),
        (scores(0, 0, 0), weights(60, 20, 20), "0.00"),
        (
            scores(10_000, 10_000, 10_000),
            weights(34, 33, 33),
            "100.00",
        ),
        // a zero weight drops the component
        (scores(2000, 9000, 9000), weights(0, 50, 50), "90.00"),
    ];
    for (scores, weights, expected) in cases {
        assert_eq!(
            format_score(scores.total(weights)),
            expected,
            "{scores:?} {weights:?}"
        );
    }
}

#[test]
fn scores_are_typed_with_at_most_two_decimals() {
    let good = [
        ("80", 8000),
        ("83.33", 8333),
        ("83,5", 8350),
        (" 0 ", 0),
        ("100", 10_000),
        ("100.00", 10_000),
        ("007.5", 750),
    ];
    for (text, hundredths) in good {
        assert_eq!(parse_score("documents", text), Ok(hundredths), "{text}");
        assert_eq!(
            parse_score("documents", &format_score(hundredths)),
            Ok(hundredths)
        );
    }
    let bad = [
        ("", "invalid_format"),
        ("abc", "invalid_format"),
        ("-5", "invalid_format"),
        ("8.", "invalid_format"),
        (".5", "invalid_format"),
        ("1.2.3", "invalid_format"),
        ("1e2", "invalid_format"),
        ("83.333", "too_precise"),
        ("100.01", "out_of_range"),
        ("99999999999", "out_of_range"),
    ];
    for (text, code) in bad {
        let error = parse_score("field", text).expect_err(text);
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            ("field", code),
            "{text:?}"
        );
    }
    assert!(scores(10_001, 0, 0).validate().is_err());
    assert_eq!(scores(10_000, 0, 10_000).validate(), Ok(()));
}

#[test]
fn only_a_verified_checklist_can_be_scored() {
    let catalogue = catalogue();
    let mut checklist = complete(&catalogue);
    let given = scores(8000, 7000, 9000);
    assert!(matches!(
        score_checklist(&checklist, given),
        Err(WorkflowError::NotAllowed(_))
    ));
    checklist
        .transition_at(&catalogue, &Transition::Submit, &district(), noon())
        .expect("submit");
    assert!(
        score_checklist(&checklist, given).is_err(),
        "submitted is not enough"
    );
    checklist
        .transition_at(&catalogue, &Transition::Verify, &province(), noon())
        .expect("verify");
    assert_eq!(
        score_checklist(&checklist, given),
        Ok(district_scores("63.03", given))
    );
    assert!(matches!(
        score_checklist(&checklist, scores(0, 0, 12_000)),
        Err(WorkflowError::Invalid(_))
    ));
}

#[test]
fn ties_share_a_rank_and_are_listed_by_code() {
    let ranked = rank(&[
        ("63.05".into(), 7000),
        ("63.02".into(), 7000),
        ("63.01".into(), 8000),
        ("63.71".into(), 6000),
        ("63.03".into(), 7000),
        ("63.10".into(), 6000),
    ]);
    let view: Vec<(u32, &str)> = ranked
        .iter()
        .map(|r| (r.rank, r.regency_code.as_str()))
        .collect();
    assert_eq!(
        view,
        [
            (1, "63.01"),
            (2, "63.02"),
            (2, "63.03"),
            (2, "63.05"),
            (5, "63.10"),
            (5, "63.71")
        ]
    );
    assert!(rank(&[]).is_empty());
}

#[test]
fn an_assessment_checks_its_input_and_records_its_weights() {
    let districts = [
        district_scores("63.09", scores(8333, 9000, 7550)),
        district_scores("63.03", scores(8000, 7000, 9000)),
    ];
    let assessment = assess(2026, weights(50, 30, 20), &districts).expect("valid");
    assert_eq!(
        (assessment.year, assessment.weights),
        (2026, weights(50, 30, 20))
    );
    let view: Vec<(u32, &str, u32)> = assessment
        .ranking
        .iter()
        .map(|r| (r.rank, r.regency_code.as_str(), r.total))
        .collect();
    assert_eq!(view, [(1, "63.09", 8377), (2, "63.03", 7900)]);

    let broken = [
        districts[0].clone(),
        district_scores("63.09", scores(0, 10_001, 0)),
    ];
    let fields: Vec<String> = assess(2026, weights(50, 50, 50), &broken)
        .expect_err("broken")
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "weights",
            "districts[1].regency_code",
            "districts[1].scores.presentation"
        ]
    );
}

/// Weights that add up to 100.
fn valid_weights() -> impl Strategy<Value = AssessmentWeights> {
    (0_u32..=100)
        .prop_flat_map(|documents| (Just(documents), 0..=100 - documents))
        .prop_map(|(documents, presentation)| {
            weights(documents, presentation, 100 - documents - presentation)
        })
}

fn valid_scores() -> impl Strategy<Value = Scores> {
    (0_u32..=10_000, 0_u32..=10_000, 0_u32..=10_000).prop_map(|(d, p, f)| scores(d, p, f))
}

proptest! {
    #[test]
    fn a_total_lies_between_the_lowest_and_highest_component(weights in valid_weights(), scores in valid_scores()) {
        let total = scores.total(weights);
        let components = [scores.documents, scores.presentation, scores.field];
        prop_assert!(total <= 10_000);
        prop_assert!(total >= *components.iter().min().unwrap_or(&0));
        prop_assert!(total <= *components.iter().max().unwrap_or(&0));
    }

    #[test]
    fn a_ranking_is_an_ordered_permutation_with_competition_ranks(
        weights in valid_weights(),
        all in proptest::collection::vec(valid_scores(), 0..25),
    ) {
        let districts: Vec<DistrictScores> = all
            .iter()
            .enumerate()
            .map(|(i, s)| district_scores(&format!("63.{:02}", 71 - i), *s))
            .collect();
        let ranking = assess(2026, weights, &districts).expect("valid").ranking;
        let mut codes: Vec<&str> = ranking.iter().map(|r| r.regency_code.as_str()).collect();
        codes.sort_unstable();
        let mut expected: Vec<&str> = districts.iter().map(|d| d.regency_code.as_str()).collect();
        expected.sort_unstable();
        prop_assert_eq!(codes, expected);
        for pair in ranking.windows(2) {
            prop_assert!(pair[0].total > pair[1].total
                || (pair[0].total == pair[1].total && pair[0].regency_code < pair[1].regency_code));
        }
        for row in &ranking {
            let better = ranking.iter().filter(|other| other.total > row.total).count();
            prop_assert_eq!(row.rank as usize, better + 1);
            let own = districts.iter().find(|d| d.regency_code == row.regency_code).map(|d| d.scores.total(weights));
            prop_assert_eq!(Some(row.total), own);
        }
    }
}
