//! Exact fractions for coverage and convergence figures, formatted deterministically.

use serde::{Deserialize, Serialize};

use super::Indicator;

/// An exact fraction; shown as a percentage with one decimal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
}

impl Ratio {
    /// A fraction `num / den`.
    pub fn new(num: u64, den: u64) -> Self {
        Self { num, den }
    }

    /// Percentage rounded half up to one decimal, e.g. `"66.7"`; `None` when 0/0.
    pub fn percent_1dp(self) -> Option<String> {
        let tenths = self.per_mille()?;
        Some(format!("{}.{}", tenths / 10, tenths % 10))
    }

    /// Percentage in tenths of a percent (per mille), rounded half up.
    pub fn per_mille(self) -> Option<u64> {
        self.scaled(1000)
    }

    /// Percentage in hundredths of a percent (basis points), rounded half up.
    pub fn basis_points(self) -> Option<u64> {
        self.scaled(10_000)
    }

    /// `num / den × scale` rounded half up, in exact integer arithmetic.
    fn scaled(self, scale: u128) -> Option<u64> {
        let (num, den) = (u128::from(self.num), u128::from(self.den));
        let rounded = (den > 0).then(|| (num * scale * 2 + den) / (2 * den))?;
        u64::try_from(rounded).ok()
    }

    /// As a floating-point percentage (for charts and spreadsheets only).
    pub fn percent(self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 * 100.0 / self.den as f64)
    }

    /// The sum of two fractions' parts (for pooling counts, not averaging rates).
    pub fn pooled(self, other: Self) -> Self {
        Self::new(self.num + other.num, self.den + other.den)
    }
}

/// Coverage of one indicator in a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The indicator.
    pub indicator: Indicator,
    /// Persons with Y.
    pub received: u64,
    /// Persons with Y or T (TS excluded).
    pub applicable: u64,
    /// Persons with TS.
    pub not_applicable: u64,
}

impl Coverage {
    /// received / applicable: `Y / (assessed − TS)`.
    pub fn ratio(self) -> Ratio {
        Ratio::new(self.received, self.applicable)
    }

    /// Persons with any result for the indicator.
    pub fn assessed(self) -> u64 {
        self.applicable + self.not_applicable
    }
}
