//! Form 3B for a child 0-23 months: AN-1..AN-10 from the child's monthly 2B forms.

use std::collections::{BTreeMap, BTreeSet};

use super::months::{Months, all_of, judge};
use super::person::{PersonRecap, Subject};
use super::rules::{ChildBand, ChildRules};
use super::{Indicator, Outcome, Quarter, RuleSet, TargetGroup};
use crate::ids::PersonId;
use crate::monitoring::{Answer, Form2b, YearMonth};
use crate::register::Child;

/// AN-1..AN-10 of one child; `None` without a form in the quarter or outside every age band
/// (from 24 months) at the quarter's end.
pub fn child(
    rules: &RuleSet,
    quarter: Quarter,
    id: PersonId,
    child: &Child,
    forms: &[&Form2b],
) -> Option<PersonRecap> {
    let r = &rules.child;
    let age = child.age_months(quarter.last_day());
    let band = rules.band(age)?;
    let months = Months::collect(forms, |f| f.month, |m| quarter.contains(m));
    if months.is_empty() {
        return None;
    }
    let mut outcomes = services_by_age(r, band, age, &months);
    outcomes.extend(standing(r, &months));
    let length = Months::collect(
        forms,
        |f| f.month,
        |m| quarter.window_contains(r.length_window, m),
    );
    let measured = length.box_per_month(|f| f.length_measured);
    outcomes.insert(Indicator::An3, judge(r.length_measured, &measured));
    outcomes.insert(Indicator::An5, home_visits(r, quarter, &months, forms));
    let subject = Subject {
        person_id: id,
        household_id: child.household_id,
        group: TargetGroup::Child,
        quarter,
    };
    Some(PersonRecap::new(rules, subject, outcomes))
}

/// AN-1, AN-2, AN-4 and AN-10, whose thresholds depend on the child's age band.
fn services_by_age(
    r: &ChildRules,
    band: &ChildBand,
    age: i64,
    months: &Months<'_, Form2b>,
) -> BTreeMap<Indicator, Outcome> {
    let a_parent = months.answers(
        |_| true,
        |f| Answer::is_yes(f.father_counselled) || Answer::is_yes(f.mother_counselled),
    );
    let weighed = months.box_per_month(|f| f.weighed);
    let parenting = months.box_per_month(|f| f.parenting_class);
    BTreeMap::from([
        (Indicator::An1, immunisation(r, band, age, months)),
        (Indicator::An2, judge(band.weighing, &weighed)),
        (Indicator::An4, judge(band.counselling, &a_parent)),
        (Indicator::An10, judge(band.parenting, &parenting)),
    ])
}

/// AN-6..AN-9: water, latrine, birth certificate and insurance, standing conditions.
fn standing(r: &ChildRules, months: &Months<'_, Form2b>) -> [(Indicator, Outcome); 4] {
    let judged =
        |field: fn(&Form2b) -> Option<Answer>| judge(r.standing, &months.box_per_month(field));
    [
        (Indicator::An6, judged(|f| f.clean_water)),
        (Indicator::An7, judged(|f| f.latrine)),
        (Indicator::An8, judged(|f| f.birth_certificate)),
        (Indicator::An9, judged(|f| f.health_insurance)),
    ]
}

/// AN-1: basic immunisation, plus measles from the age the rules name.
fn immunisation(
    r: &ChildRules,
    band: &ChildBand,
    age: i64,
    months: &Months<'_, Form2b>,
) -> Outcome {
    if !band.immunisation {
        return Outcome::TS;
    }
    let basic = judge(r.standing, &months.box_per_month(|f| f.basic_immunisation));
    let measles = if age >= r.measles_from_months {
        judge(
            r.standing,
            &months.box_per_month(|f| f.measles_immunisation),
        )
    } else {
        Outcome::Y
    };
    all_of(&[basic, measles])
}

/// AN-5: home visits counted only in the months the child was undernourished or stunted.
fn home_visits(
    r: &ChildRules,
    quarter: Quarter,
    months: &Months<'_, Form2b>,
    forms: &[&Form2b],
) -> Outcome {
    let at_risk = months_at_risk(r, quarter, forms);
    let visits = months.answers(|m| at_risk.contains(&m), |f| Answer::is_yes(f.home_visit));
    judge(r.home_visit, &visits)
}

/// Months of the quarter in which the child's latest known status is one that AN-5 targets.
/// A month without a status keeps the last one recorded (also before the quarter): a status
/// is measured at weighing and holds until the next measurement.
fn months_at_risk(r: &ChildRules, quarter: Quarter, forms: &[&Form2b]) -> BTreeSet<YearMonth> {
    let last = quarter.months()[2];
    let history = Months::collect(forms, |f| f.month, |m| m <= last);
    let mut at_risk = false;
    let mut result = BTreeSet::new();
    for month in history.months() {
        let statuses: Vec<_> = history
            .forms(month)
            .iter()
            .filter_map(|f| f.nutrition_status)
            .collect();
        if !statuses.is_empty() {
            at_risk = statuses.iter().any(|s| r.home_visit_for.contains(s));
        }
        if at_risk && quarter.contains(month) {
            result.insert(month);
        }
    }
    result
}
