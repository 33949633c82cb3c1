//! "Ikhtisar": the province's view of one assessed year, one row per regency or city of the
//! province (`docs/penilaian-kinerja.md` §4): how far each checklist is in its review, how
//! complete it is per action, what the team still owes, the budget and innovations sent, and
//! the outcome figures of the villages' data. [`overview_row`] is the one place that turns a
//! regency's stored parts into its row, so the screen, the export and the tests agree.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{Board, BudgetLine, BudgetSum, Contribution, budget_totals};
use crate::actions::{Catalogue, Checklist, Status};
use crate::aggregates::{AggregateRow, Prevalence};
use crate::monitoring::YearMonth;
use crate::recap::{Quarter, Ratio};

mod order;

pub use order::{Column, sort_rows};

/// Answer of `GET /api/v1/province/{year}/overview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// The province, e.g. `63`.
    pub province_code: String,
    /// Its name.
    pub province_name: String,
    /// The assessed year.
    pub year: i32,
    /// The quarter whose village figures are shown ([`outcome_quarter`]).
    pub quarter: Quarter,
    /// The same quarter a year earlier, for the change in prevalence.
    pub quarter_before: Quarter,
    /// Version of the year's catalogue the completeness is counted against.
    pub catalogue_version: String,
    /// Every regency and city of the province, by code, also those with nothing yet.
    pub rows: Vec<OverviewRow>,
}

/// Required items evidenced in one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionProgress {
    /// The action, 1-8.
    pub number: u8,
    /// Required items done with a link or file / required items of the action.
    pub evidenced: Ratio,
}

/// One regency or city of the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewRow {
    /// Regency code, e.g. `63.03`.
    pub regency_code: String,
    /// Its name, e.g. `Kabupaten Banjar`.
    pub name: String,
    /// Review status; `Draft` also when nothing was saved yet ("not yet submitted").
    pub status: Status,
    /// When the checklist was last submitted, if ever.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    /// Per action of the catalogue, in its order.
    pub actions: Vec<ActionProgress>,
    /// All actions together.
    pub completeness: Ratio,
    /// Distinct links and files behind the items: the checklist's and the agencies' parts.
    pub evidence: u64,
    /// The coordinator's deadline for the agencies, if set.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub due_at: Option<OffsetDateTime>,
    /// Records the agencies sent (or changed) after the deadline.
    pub late_parts: u64,
    /// Agencies of the list that still owe a part (budget, innovation or evidence).
    pub agencies_owing: u64,
    /// Agencies on the regency's list.
    pub agencies: u64,
    /// Budget lines of the assessed year's money.
    pub budget_year: BudgetSum,
    /// Budget lines of the next year's money (the presentation shows both).
    pub budget_next_year: BudgetSum,
    /// Flagship innovations sent.
    pub innovations: u64,
    /// 1000-HPK households with the complete package, in [`Overview::quarter`].
    pub households_complete: Ratio,
    /// Village convergence level (TKD), pregnant women and children together.
    pub tkd_total: Ratio,
    /// Stunting among the children measured in the quarter.
    pub stunting: Prevalence,
    /// The same a year earlier ([`Overview::quarter_before`]).
    pub stunting_before: Prevalence,
    /// Change of the stunting prevalence since then, in tenths of a percentage point
    /// (`-25` is 2.5 points lower); `None` when either quarter measured nobody.
    pub stunting_change_per_mille: Option<i64>,
}

/// What one regency's row is made of, as stored.
#[derive(Debug, Clone, Copy)]
pub struct RowParts<'a> {
    /// Regency code.
    pub regency_code: &'a str,
    /// Regency name.
    pub name: &'a str,
    /// The year's catalogue.
    pub catalogue: &'a Catalogue,
    /// The checklist, when one was saved.
    pub checklist: Option<&'a Checklist>,
    /// The team's board of the year.
    pub board: &'a Board,
    /// Budget lines of the year.
    pub budget_lines: &'a [BudgetLine],
    /// Innovations of the year.
    pub innovations: usize,
    /// The agencies' parts of the year.
    pub contributions: &'a [Contribution],
    /// The regency's village figures in the quarter, when any village has data.
    pub outcome: Option<&'a AggregateRow>,
    /// The same a year earlier.
    pub outcome_before: Option<&'a AggregateRow>,
}

/// The quarter whose village figures stand for an assessed year: its last quarter (the
/// whole year's work is in), or the quarter running now while the year is still going.
pub fn outcome_quarter(year: i32, today: Date) -> Quarter {
    let current = Quarter::of(YearMonth::of(today));
    if year < current.year {
        Quarter { year, quarter: 4 }
    } else {
        Quarter {
            year,
            quarter: current.quarter,
        }
    }
}

/// The same quarter one year earlier: seasons (and the cadres' rounds) line up.
pub fn year_before(quarter: Quarter) -> Quarter {
    Quarter {
        year: quarter.year - 1,
        ..quarter
    }
}

/// The overview row of one regency.
pub fn overview_row(parts: RowParts<'_>) -> OverviewRow {
    let (actions, completeness) = completeness(parts.catalogue, parts.checklist);
    let budget = budget_totals(parts.budget_lines);
    let year = parts.board.year;
    let of_fiscal = |fiscal: i32| {
        budget
            .by_fiscal_year
            .get(&fiscal)
            .copied()
            .unwrap_or_default()
    };
    let outcome =
        |figure: fn(&AggregateRow) -> Ratio| parts.outcome.map(figure).unwrap_or_default();
    let stunting_of = |row: Option<&AggregateRow>| {
        row.map(|row| row.anthropometry.stunting)
            .unwrap_or_default()
    };
    let (stunting, stunting_before) = (
        stunting_of(parts.outcome),
        stunting_of(parts.outcome_before),
    );
    OverviewRow {
        regency_code: parts.regency_code.to_owned(),
        name: parts.name.to_owned(),
        status: parts.checklist.map_or(Status::Draft, |c| c.status),
        submitted_at: parts.checklist.and_then(last_submitted),
        actions,
        completeness,
        evidence: evidence_count(parts.checklist, parts.contributions),
        due_at: parts.board.due_at,
        late_parts: parts.board.agencies.iter().map(|a| u64::from(a.late)).sum(),
        agencies_owing: count(parts.board.agencies.iter().filter(|a| !a.owes().is_empty())),
        agencies: count(parts.board.agencies.iter()),
        budget_year: of_fiscal(year),
        budget_next_year: of_fiscal(year + 1),
        innovations: parts.innovations as u64,
        households_complete: outcome(|row| row.households_complete),
        tkd_total: outcome(|row| row.tkd_total),
        stunting,
        stunting_before,
        stunting_change_per_mille: change_per_mille(stunting.ratio(), stunting_before.ratio()),
    }
}

fn count<T>(items: impl Iterator<Item = T>) -> u64 {
    items.count() as u64
}

/// Required items evidenced, per action and in all: the rule the submission checks
/// ([`Checklist::missing_evidence`]), counted instead of listed.
fn completeness(
    catalogue: &Catalogue,
    checklist: Option<&Checklist>,
) -> (Vec<ActionProgress>, Ratio) {
    let evidenced = |key: &str| {
        checklist
            .and_then(|c| c.item(key))
            .is_some_and(|state| state.evidenced())
    };
    let actions: Vec<ActionProgress> = catalogue
        .actions
        .iter()
        .map(|action| {
            let required: Vec<&str> = action
                .evidence
                .iter()
                .filter(|item| item.required)
                .map(|item| item.key.as_str())
                .collect();
            let done = required.iter().filter(|key| evidenced(key)).count();
            ActionProgress {
                number: action.number,
                evidenced: Ratio::new(done as u64, required.len() as u64),
            }
        })
        .collect();
    let total = actions
        .iter()
        .fold(Ratio::default(), |sum, a| sum.pooled(a.evidenced));
    (actions, total)
}

/// Distinct links and files of the checklist's items and the agencies' parts: a file the
/// coordinator attached again from an agency's part is one piece of evidence, not two.
fn evidence_count(checklist: Option<&Checklist>, contributions: &[Contribution]) -> u64 {
    let mut links = BTreeSet::new();
    let mut files = BTreeSet::new();
    let items = checklist.into_iter().flat_map(|c| c.items.values());
    for item in items {
        links.extend(item.links.iter().map(String::as_str));
        files.extend(item.files.iter().map(|f| f.sha256.to_ascii_lowercase()));
    }
    for part in contributions {
        links.extend(part.links.iter().map(String::as_str));
        files.extend(part.files.iter().map(|f| f.sha256.to_ascii_lowercase()));
    }
    (links.len() + files.len()) as u64
}

fn last_submitted(checklist: &Checklist) -> Option<OffsetDateTime> {
    checklist
        .history
        .iter()
        .rev()
        .find(|step| step.to == Status::Submitted)
        .map(|step| step.at)
}

/// `now − before` in tenths of a percentage point, from the exact fractions (rounded half
/// away from zero), so two regencies with the same counts never differ by a rounding.
pub fn change_per_mille(now: Ratio, before: Ratio) -> Option<i64> {
    if now.den == 0 || before.den == 0 {
        return None;
    }
    let (a, b) = (i128::from(now.num), i128::from(now.den));
    let (c, d) = (i128::from(before.num), i128::from(before.den));
    let numerator = (a * d - c * b) * 1000;
    let denominator = b * d;
    let rounded = (numerator.abs() * 2 + denominator) / (2 * denominator);
    i64::try_from(rounded * numerator.signum()).ok()
}

#[cfg(test)]
mod tests;
