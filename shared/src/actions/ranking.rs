//! Ranking districts by their weighted total: best first, ties share a rank ("1224"
//! competition ranking) and are listed by regency code so the table is stable.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::assessment::{AssessmentWeights, DistrictScores};
use crate::api::FieldError;
use crate::validate::ValidationErrors;

/// One line of the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// Rank, 1 = best; equal totals share a rank and the next rank skips (1, 2, 2, 4).
    pub rank: u32,
    /// Regency code.
    pub regency_code: String,
    /// Weighted total in hundredths.
    pub total: u32,
}

/// Ranks `(regency code, total in hundredths)` pairs, best first.
pub fn rank(totals: &[(String, u32)]) -> Vec<Ranked> {
    let mut sorted: Vec<&(String, u32)> = totals.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut ranked: Vec<Ranked> = Vec::with_capacity(sorted.len());
    for (position, (code, total)) in (1_u32..).zip(sorted) {
        let rank = match ranked.last() {
            Some(previous) if previous.total == *total => previous.rank,
            _ => position,
        };
        ranked.push(Ranked {
            rank,
            regency_code: code.clone(),
            total: *total,
        });
    }
    ranked
}

/// The outcome of a year's assessment, with the weights that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Year assessed.
    pub year: i32,
    /// Weights applied.
    pub weights: AssessmentWeights,
    /// Districts, best first.
    pub ranking: Vec<Ranked>,
}

/// Checks weights and scores, computes every total and ranks the districts.
pub fn assess(
    year: i32,
    weights: AssessmentWeights,
    districts: &[DistrictScores],
) -> Result<Assessment, Vec<FieldError>> {
    let mut errors = ValidationErrors::default();
    for error in weights.validate().err().unwrap_or_default() {
        errors.add(error);
    }
    let mut seen = BTreeSet::new();
    for (index, district) in districts.iter().enumerate() {
        let path = format!("districts[{index}]");
        if !seen.insert(district.regency_code.as_str()) {
            let (id, en) = ("Kabupaten/kota dinilai dua kali", "Regency scored twice");
            errors.push(&format!("{path}.regency_code"), "duplicate", id, en);
        }
        for mut error in district.scores.validate().err().unwrap_or_default() {
            error.field = format!("{path}.scores.{}", error.field);
            errors.add(error);
        }
    }
    errors.into_result()?;
    let totals: Vec<(String, u32)> = districts
        .iter()
        .map(|d| (d.regency_code.clone(), d.scores.total(weights)))
        .collect();
    Ok(Assessment {
        year,
        weights,
        ranking: rank(&totals),
    })
}
