//! The columns the overview can be sorted by, and the one sort the screen and the export
//! use: rows with nothing to compare (no figure yet) always go last, whichever direction,
//! and equal rows keep the order of their names.

use std::cmp::Ordering;

use super::OverviewRow;
use crate::actions::Status;
use crate::recap::Ratio;

/// A sortable column of the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Regency name.
    Name,
    /// Review status, from "not yet" to verified.
    Status,
    /// Required items evidenced, all actions.
    Completeness,
    /// Links and files.
    Evidence,
    /// Parts sent after the deadline.
    Late,
    /// Allocation of the assessed year.
    Budget,
    /// Allocation of the next year.
    BudgetNext,
    /// Innovations.
    Innovations,
    /// Complete-package share.
    Complete,
    /// Village convergence level.
    Tkd,
    /// Stunting prevalence.
    Stunting,
    /// Change of the prevalence since the year before.
    Change,
}

impl Column {
    /// Every column, in the table's order.
    pub const ALL: [Self; 12] = [
        Self::Name,
        Self::Status,
        Self::Completeness,
        Self::Evidence,
        Self::Late,
        Self::Budget,
        Self::BudgetNext,
        Self::Innovations,
        Self::Complete,
        Self::Tkd,
        Self::Stunting,
        Self::Change,
    ];

    /// Stable name (for test ids and remembered settings), e.g. `budget-next`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Status => "status",
            Self::Completeness => "completeness",
            Self::Evidence => "evidence",
            Self::Late => "late",
            Self::Budget => "budget",
            Self::BudgetNext => "budget-next",
            Self::Innovations => "innovations",
            Self::Complete => "complete",
            Self::Tkd => "tkd",
            Self::Stunting => "stunting",
            Self::Change => "change",
        }
    }

    /// The column named `key`.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|column| column.key() == key)
    }

    /// The direction a first click sorts in: names A-Z, figures largest first (the
    /// province looks for the best and the furthest behind at the top).
    pub fn first_descending(self) -> bool {
        self != Self::Name
    }

    /// `a` against `b` in this column, ascending; `None` when either has no figure.
    fn compare(self, a: &OverviewRow, b: &OverviewRow) -> Option<Ordering> {
        let ratio = |figure: fn(&OverviewRow) -> Ratio| compare_ratios(figure(a), figure(b));
        match self {
            Self::Name => Some(a.name.cmp(&b.name)),
            Self::Status => Some(progress(a.status).cmp(&progress(b.status))),
            Self::Completeness => ratio(|row| row.completeness),
            Self::Evidence => Some(a.evidence.cmp(&b.evidence)),
            Self::Late => Some(a.late_parts.cmp(&b.late_parts)),
            Self::Budget => Some(
                a.budget_year
                    .allocation_rp
                    .cmp(&b.budget_year.allocation_rp),
            ),
            Self::BudgetNext => Some(
                a.budget_next_year
                    .allocation_rp
                    .cmp(&b.budget_next_year.allocation_rp),
            ),
            Self::Innovations => Some(a.innovations.cmp(&b.innovations)),
            Self::Complete => ratio(|row| row.households_complete),
            Self::Tkd => ratio(|row| row.tkd_total),
            Self::Stunting => ratio(|row| row.stunting.ratio()),
            Self::Change => Some(
                a.stunting_change_per_mille?
                    .cmp(&b.stunting_change_per_mille?),
            ),
        }
    }

    /// Whether `row` has a figure in this column.
    fn has_figure(self, row: &OverviewRow) -> bool {
        match self {
            Self::Completeness => row.completeness.den > 0,
            Self::Complete => row.households_complete.den > 0,
            Self::Tkd => row.tkd_total.den > 0,
            Self::Stunting => row.stunting.ratio().den > 0,
            Self::Change => row.stunting_change_per_mille.is_some(),
            _ => true,
        }
    }
}

/// How far along the review a status is: returned is further than a draft (it was sent
/// once) and short of a new submission.
fn progress(status: Status) -> u8 {
    match status {
        Status::Draft => 0,
        Status::Returned => 1,
        Status::Submitted => 2,
        Status::Verified => 3,
    }
}

/// Two fractions by value (`1/3` < `1/2`), exactly; 0/0 has no value.
fn compare_ratios(a: Ratio, b: Ratio) -> Option<Ordering> {
    if a.den == 0 || b.den == 0 {
        return None;
    }
    let left = u128::from(a.num) * u128::from(b.den);
    let right = u128::from(b.num) * u128::from(a.den);
    Some(left.cmp(&right))
}

/// Sorts `rows` by `column`; rows without a figure last, ties by name.
pub fn sort_rows(rows: &mut Vec<OverviewRow>, column: Column, descending: bool) {
    crate::sort::sort_by(rows, |a, b| {
        let missing = (!column.has_figure(a)).cmp(&!column.has_figure(b));
        let by_column = column.compare(a, b).unwrap_or(Ordering::Equal);
        let by_column = if descending {
            by_column.reverse()
        } else {
            by_column
        };
        missing
            .then(by_column)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.regency_code.cmp(&b.regency_code))
    });
}
