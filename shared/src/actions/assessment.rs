//! The province's performance assessment (Penilaian Kinerja): weights per year (default
//! documents 60 / presentation 20 / field verification 20), component scores, weighted total.
//!
//! Scores are kept in hundredths of a point (`8333` = 83.33) so that totals are exact integer
//! arithmetic and round the same on every platform; the ranking is in [`super::ranking`].

use serde::{Deserialize, Serialize};

use super::checklist::Checklist;
use super::workflow::{Status, WorkflowError};
use crate::api::FieldError;
use crate::validate::ValidationErrors;

pub use super::ranking::{Assessment, Ranked, assess, rank};
pub use super::score_text::{format_score, parse_score};

/// Highest score in hundredths (100.00).
pub const MAX_SCORE: u32 = 10_000;

/// Weights of the three components in whole percent; they must add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AssessmentWeights {
    /// Review of the uploaded documents.
    pub documents: u32,
    /// District presentation.
    pub presentation: u32,
    /// Field verification or exhibition.
    pub field: u32,
}

/// The former name of [`AssessmentWeights`], kept for existing callers.
pub type Weights = AssessmentWeights;

impl Default for AssessmentWeights {
    /// 60/20/20, as in Bengkulu's PK 2023 (domain notes §1.3).
    fn default() -> Self {
        Self {
            documents: 60,
            presentation: 20,
            field: 20,
        }
    }
}

impl AssessmentWeights {
    /// Checks that the weights add up to exactly 100 (a weight of 0 drops a component).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        let sum = u64::from(self.documents) + u64::from(self.presentation) + u64::from(self.field);
        if sum != 100 {
            let id = format!("Jumlah bobot harus 100, sekarang {sum}");
            let en = format!("Weights must add up to 100, not {sum}");
            errors.push("weights", "sum", &id, &en);
        }
        errors.into_result()
    }
}

/// Component scores of one district, each in hundredths (0-10000 = 0.00-100.00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Scores {
    /// Documents, 0-10000.
    pub documents: u32,
    /// Presentation, 0-10000.
    pub presentation: u32,
    /// Field verification, 0-10000.
    pub field: u32,
}

impl Scores {
    /// Checks that each score lies within 0.00-100.00.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        for (field, value) in [
            ("documents", self.documents),
            ("presentation", self.presentation),
            ("field", self.field),
        ] {
            if value > MAX_SCORE {
                let (id, en) = ("Nilai harus 0-100", "A score must be 0-100");
                errors.push(field, "out_of_range", id, en);
            }
        }
        errors.into_result()
    }

    /// Weighted total in hundredths, rounded half up (the exact value is never negative).
    ///
    /// With valid weights and scores the result lies within 0-10000.
    pub fn total(&self, weights: AssessmentWeights) -> u32 {
        let weighted = u64::from(self.documents) * u64::from(weights.documents)
            + u64::from(self.presentation) * u64::from(weights.presentation)
            + u64::from(self.field) * u64::from(weights.field);
        // `weighted` is in ten-thousandths of a point; +50 then /100 rounds half up.
        u32::try_from((weighted + 50) / 100).unwrap_or(u32::MAX)
    }
}

/// The scores the province gave one district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictScores {
    /// Regency code.
    pub regency_code: String,
    /// Component scores.
    pub scores: Scores,
}

/// Scores a district's checklist: only a verified checklist can be scored, because the
/// province's document review is only final once it has accepted the evidence.
pub fn score_checklist(
    checklist: &Checklist,
    scores: Scores,
) -> Result<DistrictScores, WorkflowError> {
    if checklist.status != Status::Verified {
        return Err(WorkflowError::NotAllowed(checklist.status));
    }
    scores.validate().map_err(WorkflowError::Invalid)?;
    Ok(DistrictScores {
        regency_code: checklist.regency_code.clone(),
        scores,
    })
}
