//! Quarterly recap rules as data: a province can load its own variant from JSON, and the
//! rule-set id travels with every computed result.

use serde::{Deserialize, Serialize};

/// How many monthly "Y" an indicator needs in a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "min")]
pub enum Count {
    /// The indicator does not apply (TS).
    NotApplicable,
    /// Every observed month must be Y.
    EveryMonth,
    /// At least this many Y months, capped at the months observed: a woman registered in
    /// the last month of a quarter cannot have two visits in it, and must not be counted
    /// as "not received" when every month she was followed says Y.
    AtLeast(u32),
}

/// Rules for pregnant women (form 2A → IH-1..IH-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PregnancyRules {
    /// IH-1 antenatal visits by trimester 1, 2, 3.
    pub anc: [Count; 3],
    /// IH-2 iron tablets by trimester.
    pub iron: [Count; 3],
    /// IH-4 counselling / pregnancy class by trimester.
    pub counselling: [Count; 3],
    /// IH-3 postnatal checks after delivery.
    pub postnatal: Count,
    /// IH-5 home visits, for KEK or high-risk pregnancies only (TS otherwise).
    pub home_visit: Count,
}

/// Rules for one age band of children 0-23 months (form 2B → AN-1..AN-10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildBand {
    /// First month of age in the band (inclusive).
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
    /// Age bands by completed months at the end of the quarter.
    pub bands: Vec<ChildBand>,
    /// From this age, measles immunisation is part of AN-1.
    pub measles_from_months: i64,
    /// AN-3 length measured.
    pub length_measured: Count,
    /// AN-5 home visits, for undernourished or stunted children only (TS otherwise).
    pub home_visit: Count,
}

/// A complete, versioned rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// Stable id, stored with every result (e.g. `kemendes-2018-v1`).
    pub id: String,
    /// Pregnant women.
    pub pregnancy: PregnancyRules,
    /// Children 0-23 months.
    pub child: ChildRules,
}

impl RuleSet {
    /// The built-in rules: the Kemendes scorecard thresholds as OpenSID reads them (§2.4 of
    /// the domain notes), with its known defects fixed: home visits are TS for women who
    /// are neither KEK nor high-risk and for children who are not undernourished or
    /// stunted; counselling counts the father or the mother; weighing, counselling and
    /// parenting are judged month by month inside the quarter ("every month" on the
    /// scorecard) instead of by counts that ran on across years.
    pub fn kemendes_2018() -> Self {
        let monthly_band = |from_months, until_months| ChildBand {
            from_months,
            until_months,
            immunisation: true,
            weighing: Count::EveryMonth,
            counselling: Count::EveryMonth,
            parenting: Count::EveryMonth,
        };
        Self {
            id: "kemendes-2018-v1".to_owned(),
            pregnancy: PregnancyRules {
                anc: [Count::AtLeast(1), Count::AtLeast(1), Count::AtLeast(2)],
                iron: [Count::AtLeast(1), Count::AtLeast(1), Count::AtLeast(1)],
                counselling: [Count::AtLeast(1), Count::AtLeast(1), Count::AtLeast(2)],
                postnatal: Count::AtLeast(3),
                home_visit: Count::AtLeast(1),
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
                measles_from_months: 9,
                length_measured: Count::AtLeast(1),
                home_visit: Count::EveryMonth,
            },
        }
    }

    /// The band of a child `age_months` old, `None` from 24 months (no longer 1000 HPK).
    pub fn band(&self, age_months: i64) -> Option<&ChildBand> {
        self.child
            .bands
            .iter()
            .find(|b| (b.from_months..b.until_months).contains(&age_months))
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        Self::kemendes_2018()
    }
}
