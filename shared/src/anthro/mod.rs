//! Anthropometry: WHO 2006 z-scores (HAZ, WAZ, WHZ, BAZ) with implausibility flags and the
//! Permenkes 2/2020 categories, reproducing WHO's R package `anthro` 1.1.0 exactly (all 400
//! cases of `tests/data/who-sample-cases.csv`).
//!
//! The rules come from the README of the WHO tables (provenance in
//! `data/who-growth/PROVENANCE.md`): day-indexed tables; the 0.7 cm length/height conversion
//! with the switch at day 731; standing under 9 months treated as unknown position;
//! weight-for-length or -height chosen by age, never by length; interpolation between 0.1 cm
//! rows in exact decimal arithmetic (lengths are integers of 0.01 mm); the restricted
//! ("SD23") z-score beyond ±3 SD for WAZ, WHZ and BAZ; one rounding to two decimals, with flags
//! and categories decided on the rounded value; nothing from 60 months (1826.25 days) on;
//! oedema leaves only HAZ.
//!
//! Entry points: [`compute`] for one [`Measurement`], [`plausibility()`] for the app's
//! "re-measure" prompt, [`sd_lines`] for growth charts and [`batch::run`] for CSV files.
//!
//! # How the tables get into the app
//!
//! Measured with `gzip -9` on the five CSV files this module needs:
//!
//! | table | CSV raw | CSV gzipped | packed raw | packed gzipped |
//! |---|---|---|---|---|
//! | lhfa | 114,950 B | 28,379 B | 14,630 B | 3,590 B |
//! | wfa | 108,165 B | 35,704 B | 12,748 B | 3,289 B |
//! | bfa | 135,411 B | 33,884 B | 11,309 B | 3,472 B |
//! | wfl | 39,657 B | 10,142 B | 5,224 B | 1,835 B |
//! | wfh | 34,073 B | 8,643 B | 4,424 B | 1,479 B |
//! | all five | 432,256 B | 116,752 B | 48,335 B | 13,665 B |
//!
//! Compiled in as CSV text (`include_str!`) the tables would take a third of the 350 KB
//! gzipped budget of the app's first load; as a separately cached asset they would cost the
//! same bytes plus a second cache and a "tables not loaded yet" state, and z-scores are needed
//! offline from the first visit. So `build.rs` packs them into delta-coded varints (exact: see
//! there), `tables.rs` embeds them with `include_bytes!` and decodes each table once, on first
//! use, behind a `OnceLock`. They add about 14 KB gzipped to the wasm module. The monthly WHO
//! tables are not shipped: the chart lines are sampled from the day tables (see [`chart`]).

pub mod batch;
pub mod category;
pub mod chart;
pub mod plausibility;
pub mod record;
pub mod tables;
mod zscore;

pub use category::{Stunting, Underweight, Wasting};
pub use chart::sd_lines;
pub use plausibility::{Index, Plausibility, plausibility};
pub use zscore::compute;

use std::fmt;

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
    /// The z-score as WHO prints it, e.g. `-2.05`; zero is `0.00` whichever side it came from.
    pub text: String,
    /// The same value in hundredths, for exact comparisons with cut-offs.
    pub centi: i32,
    /// Biologically implausible: check and re-measure; excluded from prevalence.
    pub flagged: bool,
}

impl ZScore {
    /// The rounded z-score as a number (`-2.05`); use [`ZScore::centi`] for comparisons.
    pub fn value(&self) -> f64 {
        f64::from(self.centi) / 100.0
    }
}

/// Writes the z-score exactly as WHO prints it, e.g. `-2.05`.
impl fmt::Display for ZScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
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
        plausibility(self).needs_remeasure()
    }
}
