//! The scorecard indicators and the three possible results of one.

use serde::{Deserialize, Serialize};

/// Scorecard indicators (Tabel 3), written `IH-1` … `PA-1` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Indicator {
    /// IH-1 antenatal care visits.
    #[serde(rename = "IH-1")]
    Ih1,
    /// IH-2 iron tablets taken.
    #[serde(rename = "IH-2")]
    Ih2,
    /// IH-3 postnatal checks.
    #[serde(rename = "IH-3")]
    Ih3,
    /// IH-4 nutrition counselling / pregnancy class.
    #[serde(rename = "IH-4")]
    Ih4,
    /// IH-5 home visits for KEK or high-risk pregnancies.
    #[serde(rename = "IH-5")]
    Ih5,
    /// IH-6 safe drinking water in the pregnant woman's household.
    #[serde(rename = "IH-6")]
    Ih6,
    /// IH-7 proper latrine in the pregnant woman's household.
    #[serde(rename = "IH-7")]
    Ih7,
    /// IH-8 health insurance of the pregnant woman.
    #[serde(rename = "IH-8")]
    Ih8,
    /// AN-1 complete basic immunisation.
    #[serde(rename = "AN-1")]
    An1,
    /// AN-2 weighed every month.
    #[serde(rename = "AN-2")]
    An2,
    /// AN-3 length/height measured.
    #[serde(rename = "AN-3")]
    An3,
    /// AN-4 parent attends nutrition counselling.
    #[serde(rename = "AN-4")]
    An4,
    /// AN-5 home visits for undernourished or stunted children.
    #[serde(rename = "AN-5")]
    An5,
    /// AN-6 safe drinking water in the child's household.
    #[serde(rename = "AN-6")]
    An6,
    /// AN-7 proper latrine in the child's household.
    #[serde(rename = "AN-7")]
    An7,
    /// AN-8 birth certificate.
    #[serde(rename = "AN-8")]
    An8,
    /// AN-9 health insurance of the child.
    #[serde(rename = "AN-9")]
    An9,
    /// AN-10 parent attends a parenting class.
    #[serde(rename = "AN-10")]
    An10,
    /// PA-1 child 2-6 years attends PAUD.
    #[serde(rename = "PA-1")]
    Pa1,
}

/// Code, Indonesian label and English label of each indicator, in scorecard order.
const CATALOGUE: [(Indicator, &str, &str, &str); 19] = [
    (
        Indicator::Ih1,
        "IH-1",
        "Ibu hamil periksa kehamilan ≥4 kali",
        "Pregnant woman had ≥4 antenatal visits",
    ),
    (
        Indicator::Ih2,
        "IH-2",
        "Ibu hamil minum pil Fe ≥90 hari",
        "Pregnant woman took iron tablets ≥90 days",
    ),
    (
        Indicator::Ih3,
        "IH-3",
        "Ibu bersalin periksa nifas ≥3 kali",
        "Mother had ≥3 postnatal checks",
    ),
    (
        Indicator::Ih4,
        "IH-4",
        "Ibu hamil ikut konseling gizi/kelas ibu hamil",
        "Pregnant woman attended nutrition counselling",
    ),
    (
        Indicator::Ih5,
        "IH-5",
        "Ibu hamil KEK/risti dikunjungi bidan",
        "KEK/high-risk pregnant woman visited at home",
    ),
    (
        Indicator::Ih6,
        "IH-6",
        "RT ibu hamil punya air minum aman",
        "Pregnant woman's household has safe water",
    ),
    (
        Indicator::Ih7,
        "IH-7",
        "RT ibu hamil punya jamban sehat",
        "Pregnant woman's household has a proper latrine",
    ),
    (
        Indicator::Ih8,
        "IH-8",
        "Ibu hamil punya jaminan kesehatan",
        "Pregnant woman has health insurance",
    ),
    (
        Indicator::An1,
        "AN-1",
        "Anak imunisasi dasar lengkap",
        "Child has complete basic immunisation",
    ),
    (
        Indicator::An2,
        "AN-2",
        "Anak ditimbang setiap bulan",
        "Child weighed every month",
    ),
    (
        Indicator::An3,
        "AN-3",
        "Anak diukur panjang/tinggi badan",
        "Child's length/height measured",
    ),
    (
        Indicator::An4,
        "AN-4",
        "Orang tua ikut konseling gizi",
        "Parent attended nutrition counselling",
    ),
    (
        Indicator::An5,
        "AN-5",
        "Anak gizi kurang/buruk/stunting dikunjungi",
        "Undernourished/stunted child visited at home",
    ),
    (
        Indicator::An6,
        "AN-6",
        "RT anak punya air minum aman",
        "Child's household has safe water",
    ),
    (
        Indicator::An7,
        "AN-7",
        "RT anak punya jamban sehat",
        "Child's household has a proper latrine",
    ),
    (
        Indicator::An8,
        "AN-8",
        "Anak punya akta kelahiran",
        "Child has a birth certificate",
    ),
    (
        Indicator::An9,
        "AN-9",
        "Anak punya jaminan kesehatan",
        "Child has health insurance",
    ),
    (
        Indicator::An10,
        "AN-10",
        "Orang tua ikut kelas pengasuhan",
        "Parent attended a parenting class",
    ),
    (
        Indicator::Pa1,
        "PA-1",
        "Anak 2-6 tahun aktif di PAUD",
        "Child 2-6 years attends PAUD",
    ),
];

impl Indicator {
    /// All 19 indicators in scorecard order.
    pub const ALL: [Self; 19] = {
        let mut all = [Self::Ih1; 19];
        let mut i = 0;
        while i < 19 {
            // `entry` looks indicators up by discriminant: the catalogue must follow the enum.
            assert!(CATALOGUE[i].0 as usize == i);
            all[i] = CATALOGUE[i].0;
            i += 1;
        }
        all
    };

    fn entry(self) -> &'static (Indicator, &'static str, &'static str, &'static str) {
        &CATALOGUE[self as usize]
    }

    /// Code as printed on the scorecard (`IH-1`).
    pub fn code(self) -> &'static str {
        self.entry().1
    }

    /// Short Indonesian label.
    pub fn label_id(self) -> &'static str {
        self.entry().2
    }

    /// Short English label.
    pub fn label_en(self) -> &'static str {
        self.entry().3
    }

    /// The form group the indicator belongs to.
    pub fn group(self) -> TargetGroup {
        match self as usize {
            0..=7 => TargetGroup::Pregnant,
            8..=17 => TargetGroup::Child,
            _ => TargetGroup::Paud,
        }
    }
}

/// Result of one indicator for one person in a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// Received.
    Y,
    /// Should have received, did not.
    T,
    /// Not applicable (tidak sasaran): never in a denominator.
    TS,
}

/// The name the task notes use for [`Outcome`].
pub type IndicatorResult = Outcome;

/// Which form a person is followed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    /// Pregnant woman (2A).
    Pregnant,
    /// Child 0-23 months (2B).
    Child,
    /// Child 2-6 years (2C).
    Paud,
}

impl TargetGroup {
    /// Whether the group belongs to the first 1000 days (pregnancy and children 0-23 months).
    pub fn is_1000hpk(self) -> bool {
        self != Self::Paud
    }
}
