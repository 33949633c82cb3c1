//! Anthropometry: WHO 2006 z-scores (HAZ, WAZ, WHZ, BAZ) with implausibility flags and the
//! Permenkes 2/2020 categories, reproducing WHO's R package `anthro` 1.1.0 exactly.
//!
//! The algorithm follows `data/who-growth/PROVENANCE.md` (copied from the WHO tables' README):
//! day-indexed tables, the 0.7 cm length/height conversion around day 731, weight-for-length
//! or -height chosen by age, interpolation between 0.1 cm rows in exact decimal arithmetic,
//! the restricted ("SD23") z-score beyond ±3 SD, and rounding once to two decimals.

pub mod batch;
pub mod category;
pub mod record;
pub mod tables;
mod zscore;

pub use category::{Stunting, Underweight, Wasting};
pub use zscore::compute;

use serde::{Deserialize, Serialize};

/// Sex of the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Male (`M`, WHO code 1).
    #[serde(rename = "M")]
    Male,
    /// Female (`F`, WHO code 2).
    #[serde(rename = "F")]
    Female,
}

/// How length/height was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Recumbent length (terlentang).
    Lying,
    /// Standing height (berdiri).
    Standing,
    /// Not recorded.
    #[default]
    Unknown,
}

/// One measurement of one child.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Sex.
    pub sex: Sex,
    /// Age in days on the day of measurement (may be fractional; `None` when unknown).
    pub age_days: Option<f64>,
    /// Weight in kg.
    pub weight_kg: Option<f64>,
    /// Length or height in cm, as measured.
    pub length_cm: Option<f64>,
    /// Measuring position.
    pub position: Position,
    /// Bilateral pitting oedema.
    pub oedema: bool,
}

/// A z-score rounded once to two decimals, with its implausibility flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZScore {
    /// The z-score as WHO prints it, e.g. `-2.05` (`-0.00` is kept: it says "just below 0").
    pub text: String,
    /// The same value in hundredths, for exact comparisons with cut-offs.
    pub centi: i32,
    /// Biologically implausible: check and re-measure; excluded from prevalence.
    pub flagged: bool,
}

/// The four indices of one measurement (`None` when not computable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anthro {
    /// Length/height-for-age (PB/U or TB/U).
    pub haz: Option<ZScore>,
    /// Weight-for-age (BB/U).
    pub waz: Option<ZScore>,
    /// Weight-for-length/height (BB/PB or BB/TB).
    pub whz: Option<ZScore>,
    /// BMI-for-age (IMT/U).
    pub baz: Option<ZScore>,
}

impl Anthro {
    /// Stunting category from HAZ.
    pub fn stunting(&self) -> Option<Stunting> {
        self.haz.as_ref().map(|z| Stunting::of(z.centi))
    }

    /// Underweight category from WAZ.
    pub fn underweight(&self) -> Option<Underweight> {
        self.waz.as_ref().map(|z| Underweight::of(z.centi))
    }

    /// Wasting category from WHZ.
    pub fn wasting(&self) -> Option<Wasting> {
        self.whz.as_ref().map(|z| Wasting::of(z.centi))
    }

    /// BMI-for-age category (same cut-offs as weight-for-length).
    pub fn bmi_category(&self) -> Option<Wasting> {
        self.baz.as_ref().map(|z| Wasting::of(z.centi))
    }

    /// Whether any index is flagged: the app asks the cadre to measure again.
    pub fn needs_remeasure(&self) -> bool {
        [&self.haz, &self.waz, &self.whz, &self.baz]
            .into_iter()
            .flatten()
            .any(|z| z.flagged)
    }
}
