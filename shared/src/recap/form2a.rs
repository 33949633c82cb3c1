//! Form 3A for a pregnant woman: IH-1..IH-8 from her monthly 2A forms.

use std::collections::BTreeMap;

use time::{Date, Duration};

use super::months::{Months, judge};
use super::person::{PersonRecap, Subject};
use super::rules::PregnancyRules;
use super::{Indicator, Outcome, Quarter, RuleSet, TargetGroup};
use crate::ids::PersonId;
use crate::monitoring::{Answer, Form2a, YearMonth};
use crate::register::{PregnantWoman, trimester_for_weeks};

/// IH-1..IH-8 of one pregnant woman; `None` when she has no form in the quarter or her
/// postnatal period ended before it began.
pub fn pregnancy(
    rules: &RuleSet,
    quarter: Quarter,
    id: PersonId,
    woman: &PregnantWoman,
    forms: &[&Form2a],
) -> Option<PersonRecap> {
    let r = &rules.pregnancy;
    let months = Months::collect(forms, |f| f.month, |m| quarter.contains(m));
    if months.is_empty() {
        return None;
    }
    let end = quarter.last_day();
    let mut outcomes = match woman.delivery_date.filter(|day| *day <= end) {
        Some(delivered) => {
            let period_end = delivered + Duration::days(r.postnatal_days);
            if period_end < quarter.first_day() {
                return None;
            }
            after_delivery(r, &months, delivered, period_end)
        }
        None => during_pregnancy(r, &months, woman, end),
    };
    let standing =
        |field: fn(&Form2a) -> Option<Answer>| judge(r.standing, &months.box_per_month(field));
    outcomes.insert(Indicator::Ih6, standing(|f| f.clean_water));
    outcomes.insert(Indicator::Ih7, standing(|f| f.latrine));
    outcomes.insert(Indicator::Ih8, standing(|f| f.health_insurance));
    let subject = Subject {
        person_id: id,
        household_id: woman.household_id,
        group: TargetGroup::Pregnant,
        quarter,
    };
    Some(PersonRecap::new(rules, subject, outcomes))
}

/// Delivered: pregnancy services no longer apply; postnatal checks count in the months that
/// overlap the postnatal period (a check cannot happen before the birth).
fn after_delivery(
    r: &PregnancyRules,
    months: &Months<'_, Form2a>,
    delivered: Date,
    period_end: Date,
) -> BTreeMap<Indicator, Outcome> {
    let in_period = |m: YearMonth| m.last_day() >= delivered && m.first_day() <= period_end;
    let checks = months.answers(in_period, |f| Answer::is_yes(f.postnatal_check));
    // Extended, not collected: collecting into a B-tree sorts a Vec first, one more copy of
    // the sort code in the phone's wasm module (crate::sort).
    let mut outcomes = BTreeMap::new();
    outcomes.extend(
        [
            Indicator::Ih1,
            Indicator::Ih2,
            Indicator::Ih4,
            Indicator::Ih5,
        ]
        .map(|indicator| (indicator, Outcome::TS)),
    );
    outcomes.insert(Indicator::Ih3, judge(r.postnatal, &checks));
    outcomes
}

/// Still pregnant at the quarter's end: thresholds by the trimester reached by then.
fn during_pregnancy(
    r: &PregnancyRules,
    months: &Months<'_, Form2a>,
    woman: &PregnantWoman,
    end: Date,
) -> BTreeMap<Indicator, Outcome> {
    let weeks = woman.gestational_weeks(end).unwrap_or(0);
    let t = usize::from(trimester_for_weeks(weeks, r.trimester_from_weeks) - 1);
    let home_visit = if r.home_visit_for.contains(&woman.status) {
        judge(r.home_visit, &months.box_per_month(|f| f.home_visit))
    } else {
        Outcome::TS
    };
    BTreeMap::from([
        (
            Indicator::Ih1,
            judge(r.anc[t], &months.box_per_month(|f| f.anc_visit)),
        ),
        (
            Indicator::Ih2,
            judge(r.iron[t], &months.box_per_month(|f| f.iron_tablet)),
        ),
        (Indicator::Ih3, Outcome::TS),
        (
            Indicator::Ih4,
            judge(
                r.counselling[t],
                &months.box_per_month(|f| f.nutrition_counselling),
            ),
        ),
        (Indicator::Ih5, home_visit),
    ])
}
