//! Whether a measurement can be trusted or should be taken again.
//!
//! WHO flags a z-score as biologically implausible beyond fixed limits (HAZ |z| > 6, WAZ
//! z < −6 or > 5, WHZ and BAZ |z| > 5). In the field such a value is almost always a
//! measuring or typing mistake, so the app asks the cadre to check and measure again; the
//! z-score and category are still shown.

use super::{Anthro, ZScore};

/// One of the four anthropometric indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Index {
    /// Length/height-for-age.
    Haz,
    /// Weight-for-age.
    Waz,
    /// Weight-for-length/height.
    Whz,
    /// BMI-for-age.
    Baz,
}

impl Index {
    /// All four, in the usual reporting order.
    pub const ALL: [Self; 4] = [Self::Haz, Self::Waz, Self::Whz, Self::Baz];

    /// Column name as in the batch output (`haz`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Self::Haz => "haz",
            Self::Waz => "waz",
            Self::Whz => "whz",
            Self::Baz => "baz",
        }
    }

    /// Indonesian name of the index as on the KMS and in Permenkes 2/2020.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Haz => "PB/U atau TB/U",
            Self::Waz => "BB/U",
            Self::Whz => "BB/PB atau BB/TB",
            Self::Baz => "IMT/U",
        }
    }

    /// English name of the index.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Haz => "Length/height-for-age",
            Self::Waz => "Weight-for-age",
            Self::Whz => "Weight-for-length/height",
            Self::Baz => "BMI-for-age",
        }
    }
}

/// Verdict on one measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plausibility {
    /// No z-score is flagged (or none could be computed).
    Plausible,
    /// Implausible: re-measure. Lists the flagged indices in reporting order.
    Remeasure(Vec<Index>),
}

impl Plausibility {
    /// Whether the cadre should check and measure again.
    pub fn needs_remeasure(&self) -> bool {
        matches!(self, Self::Remeasure(_))
    }

    /// Message for the cadre in Bahasa Indonesia (`None` when plausible).
    pub fn message_id(&self) -> Option<&'static str> {
        self.needs_remeasure()
            .then_some("Nilai tidak wajar: periksa kembali dan ukur ulang")
    }

    /// Message in English (`None` when plausible).
    pub fn message_en(&self) -> Option<&'static str> {
        self.needs_remeasure()
            .then_some("Implausible value: check and measure again")
    }
}

impl Anthro {
    /// The z-score of one index.
    pub fn get(&self, index: Index) -> Option<&ZScore> {
        match index {
            Index::Haz => self.haz.as_ref(),
            Index::Waz => self.waz.as_ref(),
            Index::Whz => self.whz.as_ref(),
            Index::Baz => self.baz.as_ref(),
        }
    }
}

/// "Implausible, re-measure" as soon as any z-score carries WHO's implausibility flag.
pub fn plausibility(anthro: &Anthro) -> Plausibility {
    let flagged: Vec<Index> = Index::ALL
        .into_iter()
        .filter(|&index| anthro.get(index).is_some_and(|z| z.flagged))
        .collect();
    if flagged.is_empty() {
        Plausibility::Plausible
    } else {
        Plausibility::Remeasure(flagged)
    }
}
