//! Quarterly recap rules as data: a province can load its own variant from JSON, and the
//! rule-set id travels with every computed result.
//!
//! Fields added after the first version carry serde defaults equal to the built-in rules, so
//! a rule set saved by an older version still loads.

use serde::{Deserialize, Serialize};

use crate::monitoring::NutritionStatus;
use crate::register::{PregnancyStatus, STANDARD_TRIMESTER_WEEKS};

/// How many monthly "Y" an indicator needs among the months in which it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "min")]
pub enum Count {
    /// The indicator does not apply (TS).
    NotApplicable,
    /// Every month in which the person was followed must be Y.
    EveryMonth,
    /// At least this many Y months, capped at the months the person was followed: a woman
    /// registered in the last month of a quarter cannot have two visits in it, and must not
    /// be counted as "not received" when every month she was followed says Y.
    AtLeast(u32),
}

/// Which months are counted for an indicator, always ending with the quarter's last month and
/// never reaching into an earlier year (counts do not run on across years).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// The three months of the quarter.
    #[default]
    Quarter,
    /// From January or July (whichever half-year the quarter lies in).
    HalfYear,
    /// From January of the quarter's year.
    Year,
}

/// Rules for pregnant women (form 2A → IH-1..IH-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PregnancyRules {
    /// Completed weeks at which trimesters 2 and 3 begin, judged at the quarter's end.
    #[serde(default = "standard_trimesters")]
    pub trimester_from_weeks: [i64; 2],
    /// IH-1 antenatal visits by trimester 1, 2, 3.
    pub anc: [Count; 3],
    /// IH-2 iron tablets by trimester.
    pub iron: [Count; 3],
    /// IH-4 counselling / pregnancy class by trimester.
    pub counselling: [Count; 3],
    /// IH-3 postnatal checks, counted in the months of the postnatal period.
    pub postnatal: Count,
    /// Length of the postnatal period (nifas) in days after delivery; a woman whose period
    /// ended before the quarter began is no longer a 2A target.
    #[serde(default = "postnatal_days")]
    pub postnatal_days: i64,
    /// IH-5 home visits.
    pub home_visit: Count,
    /// Statuses for which IH-5 applies (TS for the others).
    #[serde(default = "at_risk_pregnancies")]
    pub home_visit_for: Vec<PregnancyStatus>,
    /// IH-6..IH-8 (water, latrine, insurance): standing conditions.
    #[serde(default = "any_month")]
    pub standing: Count,
}

/// Rules for one age band of children 0-23 months (form 2B → AN-1..AN-10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildBand {
    /// First month of age in the band (inclusive), age at the quarter's end.
    pub from_months: i64,
    /// End of the band (exclusive).
    pub until_months: i64,
    /// AN-1 complete immunisation is assessed.
    pub immunisation: bool,
    /// AN-2 weighing.
    pub weighing: Count,
    /// AN-4 counselling of a parent (father or mother).
    pub counselling: Count,
    /// AN-10 parenting class.
    pub parenting: Count,
}

/// Rules for children 0-23 months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRules {
    /// Age bands by completed months at the end of the quarter; a child in none of them is
    /// not a 2B target that quarter.
    pub bands: Vec<ChildBand>,
    /// From this age (completed months at the quarter's end) measles is part of AN-1.
    pub measles_from_months: i64,
    /// AN-3 length measured.
    pub length_measured: Count,
    /// Months counted for AN-3.
    #[serde(default)]
    pub length_window: Window,
    /// AN-5 home visits, counted in the months the child had one of `home_visit_for`.
    pub home_visit: Count,
    /// Nutrition statuses for which AN-5 applies (TS in other months).
    #[serde(default = "undernourished")]
    pub home_visit_for: Vec<NutritionStatus>,
    /// AN-1 and AN-6..AN-9 (immunisation status, water, latrine, certificate, insurance).
    #[serde(default = "any_month")]
    pub standing: Count,
}

/// Rules for children 2-6 years (form 2C → PA-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaudRules {
    /// First month of age followed (inclusive), at the quarter's end.
    pub from_months: i64,
    /// End of the age range (exclusive).
    pub until_months: i64,
    /// PA-1 attending, counted in the months not marked "not yet".
    pub attending: Count,
}

impl Default for PaudRules {
    fn default() -> Self {
        Self {
            from_months: 24,
            until_months: 84,
            attending: Count::AtLeast(1),
        }
    }
}

/// A complete, versioned rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// Stable id, stored with every result (e.g. `kemendes-2018-v1`).
    pub id: String,
    /// Where the rules come from and how they differ from their source.
    #[serde(default)]
    pub description: String,
    /// Pregnant women.
    pub pregnancy: PregnancyRules,
    /// Children 0-23 months.
    pub child: ChildRules,
    /// Children 2-6 years.
    #[serde(default)]
    pub paud: PaudRules,
}

/// Why a rule set cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleSetError {
    /// Not valid JSON for a rule set.
    #[error("rule set JSON: {0}")]
    Json(String),
    /// Valid JSON with contradictory content.
    #[error("rule set {id}: {problem}")]
    Invalid {
        /// The rule set's id.
        id: String,
        /// What is wrong.
        problem: String,
    },
}

fn standard_trimesters() -> [i64; 2] {
    STANDARD_TRIMESTER_WEEKS
}

fn postnatal_days() -> i64 {
    42
}

fn at_risk_pregnancies() -> Vec<PregnancyStatus> {
    vec![PregnancyStatus::Kek, PregnancyStatus::Risti]
}

fn undernourished() -> Vec<NutritionStatus> {
    vec![NutritionStatus::GK, NutritionStatus::GB, NutritionStatus::S]
}

fn any_month() -> Count {
    Count::AtLeast(1)
}

impl RuleSet {
    /// Loads and checks a rule set (e.g. a provincial variant) from JSON.
    pub fn from_json(json: &str) -> Result<Self, RuleSetError> {
        let rules: Self =
            serde_json::from_str(json).map_err(|e| RuleSetError::Json(e.to_string()))?;
        rules.check()?;
        Ok(rules)
    }

    /// Checks that the rules can be applied: an id, ordered trimesters, disjoint age bands.
    pub fn check(&self) -> Result<(), RuleSetError> {
        let invalid = |problem: &str| RuleSetError::Invalid {
            id: self.id.clone(),
            problem: problem.to_owned(),
        };
        if self.id.trim().is_empty() {
            return Err(invalid("the id is empty"));
        }
        let [second, third] = self.pregnancy.trimester_from_weeks;
        if !(0 < second && second < third) {
            return Err(invalid("trimester weeks must rise"));
        }
        let mut bands: Vec<_> = self.child.bands.iter().collect();
        crate::sort::sort_by_key(&mut bands, |b| b.from_months);
        let ordered = bands.iter().all(|b| b.from_months < b.until_months);
        let disjoint = bands
            .windows(2)
            .all(|w| w[0].until_months <= w[1].from_months);
        if !ordered || !disjoint {
            return Err(invalid(
                "child age bands must be non-empty and must not overlap",
            ));
        }
        Ok(())
    }

    /// The band of a child `age_months` old, `None` outside every band (from 24 months).
    pub fn band(&self, age_months: i64) -> Option<&ChildBand> {
        self.child
            .bands
            .iter()
            .find(|b| (b.from_months..b.until_months).contains(&age_months))
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        super::builtin::kemendes_2018()
    }
}
