//! The panel: each assessor fills a sheet per district against the year's [`Rubric`], the
//! district's score is the aggregate of the submitted sheets, and the districts are ranked
//! per category.
//!
//! Arithmetic, in hundredths throughout and rounded half up at each step so that every
//! platform and an independent check get the same figures:
//! 1. a component's score is the mean of its indicators' grade points;
//! 2. a sheet's total is the weighted sum of its component scores (weights in percent);
//! 3. the district's total is the mean (or median) of its sheets' totals; its component
//!    scores are aggregated the same way, for the breakdown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ranking::rank;
use super::rubric::{Aggregation, Rubric};
use crate::api::FieldError;
use crate::validate::ValidationErrors;

/// Longest recommendation an assessor writes for a district.
pub const MAX_RECOMMENDATION_CHARS: usize = 4000;

/// What one assessor gives one district.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sheet {
    /// The grade code picked per indicator key; a draft may leave indicators out.
    #[serde(default)]
    pub grades: BTreeMap<String, String>,
    /// The assessor's recommendation to the district, published with the ranking.
    #[serde(default)]
    pub recommendation: String,
}

/// A sheet's scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetScore {
    /// Score per component key, in hundredths.
    pub components: BTreeMap<String, u32>,
    /// Weighted total in hundredths.
    pub total: u32,
}

/// Integer division rounded half up (never negative here).
fn div_round(sum: u64, count: u64) -> u32 {
    if count == 0 {
        return 0;
    }
    u32::try_from((2 * sum + count) / (2 * count)).unwrap_or(u32::MAX)
}

impl Sheet {
    /// Checks the sheet against `rubric`: every graded indicator exists and its grade is on
    /// its scale, the recommendation is not too long, and with `complete` every indicator is
    /// graded (a sheet is only submitted complete).
    pub fn validate(&self, rubric: &Rubric, complete: bool) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        for (key, code) in &self.grades {
            let field = format!("grades.{key}");
            match rubric.indicator(key) {
                None => {
                    let (id, en) = (
                        "Indikator tidak ada di rubrik",
                        "Indicator not in the rubric",
                    );
                    errors.push(&field, "unknown_indicator", id, en);
                }
                Some(indicator) if !indicator.grades.iter().any(|g| &g.code == code) => {
                    let id = format!("Nilai {code} tidak ada pada skala indikator ini");
                    let en = format!("Grade {code} is not on this indicator's scale");
                    errors.push(&field, "unknown_grade", &id, &en);
                }
                Some(_) => {}
            }
        }
        if complete {
            for (_, indicator) in rubric.indicators() {
                if !self.grades.contains_key(&indicator.key) {
                    let id = format!("Belum dinilai: {}", indicator.label.id);
                    let en = format!("Not graded yet: {}", indicator.label.en);
                    errors.push(&format!("grades.{}", indicator.key), "required", &id, &en);
                }
            }
        }
        errors.max_len(
            "recommendation",
            self.recommendation.trim(),
            MAX_RECOMMENDATION_CHARS,
        );
        errors.into_result()
    }

    /// The sheet's scores under `rubric`; an indicator not graded counts 0 points, so a
    /// draft's figure is a floor, never more than the final one.
    pub fn score(&self, rubric: &Rubric) -> SheetScore {
        let mut components = BTreeMap::new();
        let mut weighted: u64 = 0;
        for component in &rubric.components {
            let points: u64 = component
                .indicators
                .iter()
                .map(|indicator| {
                    let code = self.grades.get(&indicator.key);
                    let grade = indicator.grades.iter().find(|g| Some(&g.code) == code);
                    u64::from(grade.map_or(0, |g| g.points))
                })
                .sum();
            let score = div_round(points, component.indicators.len() as u64);
            weighted += u64::from(score) * u64::from(component.weight);
            components.insert(component.key.clone(), score);
        }
        SheetScore {
            components,
            total: div_round(weighted, 100),
        }
    }
}

/// Combines values by the rubric's rule.
pub fn aggregate(rule: Aggregation, values: &[u32]) -> u32 {
    match rule {
        Aggregation::Mean => {
            let sum: u64 = values.iter().map(|v| u64::from(*v)).sum();
            div_round(sum, values.len() as u64)
        }
        Aggregation::Median => {
            let mut sorted = values.to_vec();
            sorted.sort_unstable();
            match sorted.len() {
                0 => 0,
                n if n % 2 == 1 => sorted[n / 2],
                n => div_round(u64::from(sorted[n / 2 - 1]) + u64::from(sorted[n / 2]), 2),
            }
        }
    }
}

/// The district's score from its submitted sheets' scores.
pub fn district_score(rubric: &Rubric, sheets: &[SheetScore]) -> SheetScore {
    let totals: Vec<u32> = sheets.iter().map(|s| s.total).collect();
    let components = rubric
        .components
        .iter()
        .map(|component| {
            let values: Vec<u32> = sheets
                .iter()
                .map(|s| s.components.get(&component.key).copied().unwrap_or(0))
                .collect();
            (
                component.key.clone(),
                aggregate(rubric.aggregation, &values),
            )
        })
        .collect();
    SheetScore {
        components,
        total: aggregate(rubric.aggregation, &totals),
    }
}

/// One district in the ranking of its category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedDistrict {
    /// Rank within the category; equal totals share it (1, 2, 2, 4).
    pub rank: u32,
    /// Regency code.
    pub regency_code: String,
    /// The district's score.
    pub score: SheetScore,
    /// Submitted sheets behind it.
    pub assessors: u32,
}

/// The ranking of one category (`None`: districts without a category, or a rubric without
/// categories).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRanking {
    /// Category key.
    pub category: Option<String>,
    /// Districts, best first.
    pub districts: Vec<RankedDistrict>,
}

/// Ranks every district that has at least one submitted sheet, per category, categories in
/// the rubric's order and the uncategorised last.
pub fn rank_by_category(
    rubric: &Rubric,
    sheets: &BTreeMap<String, Vec<SheetScore>>,
) -> Vec<CategoryRanking> {
    let mut groups: Vec<Option<String>> = rubric
        .categories
        .iter()
        .map(|c| Some(c.key.clone()))
        .collect();
    groups.push(None);
    groups
        .into_iter()
        .filter_map(|category| {
            let members: Vec<(&String, SheetScore, u32)> = sheets
                .iter()
                .filter(|(code, scored)| {
                    !scored.is_empty()
                        && rubric.category_of(code).map(|c| c.key.clone()) == category
                })
                .map(|(code, scored)| (code, district_score(rubric, scored), scored.len() as u32))
                .collect();
            if members.is_empty() {
                return None;
            }
            let totals: Vec<(String, u32)> = members
                .iter()
                .map(|(code, score, _)| ((*code).clone(), score.total))
                .collect();
            let by_code: BTreeMap<&String, (&SheetScore, u32)> = members
                .iter()
                .map(|(code, score, n)| (*code, (score, *n)))
                .collect();
            let districts = rank(&totals)
                .into_iter()
                .map(|ranked| {
                    let (score, assessors) = by_code[&ranked.regency_code];
                    RankedDistrict {
                        rank: ranked.rank,
                        regency_code: ranked.regency_code,
                        score: score.clone(),
                        assessors,
                    }
                })
                .collect();
            Some(CategoryRanking {
                category,
                districts,
            })
        })
        .collect()
}
