//! Coverage per indicator, convergence level (TKD) and the complete-package KPI of a set of
//! person results.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Coverage, Indicator, Outcome, PersonRecap, Ratio, TargetGroup};
use crate::ids::HouseholdId;

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
    /// Both groups together: pooled counts, not the mean of the two rates.
    pub tkd_total: Ratio,
    /// 1000-HPK households (with an assessed pregnant woman or child 0-23 m) where every
    /// such member received every applicable indicator, over all of them.
    pub households_complete: Ratio,
}

/// Aggregates person results; the order of `recaps` does not matter.
pub fn summarise(rule_set_id: &str, recaps: &[PersonRecap]) -> Summary {
    let coverage = Indicator::ALL
        .iter()
        .map(|i| coverage(*i, recaps))
        .collect();
    Summary {
        rule_set_id: rule_set_id.to_owned(),
        coverage,
        tkd_pregnant: tkd(recaps, |g| g == TargetGroup::Pregnant),
        tkd_children: tkd(recaps, |g| g == TargetGroup::Child),
        tkd_total: tkd(recaps, TargetGroup::is_1000hpk),
        households_complete: households_complete(recaps),
    }
}

/// Coverage of one indicator over the persons who have a result for it.
pub fn coverage(indicator: Indicator, recaps: &[PersonRecap]) -> Coverage {
    let count = |wanted: Outcome| {
        recaps
            .iter()
            .filter(|r| r.outcomes.get(&indicator) == Some(&wanted))
            .count() as u64
    };
    let received = count(Outcome::Y);
    Coverage {
        indicator,
        received,
        applicable: received + count(Outcome::T),
        not_applicable: count(Outcome::TS),
    }
}

/// ΣY / Σ(Y+T) over the persons of the chosen groups (TS left out of both).
fn tkd(recaps: &[PersonRecap], group: impl Fn(TargetGroup) -> bool) -> Ratio {
    recaps
        .iter()
        .filter(|r| group(r.group))
        .map(PersonRecap::completeness)
        .fold(Ratio::default(), Ratio::pooled)
}

/// Complete households over 1000-HPK households.
fn households_complete(recaps: &[PersonRecap]) -> Ratio {
    let mut households: BTreeMap<HouseholdId, bool> = BTreeMap::new();
    for recap in recaps.iter().filter(|r| r.group.is_1000hpk()) {
        let complete = households.entry(recap.household_id).or_insert(true);
        *complete &= recap.complete();
    }
    let complete = households.values().filter(|c| **c).count() as u64;
    Ratio::new(complete, households.len() as u64)
}

/// Households with at least one assessed 1000-HPK member.
pub fn households_1000hpk(recaps: &[PersonRecap]) -> BTreeSet<HouseholdId> {
    // Extended, not collected: see `crate::sort`.
    let mut households = BTreeSet::new();
    households.extend(
        recaps
            .iter()
            .filter(|r| r.group.is_1000hpk())
            .map(|r| r.household_id),
    );
    households
}
