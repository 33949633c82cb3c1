//! The quarterly recap (forms 3A/3B) and the coverage, convergence level (TKD) and
//! complete-package figures built on it. All results carry the id of the rule set that
//! produced them.

pub mod person;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ids::{HouseholdId, PersonId};

use crate::monitoring::YearMonth;
pub use rules::RuleSet;

/// Scorecard indicators (Tabel 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Indicator {
    #[serde(rename = "IH-1")]
    Ih1,
    #[serde(rename = "IH-2")]
    Ih2,
    #[serde(rename = "IH-3")]
    Ih3,
    #[serde(rename = "IH-4")]
    Ih4,
    #[serde(rename = "IH-5")]
    Ih5,
    #[serde(rename = "IH-6")]
    Ih6,
    #[serde(rename = "IH-7")]
    Ih7,
    #[serde(rename = "IH-8")]
    Ih8,
    #[serde(rename = "AN-1")]
    An1,
    #[serde(rename = "AN-2")]
    An2,
    #[serde(rename = "AN-3")]
    An3,
    #[serde(rename = "AN-4")]
    An4,
    #[serde(rename = "AN-5")]
    An5,
    #[serde(rename = "AN-6")]
    An6,
    #[serde(rename = "AN-7")]
    An7,
    #[serde(rename = "AN-8")]
    An8,
    #[serde(rename = "AN-9")]
    An9,
    #[serde(rename = "AN-10")]
    An10,
    #[serde(rename = "PA-1")]
    Pa1,
}

impl Indicator {
    /// All 19 indicators in scorecard order.
    pub const ALL: [Self; 19] = [
        Self::Ih1,
        Self::Ih2,
        Self::Ih3,
        Self::Ih4,
        Self::Ih5,
        Self::Ih6,
        Self::Ih7,
        Self::Ih8,
        Self::An1,
        Self::An2,
        Self::An3,
        Self::An4,
        Self::An5,
        Self::An6,
        Self::An7,
        Self::An8,
        Self::An9,
        Self::An10,
        Self::Pa1,
    ];

    /// Code as printed on the scorecard (`IH-1`).
    pub fn code(self) -> &'static str {
        const CODES: [&str; 19] = [
            "IH-1", "IH-2", "IH-3", "IH-4", "IH-5", "IH-6", "IH-7", "IH-8", "AN-1", "AN-2", "AN-3",
            "AN-4", "AN-5", "AN-6", "AN-7", "AN-8", "AN-9", "AN-10", "PA-1",
        ];
        CODES[Self::ALL.iter().position(|i| *i == self).unwrap_or(0)]
    }

    /// Short Indonesian label.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Ih1 => "Ibu hamil periksa kehamilan ≥4 kali",
            Self::Ih2 => "Ibu hamil minum pil Fe ≥90 hari",
            Self::Ih3 => "Ibu bersalin periksa nifas ≥3 kali",
            Self::Ih4 => "Ibu hamil ikut konseling gizi/kelas ibu hamil",
            Self::Ih5 => "Ibu hamil KEK/risti dikunjungi bidan",
            Self::Ih6 => "RT ibu hamil punya air minum aman",
            Self::Ih7 => "RT ibu hamil punya jamban sehat",
            Self::Ih8 => "Ibu hamil punya jaminan kesehatan",
            Self::An1 => "Anak imunisasi dasar lengkap",
            Self::An2 => "Anak ditimbang setiap bulan",
            Self::An3 => "Anak diukur panjang/tinggi badan",
            Self::An4 => "Orang tua ikut konseling gizi",
            Self::An5 => "Anak gizi kurang/buruk/stunting dikunjungi",
            Self::An6 => "RT anak punya air minum aman",
            Self::An7 => "RT anak punya jamban sehat",
            Self::An8 => "Anak punya akta kelahiran",
            Self::An9 => "Anak punya jaminan kesehatan",
            Self::An10 => "Orang tua ikut kelas pengasuhan",
            Self::Pa1 => "Anak 2-6 tahun aktif di PAUD",
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

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarter {
    /// Year.
    pub year: i32,
    /// Quarter 1-4.
    pub quarter: u8,
}

impl Quarter {
    /// A quarter, `None` unless 1-4.
    pub fn new(year: i32, quarter: u8) -> Option<Self> {
        (1..=4).contains(&quarter).then_some(Self { year, quarter })
    }

    /// Its three months.
    pub fn months(self) -> [YearMonth; 3] {
        let first = (self.quarter - 1) * 3 + 1;
        [0, 1, 2].map(|i| YearMonth {
            year: self.year,
            month: first + i,
        })
    }

    /// Whether `month` lies in it.
    pub fn contains(self, month: YearMonth) -> bool {
        month.year == self.year && month.quarter() == self.quarter
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        self.months()[2].last_day()
    }
}

/// One person's results for a quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecap {
    /// The person.
    pub person_id: PersonId,
    /// Their household.
    pub household_id: HouseholdId,
    /// Their group.
    pub group: TargetGroup,
    /// Result per indicator.
    pub outcomes: BTreeMap<Indicator, Outcome>,
    /// Rule set that produced it.
    pub rule_set_id: String,
}

impl PersonRecap {
    /// Received / applicable (Y over Y+T).
    pub fn completeness(&self) -> Ratio {
        let yes = self.count(Outcome::Y);
        Ratio {
            num: yes,
            den: yes + self.count(Outcome::T),
        }
    }

    /// Every applicable indicator received (and at least one applicable).
    pub fn complete(&self) -> bool {
        let ratio = self.completeness();
        ratio.den > 0 && ratio.num == ratio.den
    }

    fn count(&self, outcome: Outcome) -> u64 {
        self.outcomes.values().filter(|o| **o == outcome).count() as u64
    }
}

/// An exact fraction; shown as a percentage with one decimal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
}

impl Ratio {
    /// Percentage rounded half up to one decimal, e.g. `"66.7"`; `None` when 0/0.
    pub fn percent_1dp(self) -> Option<String> {
        let tenths = self.per_mille()?;
        Some(format!("{}.{}", tenths / 10, tenths % 10))
    }

    /// Percentage in tenths of a percent (per mille), rounded half up.
    pub fn per_mille(self) -> Option<u64> {
        (self.den > 0).then(|| (self.num * 2000 + self.den) / (2 * self.den))
    }

    /// As a floating-point percentage (for charts and spreadsheets).
    pub fn percent(self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 * 100.0 / self.den as f64)
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
    /// received / applicable.
    pub fn ratio(self) -> Ratio {
        Ratio {
            num: self.received,
            den: self.applicable,
        }
    }
}

/// Coverage, TKD and complete-package figures of a set of persons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Rule set used.
    pub rule_set_id: String,
    /// Per indicator, in scorecard order.
    pub coverage: Vec<Coverage>,
    /// Village convergence level for pregnant women (ΣY / Σ(Y+T)).
    pub tkd_pregnant: Ratio,
    /// The same for children 0-23 months.
    pub tkd_children: Ratio,
    /// Both groups together.
    pub tkd_total: Ratio,
    /// 1000-HPK households (with an assessed pregnant woman or child 0-23 m) where every
    /// such member received every applicable indicator, over all of them.
    pub households_complete: Ratio,
}

/// Aggregates person results; the order of `recaps` does not matter.
pub fn summarise(rule_set_id: &str, recaps: &[PersonRecap]) -> Summary {
    let coverage = Indicator::ALL
        .iter()
        .map(|indicator| {
            let outcomes: Vec<Outcome> = recaps
                .iter()
                .filter_map(|r| r.outcomes.get(indicator).copied())
                .collect();
            let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count() as u64;
            Coverage {
                indicator: *indicator,
                received: count(Outcome::Y),
                applicable: count(Outcome::Y) + count(Outcome::T),
                not_applicable: count(Outcome::TS),
            }
        })
        .collect();
    let tkd = |group: Option<TargetGroup>| {
        recaps
            .iter()
            .filter(|r| r.group != TargetGroup::Paud && group.is_none_or(|g| r.group == g))
            .map(PersonRecap::completeness)
            .fold(Ratio::default(), |acc, r| Ratio {
                num: acc.num + r.num,
                den: acc.den + r.den,
            })
    };
    Summary {
        rule_set_id: rule_set_id.to_owned(),
        coverage,
        tkd_pregnant: tkd(Some(TargetGroup::Pregnant)),
        tkd_children: tkd(Some(TargetGroup::Child)),
        tkd_total: tkd(None),
        households_complete: households_complete(recaps),
    }
}

fn households_complete(recaps: &[PersonRecap]) -> Ratio {
    let mut households: BTreeMap<HouseholdId, bool> = BTreeMap::new();
    for recap in recaps.iter().filter(|r| r.group != TargetGroup::Paud) {
        let complete = households.entry(recap.household_id).or_insert(true);
        *complete &= recap.complete();
    }
    Ratio {
        num: households.values().filter(|c| **c).count() as u64,
        den: households.len() as u64,
    }
}

/// Households with at least one assessed 1000-HPK member.
pub fn households_1000hpk(recaps: &[PersonRecap]) -> BTreeSet<HouseholdId> {
    recaps
        .iter()
        .filter(|r| r.group != TargetGroup::Paud)
        .map(|r| r.household_id)
        .collect()
}
