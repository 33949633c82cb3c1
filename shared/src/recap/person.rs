//! Per-person quarterly results (forms 3A/3B): Y, T or TS for each indicator.

use std::collections::BTreeMap;

use crate::ids::{HouseholdId, PersonId};

use super::rules::{Count, RuleSet};
use super::{Indicator, Outcome, PersonRecap, Quarter, TargetGroup};
use crate::monitoring::{
    Answer, Form2a, Form2b, Form2c, NutritionStatus, PaudAttendance, YearMonth,
};
use crate::register::{Child, PregnancyStatus, PregnantWoman};

/// Evaluates a count rule over the month-by-month answers of the quarter.
fn judge(rule: Count, answers: &[bool]) -> Outcome {
    let yes = answers.iter().filter(|y| **y).count() as u32;
    let observed = answers.len() as u32;
    match rule {
        Count::NotApplicable => Outcome::TS,
        _ if observed == 0 => Outcome::T,
        Count::EveryMonth if yes == observed => Outcome::Y,
        Count::AtLeast(min) if yes >= min.min(observed) => Outcome::Y,
        _ => Outcome::T,
    }
}

/// Y if any month says Y (water, latrine, insurance, certificate: a standing condition).
fn any(answers: &[bool]) -> Outcome {
    if answers.iter().any(|y| *y) {
        Outcome::Y
    } else {
        Outcome::T
    }
}

fn is_yes(answer: Option<Answer>) -> bool {
    answer == Some(Answer::Y)
}

/// The forms of one person inside the quarter, one per month. Two forms for one month (from
/// two phones before review) merge: a Y on either counts, so the result does not depend on
/// the order they arrived in.
fn by_month<'a, F, K: Fn(&F) -> YearMonth>(
    quarter: Quarter,
    forms: &[&'a F],
    month_of: K,
) -> BTreeMap<YearMonth, Vec<&'a F>> {
    let mut months: BTreeMap<YearMonth, Vec<&'a F>> = BTreeMap::new();
    for form in forms {
        let month = month_of(form);
        if quarter.contains(month) {
            months.entry(month).or_default().push(form);
        }
    }
    months
}

fn per_month<F>(months: &BTreeMap<YearMonth, Vec<&F>>, field: impl Fn(&F) -> bool) -> Vec<bool> {
    months
        .values()
        .map(|forms| forms.iter().any(|form| field(form)))
        .collect()
}

/// IH-1..IH-8 of one pregnant woman; `None` when she has no form in the quarter.
pub fn pregnancy(
    rules: &RuleSet,
    quarter: Quarter,
    id: PersonId,
    woman: &PregnantWoman,
    forms: &[&Form2a],
) -> Option<PersonRecap> {
    let months = by_month(quarter, forms, |f| f.month);
    if months.is_empty() {
        return None;
    }
    let answers = |field: fn(&Form2a) -> Option<Answer>| per_month(&months, |f| is_yes(field(f)));
    let r = &rules.pregnancy;
    let end = quarter.last_day();
    let mut outcomes = BTreeMap::new();
    if woman.delivered_by(end) {
        for indicator in [
            Indicator::Ih1,
            Indicator::Ih2,
            Indicator::Ih4,
            Indicator::Ih5,
        ] {
            outcomes.insert(indicator, Outcome::TS);
        }
        outcomes.insert(
            Indicator::Ih3,
            judge(r.postnatal, &answers(|f| f.postnatal_check)),
        );
    } else {
        let trimester = usize::from(woman.trimester(end).unwrap_or(1) - 1);
        outcomes.insert(
            Indicator::Ih1,
            judge(r.anc[trimester], &answers(|f| f.anc_visit)),
        );
        outcomes.insert(
            Indicator::Ih2,
            judge(r.iron[trimester], &answers(|f| f.iron_tablet)),
        );
        outcomes.insert(Indicator::Ih3, Outcome::TS);
        outcomes.insert(
            Indicator::Ih4,
            judge(
                r.counselling[trimester],
                &answers(|f| f.nutrition_counselling),
            ),
        );
        let at_risk = matches!(woman.status, PregnancyStatus::Kek | PregnancyStatus::Risti);
        let visits = if at_risk {
            r.home_visit
        } else {
            Count::NotApplicable
        };
        outcomes.insert(Indicator::Ih5, judge(visits, &answers(|f| f.home_visit)));
    }
    outcomes.insert(Indicator::Ih6, any(&answers(|f| f.clean_water)));
    outcomes.insert(Indicator::Ih7, any(&answers(|f| f.latrine)));
    outcomes.insert(Indicator::Ih8, any(&answers(|f| f.health_insurance)));
    Some(PersonRecap {
        person_id: id,
        household_id: woman.household_id,
        group: TargetGroup::Pregnant,
        outcomes,
        rule_set_id: rules.id.clone(),
    })
}

/// AN-1..AN-10 of one child; `None` without a form in the quarter or from 24 months.
pub fn child(
    rules: &RuleSet,
    quarter: Quarter,
    id: PersonId,
    child: &Child,
    forms: &[&Form2b],
) -> Option<PersonRecap> {
    let months = by_month(quarter, forms, |f| f.month);
    let age = child.age_months(quarter.last_day());
    let band = rules.band(age)?;
    if months.is_empty() {
        return None;
    }
    let answers = |field: fn(&Form2b) -> Option<Answer>| per_month(&months, |f| is_yes(field(f)));
    let r = &rules.child;
    let mut outcomes = BTreeMap::new();
    let immunised = if band.immunisation {
        let basic = any(&answers(|f| f.basic_immunisation));
        let measles = if age >= r.measles_from_months {
            any(&answers(|f| f.measles_immunisation))
        } else {
            Outcome::Y
        };
        if basic == Outcome::Y && measles == Outcome::Y {
            Outcome::Y
        } else {
            Outcome::T
        }
    } else {
        Outcome::TS
    };
    outcomes.insert(Indicator::An1, immunised);
    outcomes.insert(
        Indicator::An2,
        judge(band.weighing, &answers(|f| f.weighed)),
    );
    outcomes.insert(
        Indicator::An3,
        judge(r.length_measured, &answers(|f| f.length_measured)),
    );
    let counselled = per_month(&months, |f| {
        is_yes(f.father_counselled) || is_yes(f.mother_counselled)
    });
    outcomes.insert(Indicator::An4, judge(band.counselling, &counselled));
    let undernourished = months.values().flatten().any(|f| {
        matches!(
            f.nutrition_status,
            Some(NutritionStatus::GK | NutritionStatus::GB | NutritionStatus::S)
        )
    });
    let visits = if undernourished {
        r.home_visit
    } else {
        Count::NotApplicable
    };
    outcomes.insert(Indicator::An5, judge(visits, &answers(|f| f.home_visit)));
    outcomes.insert(Indicator::An6, any(&answers(|f| f.clean_water)));
    outcomes.insert(Indicator::An7, any(&answers(|f| f.latrine)));
    outcomes.insert(Indicator::An8, any(&answers(|f| f.birth_certificate)));
    outcomes.insert(Indicator::An9, any(&answers(|f| f.health_insurance)));
    outcomes.insert(
        Indicator::An10,
        judge(band.parenting, &answers(|f| f.parenting_class)),
    );
    Some(PersonRecap {
        person_id: id,
        household_id: child.household_id,
        group: TargetGroup::Child,
        outcomes,
        rule_set_id: rules.id.clone(),
    })
}

/// PA-1 of one child 2-6 years; `None` without a form in the quarter.
pub fn paud(
    rules: &RuleSet,
    quarter: Quarter,
    id: PersonId,
    household_id: HouseholdId,
    forms: &[&Form2c],
) -> Option<PersonRecap> {
    let months = by_month(quarter, forms, |f| f.month);
    if months.is_empty() {
        return None;
    }
    let attendance: Vec<Option<PaudAttendance>> =
        months.values().flatten().map(|f| f.attendance).collect();
    let outcome = if attendance.contains(&Some(PaudAttendance::Attending)) {
        Outcome::Y
    } else if attendance
        .iter()
        .all(|a| *a == Some(PaudAttendance::NotYet))
    {
        Outcome::TS
    } else {
        Outcome::T
    };
    let outcomes = BTreeMap::from([(Indicator::Pa1, outcome)]);
    Some(PersonRecap {
        person_id: id,
        household_id,
        group: TargetGroup::Paud,
        outcomes,
        rule_set_id: rules.id.clone(),
    })
}
