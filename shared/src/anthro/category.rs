//! Permenkes 2/2020 categories, decided on the z-score rounded to two decimals.

use serde::{Deserialize, Serialize};

/// Length/height-for-age (PB/U, TB/U).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stunting {
    /// Sangat pendek: z < −3.
    SeverelyStunted,
    /// Pendek: −3 ≤ z < −2.
    Stunted,
    /// Normal: −2 ≤ z ≤ +3.
    Normal,
    /// Tinggi: z > +3.
    Tall,
}

/// Weight-for-age (BB/U).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Underweight {
    /// Berat badan sangat kurang: z < −3.
    SeverelyUnderweight,
    /// Berat badan kurang: −3 ≤ z < −2.
    Underweight,
    /// Normal: −2 ≤ z ≤ +1.
    Normal,
    /// Risiko berat badan lebih: z > +1.
    RiskOfOverweight,
}

/// Weight-for-length/height (BB/PB, BB/TB); also used for BMI-for-age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wasting {
    /// Gizi buruk: z < −3.
    SeverelyWasted,
    /// Gizi kurang: −3 ≤ z < −2.
    Wasted,
    /// Gizi baik: −2 ≤ z ≤ +1.
    Normal,
    /// Berisiko gizi lebih: +1 < z ≤ +2.
    PossibleRiskOfOverweight,
    /// Gizi lebih: +2 < z ≤ +3.
    Overweight,
    /// Obesitas: z > +3.
    Obese,
}

impl Stunting {
    /// Category of a HAZ given in hundredths.
    pub fn of(centi: i32) -> Self {
        match centi {
            ..-300 => Self::SeverelyStunted,
            -300..-200 => Self::Stunted,
            -200..=300 => Self::Normal,
            _ => Self::Tall,
        }
    }

    /// Code as in WHO-style exports (`severely_stunted`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Self::SeverelyStunted => "severely_stunted",
            Self::Stunted => "stunted",
            Self::Normal => "normal",
            Self::Tall => "tall",
        }
    }

    /// Label in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::SeverelyStunted => "Sangat pendek",
            Self::Stunted => "Pendek",
            Self::Normal => "Normal",
            Self::Tall => "Tinggi",
        }
    }

    /// Label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::SeverelyStunted => "Severely stunted",
            Self::Stunted => "Stunted",
            Self::Normal => "Normal",
            Self::Tall => "Tall",
        }
    }

    /// Counted as stunted in prevalence (includes severe).
    pub fn is_stunted(self) -> bool {
        matches!(self, Self::SeverelyStunted | Self::Stunted)
    }
}

impl Underweight {
    /// Category of a WAZ given in hundredths.
    pub fn of(centi: i32) -> Self {
        match centi {
            ..-300 => Self::SeverelyUnderweight,
            -300..-200 => Self::Underweight,
            -200..=100 => Self::Normal,
            _ => Self::RiskOfOverweight,
        }
    }

    /// Export code.
    pub fn code(self) -> &'static str {
        match self {
            Self::SeverelyUnderweight => "severely_underweight",
            Self::Underweight => "underweight",
            Self::Normal => "normal",
            Self::RiskOfOverweight => "risk_of_overweight",
        }
    }

    /// Label in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::SeverelyUnderweight => "Berat badan sangat kurang",
            Self::Underweight => "Berat badan kurang",
            Self::Normal => "Berat badan normal",
            Self::RiskOfOverweight => "Risiko berat badan lebih",
        }
    }

    /// Label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::SeverelyUnderweight => "Severely underweight",
            Self::Underweight => "Underweight",
            Self::Normal => "Normal weight",
            Self::RiskOfOverweight => "Risk of overweight",
        }
    }

    /// Counted as underweight in prevalence (includes severe).
    pub fn is_underweight(self) -> bool {
        matches!(self, Self::SeverelyUnderweight | Self::Underweight)
    }
}

impl Wasting {
    /// Category of a WHZ (or BAZ) given in hundredths.
    pub fn of(centi: i32) -> Self {
        match centi {
            ..-300 => Self::SeverelyWasted,
            -300..-200 => Self::Wasted,
            -200..=100 => Self::Normal,
            101..=200 => Self::PossibleRiskOfOverweight,
            201..=300 => Self::Overweight,
            _ => Self::Obese,
        }
    }

    /// Export code.
    pub fn code(self) -> &'static str {
        match self {
            Self::SeverelyWasted => "severely_wasted",
            Self::Wasted => "wasted",
            Self::Normal => "normal",
            Self::PossibleRiskOfOverweight => "possible_risk_of_overweight",
            Self::Overweight => "overweight",
            Self::Obese => "obese",
        }
    }

    /// Label in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::SeverelyWasted => "Gizi buruk",
            Self::Wasted => "Gizi kurang",
            Self::Normal => "Gizi baik",
            Self::PossibleRiskOfOverweight => "Berisiko gizi lebih",
            Self::Overweight => "Gizi lebih",
            Self::Obese => "Obesitas",
        }
    }

    /// Label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::SeverelyWasted => "Severely wasted",
            Self::Wasted => "Wasted",
            Self::Normal => "Normal",
            Self::PossibleRiskOfOverweight => "Possible risk of overweight",
            Self::Overweight => "Overweight",
            Self::Obese => "Obese",
        }
    }

    /// Counted as wasted in prevalence (includes severe).
    pub fn is_wasted(self) -> bool {
        matches!(self, Self::SeverelyWasted | Self::Wasted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_follow_the_regulation() {
        assert_eq!(Stunting::of(-301), Stunting::SeverelyStunted);
        assert_eq!(Stunting::of(-300), Stunting::Stunted);
        assert_eq!(Stunting::of(-201), Stunting::Stunted);
        assert_eq!(Stunting::of(-200), Stunting::Normal);
        assert_eq!(Stunting::of(300), Stunting::Normal);
        assert_eq!(Stunting::of(301), Stunting::Tall);
        assert_eq!(Underweight::of(100), Underweight::Normal);
        assert_eq!(Underweight::of(101), Underweight::RiskOfOverweight);
        assert_eq!(Wasting::of(100), Wasting::Normal);
        assert_eq!(Wasting::of(200), Wasting::PossibleRiskOfOverweight);
        assert_eq!(Wasting::of(300), Wasting::Overweight);
        assert_eq!(Wasting::of(301), Wasting::Obese);
    }
}
