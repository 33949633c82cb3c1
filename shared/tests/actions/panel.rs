//! The panel's arithmetic and ranking: rounding at each step, mean and median, categories
//! ranked apart, ties shared, and the rubric's own checks.

use std::collections::BTreeMap;

use konvergen_shared::actions::panel::{
    Sheet, SheetScore, aggregate, district_score, rank_by_category,
};
use konvergen_shared::actions::rubric::{Aggregation, Rubric};

fn sheet(grades: &[(&str, &str)]) -> Sheet {
    Sheet {
        grades: grades
            .iter()
            .map(|(k, g)| ((*k).to_owned(), (*g).to_owned()))
            .collect(),
        recommendation: String::new(),
    }
}

fn total(value: u32) -> SheetScore {
    SheetScore {
        components: BTreeMap::new(),
        total: value,
    }
}

#[test]
fn a_sheet_scores_the_mean_per_component_then_the_weighted_sum() {
    let rubric = Rubric::default_for(2026);
    // Documents: A, B, C = (100 + 75 + 50) / 3 = 75.00; presentation: A, D = 62.50; field: B = 75.00.
    let graded = sheet(&[
        ("documents.complete", "A"),
        ("documents.quality", "B"),
        ("documents.data", "C"),
        ("presentation.mastery", "A"),
        ("presentation.commitment", "D"),
        ("field.match", "B"),
    ]);
    let score = graded.score(&rubric);
    assert_eq!(score.components["documents"], 7_500);
    assert_eq!(score.components["presentation"], 6_250);
    assert_eq!(score.components["field"], 7_500);
    // 75 * 0.6 + 62.5 * 0.2 + 75 * 0.2 = 72.50
    assert_eq!(score.total, 7_250);
    assert!(graded.validate(&rubric, true).is_ok());
}

#[test]
fn a_mean_component_rounds_half_up_to_hundredths() {
    let rubric = Rubric::default_for(2026);
    // (100 + 100 + 75) / 3 = 91.666… → 91.67
    let graded = sheet(&[
        ("documents.complete", "A"),
        ("documents.quality", "A"),
        ("documents.data", "B"),
    ]);
    assert_eq!(graded.score(&rubric).components["documents"], 9_167);
    // A draft's missing indicators count nothing, and it cannot be submitted.
    assert_eq!(graded.score(&rubric).components["field"], 0);
    let missing = graded.validate(&rubric, true).expect_err("incomplete");
    assert_eq!(missing.len(), 3);
    assert!(graded.validate(&rubric, false).is_ok());
}

#[test]
fn mean_and_median_of_the_panel() {
    assert_eq!(aggregate(Aggregation::Mean, &[8_000, 7_000, 7_001]), 7_334);
    assert_eq!(
        aggregate(Aggregation::Mean, &[1, 2]),
        2,
        "1.5 hundredths rounds up"
    );
    assert_eq!(
        aggregate(Aggregation::Median, &[9_000, 1_000, 7_000]),
        7_000
    );
    assert_eq!(aggregate(Aggregation::Median, &[1_000, 2_001]), 1_501);
    assert_eq!(aggregate(Aggregation::Mean, &[]), 0);
}

/// Rank, regency code and total of one ranked district.
type RankedLine<'a> = (u32, &'a str, u32);

#[test]
fn categories_are_ranked_apart_and_ties_share_a_rank() {
    let mut rubric = Rubric::aspects_for(2026);
    rubric
        .district_categories
        .insert("63.01".to_owned(), "lokus_nasional".to_owned());
    rubric
        .district_categories
        .insert("63.02".to_owned(), "lokus".to_owned());
    rubric
        .district_categories
        .insert("63.03".to_owned(), "lokus".to_owned());
    rubric
        .district_categories
        .insert("63.04".to_owned(), "lokus".to_owned());
    let sheets: BTreeMap<String, Vec<SheetScore>> = [
        ("63.01", vec![total(6_000)]),
        ("63.02", vec![total(8_000), total(7_000)]),
        ("63.03", vec![total(7_500)]),
        ("63.04", vec![total(7_000)]),
        ("63.05", vec![total(9_000)]),
        ("63.06", vec![]),
    ]
    .into_iter()
    .map(|(code, scores)| (code.to_owned(), scores))
    .collect();
    let ranking = rank_by_category(&rubric, &sheets);
    let shape: Vec<(Option<&str>, Vec<RankedLine>)> = ranking
        .iter()
        .map(|group| {
            let lines = group
                .districts
                .iter()
                .map(|d| (d.rank, d.regency_code.as_str(), d.score.total))
                .collect();
            (group.category.as_deref(), lines)
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            (
                Some("lokus"),
                vec![
                    (1, "63.02", 7_500),
                    (1, "63.03", 7_500),
                    (3, "63.04", 7_000)
                ]
            ),
            (Some("lokus_nasional"), vec![(1, "63.01", 6_000)]),
            (None, vec![(1, "63.05", 9_000)]),
        ],
        "a district without sheets is not ranked"
    );
    assert_eq!(district_score(&rubric, &sheets["63.02"]).total, 7_500);
}

#[test]
fn a_rubric_checks_its_weights_keys_scales_and_categories() {
    assert!(Rubric::default_for(2026).validate().is_ok());
    assert!(Rubric::aspects_for(2026).validate().is_ok());
    let mut broken = Rubric::default_for(2026);
    broken.components[0].weight = 70;
    broken.components[1].indicators[0].key = "documents.complete".to_owned();
    broken.components[2].indicators[0].grades.truncate(1);
    broken.components[2].indicators[0].grades[0].points = 10_001;
    broken
        .district_categories
        .insert("63.03".to_owned(), "lokus".to_owned());
    let fields: Vec<String> = broken
        .validate()
        .expect_err("broken")
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "components",
            "components[1].indicators[0].key",
            "components[2].indicators[0].grades",
            "components[2].indicators[0].grades[0].points",
            "district_categories.63.03",
        ]
    );
}
