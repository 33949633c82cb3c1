//! Per-person quarterly results (forms 3A/3B): Y, T or TS for each indicator.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::form2a::pregnancy;
pub use super::form2b::child;
pub use super::form2c::paud;
use super::{Indicator, Outcome, Quarter, Ratio, RuleSet, TargetGroup};
use crate::ids::{HouseholdId, PersonId};

/// One person's results for a quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecap {
    /// The person.
    pub person_id: PersonId,
    /// Their household.
    pub household_id: HouseholdId,
    /// Their group.
    pub group: TargetGroup,
    /// The quarter.
    pub quarter: Quarter,
    /// Result per indicator of the group.
    pub outcomes: BTreeMap<Indicator, Outcome>,
    /// Rule set that produced it.
    pub rule_set_id: String,
}

/// Who a recap is about, before the outcomes are known.
#[derive(Debug, Clone, Copy)]
pub(super) struct Subject {
    /// The person.
    pub person_id: PersonId,
    /// Their household.
    pub household_id: HouseholdId,
    /// Their group.
    pub group: TargetGroup,
    /// The quarter.
    pub quarter: Quarter,
}

impl PersonRecap {
    /// Builds the recap of `subject` under `rules`.
    pub(super) fn new(
        rules: &RuleSet,
        subject: Subject,
        outcomes: BTreeMap<Indicator, Outcome>,
    ) -> Self {
        Self {
            person_id: subject.person_id,
            household_id: subject.household_id,
            group: subject.group,
            quarter: subject.quarter,
            outcomes,
            rule_set_id: rules.id.clone(),
        }
    }

    /// The result of one indicator, `None` when it is not one of the group's.
    pub fn outcome(&self, indicator: Indicator) -> Option<Outcome> {
        self.outcomes.get(&indicator).copied()
    }

    /// Received / applicable (Y over Y+T): the per-person completeness.
    pub fn completeness(&self) -> Ratio {
        let yes = self.count(Outcome::Y);
        Ratio::new(yes, yes + self.count(Outcome::T))
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
