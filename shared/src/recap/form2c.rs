//! PA-1 for a child 2-6 years from the monthly 2C forms.

use std::collections::BTreeMap;

use super::months::{Months, judge};
use super::person::{PersonRecap, Subject};
use super::{Indicator, Quarter, RuleSet, TargetGroup};
use crate::ids::PersonId;
use crate::monitoring::{Form2c, PaudAttendance};
use crate::register::PaudChild;

/// PA-1 of one child 2-6 years; `None` without a form in the quarter or outside the age
/// range. Months marked only "not yet" (no PAUD service or too young for it) do not count;
/// a quarter of such months gives TS.
pub fn paud(
    rules: &RuleSet,
    quarter: Quarter,
    id: PersonId,
    child: &PaudChild,
    forms: &[&Form2c],
) -> Option<PersonRecap> {
    let r = &rules.paud;
    let age = child.age_months(quarter.last_day());
    if !(r.from_months..r.until_months).contains(&age) {
        return None;
    }
    let months = Months::collect(forms, |f| f.month, |m| quarter.contains(m));
    if months.is_empty() {
        return None;
    }
    let not_yet = |month| {
        months
            .forms(month)
            .iter()
            .all(|f| f.attendance == Some(PaudAttendance::NotYet))
    };
    let attending = months.answers(
        |m| !not_yet(m),
        |f| f.attendance == Some(PaudAttendance::Attending),
    );
    let outcomes = BTreeMap::from([(Indicator::Pa1, judge(r.attending, &attending))]);
    let subject = Subject {
        person_id: id,
        household_id: child.household_id,
        group: TargetGroup::Paud,
        quarter,
    };
    Some(PersonRecap::new(rules, subject, outcomes))
}
