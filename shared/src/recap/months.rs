//! A person's monthly forms grouped by month, and the judgement of a count rule over them.
//!
//! Two forms for one month (from two phones before a conflict is reviewed) are merged: a box
//! is Y when either says Y. Merging this way, and keeping months in a sorted map, makes every
//! result independent of the order in which the forms arrived.

use std::collections::BTreeMap;

use super::Outcome;
use super::rules::Count;
use crate::monitoring::{Answer, YearMonth};

/// The forms of one person per month, for the months that matter to a recap.
pub struct Months<'a, F> {
    by_month: BTreeMap<YearMonth, Vec<&'a F>>,
}

impl<'a, F> Months<'a, F> {
    /// Groups `forms` by month, keeping those for which `keep(month)` holds.
    pub fn collect(
        forms: &[&'a F],
        month_of: impl Fn(&F) -> YearMonth,
        keep: impl Fn(YearMonth) -> bool,
    ) -> Self {
        let mut by_month: BTreeMap<YearMonth, Vec<&'a F>> = BTreeMap::new();
        for form in forms {
            let month = month_of(form);
            if keep(month) {
                by_month.entry(month).or_default().push(form);
            }
        }
        Self { by_month }
    }

    /// Whether no month was kept.
    pub fn is_empty(&self) -> bool {
        self.by_month.is_empty()
    }

    /// The months kept, in order.
    pub fn months(&self) -> impl Iterator<Item = YearMonth> + '_ {
        self.by_month.keys().copied()
    }

    /// All forms of `month`.
    pub fn forms(&self, month: YearMonth) -> &[&'a F] {
        self.by_month.get(&month).map_or(&[], Vec::as_slice)
    }

    /// For each month where `applies(month)`, whether any of its forms passes `yes`.
    pub fn answers(
        &self,
        applies: impl Fn(YearMonth) -> bool,
        yes: impl Fn(&F) -> bool,
    ) -> Vec<bool> {
        self.by_month
            .iter()
            .filter(|(month, _)| applies(**month))
            .map(|(_, forms)| forms.iter().any(|form| yes(form)))
            .collect()
    }

    /// For every month, whether the box read by `field` says Y on any of its forms.
    pub fn box_per_month(&self, field: impl Fn(&F) -> Option<Answer>) -> Vec<bool> {
        self.answers(|_| true, |form| Answer::is_yes(field(form)))
    }
}

/// Judges a count rule over the months in which the indicator applied. No such month means
/// the indicator did not apply this quarter (TS).
pub fn judge(rule: Count, answers: &[bool]) -> Outcome {
    let yes = answers.iter().filter(|y| **y).count();
    let months = answers.len();
    match rule {
        Count::NotApplicable => Outcome::TS,
        _ if months == 0 => Outcome::TS,
        Count::EveryMonth if yes == months => Outcome::Y,
        Count::AtLeast(min) if yes >= (min as usize).min(months) => Outcome::Y,
        _ => Outcome::T,
    }
}

/// Y only when every part is Y; TS when the first part is TS (the whole does not apply).
pub fn all_of(parts: &[Outcome]) -> Outcome {
    match parts.first() {
        Some(Outcome::TS) => Outcome::TS,
        _ if parts.iter().all(|o| *o == Outcome::Y) => Outcome::Y,
        _ => Outcome::T,
    }
}
