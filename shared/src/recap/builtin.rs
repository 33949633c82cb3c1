//! The built-in rule set.

use super::rules::{ChildBand, ChildRules, Count, PaudRules, PregnancyRules, RuleSet, Window};
use crate::monitoring::NutritionStatus;
use crate::register::{PregnancyStatus, STANDARD_TRIMESTER_WEEKS};

/// What the built-in rules are and where they depart from the OpenSID reading.
const DESCRIPTION: &str = "Kemendes scorecard thresholds as OpenSID reads them (Format 3A/3B), \
with its defects fixed: home visits are TS for women who are neither KEK nor high-risk and \
for children in months they are not undernourished or stunted; counselling counts the father \
or the mother; weighing, counselling and parenting are judged month by month inside the \
quarter instead of by counts running on across years; length measurement counts the \
half-year (twice a year); postnatal checks count only months of the postnatal period; a \
minimum is capped at the months the person was followed, so all-Y months are never T.";

/// The Kemendes 2018 scorecard rules, version 1 (`kemendes-2018-v1`).
pub fn kemendes_2018() -> RuleSet {
    RuleSet {
        id: "kemendes-2018-v1".to_owned(),
        description: DESCRIPTION.to_owned(),
        pregnancy: PregnancyRules {
            trimester_from_weeks: STANDARD_TRIMESTER_WEEKS,
            anc: [Count::AtLeast(1), Count::AtLeast(1), Count::AtLeast(2)],
            iron: [Count::AtLeast(1), Count::AtLeast(1), Count::AtLeast(1)],
            counselling: [Count::AtLeast(1), Count::AtLeast(1), Count::AtLeast(2)],
            postnatal: Count::AtLeast(3),
            postnatal_days: 42,
            home_visit: Count::AtLeast(1),
            home_visit_for: vec![PregnancyStatus::Kek, PregnancyStatus::Risti],
            standing: Count::AtLeast(1),
        },
        child: ChildRules {
            bands: vec![
                ChildBand {
                    from_months: 0,
                    until_months: 6,
                    immunisation: false,
                    weighing: Count::NotApplicable,
                    counselling: Count::NotApplicable,
                    parenting: Count::NotApplicable,
                },
                monthly_band(6, 12),
                monthly_band(12, 24),
            ],
            measles_from_months: 10,
            length_measured: Count::AtLeast(1),
            length_window: Window::HalfYear,
            home_visit: Count::EveryMonth,
            home_visit_for: vec![NutritionStatus::GK, NutritionStatus::GB, NutritionStatus::S],
            standing: Count::AtLeast(1),
        },
        paud: PaudRules::default(),
    }
}

/// From 6 months the scorecard asks for weighing, counselling and parenting every month.
fn monthly_band(from_months: i64, until_months: i64) -> ChildBand {
    ChildBand {
        from_months,
        until_months,
        immunisation: true,
        weighing: Count::EveryMonth,
        counselling: Count::EveryMonth,
        parenting: Count::EveryMonth,
    }
}
