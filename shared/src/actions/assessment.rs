//! The province's performance assessment (Penilaian Kinerja): component scores, weights per
//! year (default documents 60 / presentation 20 / field verification 20), total and ranking.

use serde::{Deserialize, Serialize};

use crate::api::FieldError;
use crate::validate::Problems;

/// Weights in percent; they must add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights {
    /// Document review on the web.
    pub documents: u32,
    /// District presentation.
    pub presentation: u32,
    /// Field verification / exhibition.
    pub field: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            documents: 60,
            presentation: 20,
            field: 20,
        }
    }
}

impl Weights {
    /// Checks that the weights add up to 100.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::default();
        if self.documents + self.presentation + self.field != 100 {
            problems.push(
                "weights",
                "sum",
                "Jumlah bobot harus 100",
                "Weights must add up to 100",
            );
        }
        problems.into_result()
    }
}

/// Component scores of one district, in hundredths (0-10000 = 0.00-100.00), so totals are
/// exact and round the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// Documents, 0-10000.
    pub documents: u32,
    /// Presentation, 0-10000.
    pub presentation: u32,
    /// Field verification, 0-10000.
    pub field: u32,
}

impl Scores {
    /// Each score within 0-100.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::default();
        for (field, value) in [
            ("documents", self.documents),
            ("presentation", self.presentation),
            ("field", self.field),
        ] {
            if value > 10_000 {
                problems.push(
                    field,
                    "out_of_range",
                    "Nilai harus 0-100",
                    "Scores must be 0-100",
                );
            }
        }
        problems.into_result()
    }

    /// Weighted total in hundredths, rounded half up.
    pub fn total(&self, weights: Weights) -> u32 {
        let weighted = u64::from(self.documents) * u64::from(weights.documents)
            + u64::from(self.presentation) * u64::from(weights.presentation)
            + u64::from(self.field) * u64::from(weights.field);
        ((weighted + 50) / 100) as u32
    }
}

/// One line of the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// Rank (1 = best; ties share a rank, the next rank skips: 1, 2, 2, 4).
    pub rank: u32,
    /// Regency code.
    pub regency_code: String,
    /// Total in hundredths.
    pub total: u32,
}

/// Ranks districts by total, best first; ties share a rank and are listed by code.
pub fn rank(totals: &[(String, u32)]) -> Vec<Ranked> {
    let mut sorted: Vec<&(String, u32)> = totals.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut ranked = Vec::with_capacity(sorted.len());
    for (index, (code, total)) in sorted.iter().enumerate() {
        let rank = match ranked.last() {
            Some(Ranked {
                rank,
                total: previous,
                ..
            }) if previous == total => *rank,
            _ => index as u32 + 1,
        };
        ranked.push(Ranked {
            rank,
            regency_code: code.clone(),
            total: *total,
        });
    }
    ranked
}

/// Formats hundredths as `83.33`.
pub fn format_score(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}
