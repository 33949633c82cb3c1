//! "Belum mengirim": what each agency of the team has sent for a year, which of its
//! assigned items it still owes, and what came after the coordinator's deadline.

use serde::{Deserialize, Serialize};

use super::{Assignment, Deadline};

/// What the board shows for one agency of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyProgress {
    /// The agency.
    pub agency: String,
    /// Budget lines for the assessed year's budget.
    pub budget_lines_year: u32,
    /// Budget lines for the next year's budget.
    pub budget_lines_next_year: u32,
    /// Innovations.
    pub innovations: u32,
    /// Contributions to evidence items.
    pub contributions: u32,
    /// Evidence items the coordinator gave it.
    #[serde(default)]
    pub items_assigned: u32,
    /// Of those, the ones it has not sent its part of yet (item keys).
    #[serde(default)]
    pub items_owed: Vec<String>,
    /// Records that arrived (or were last changed) after the deadline.
    pub late: u32,
    /// When the agency last sent something (ms since the epoch, server time).
    pub last_sent_ms: Option<i64>,
}

impl AgencyProgress {
    /// Which of the three parts the agency still owes.
    pub fn owes(&self) -> Vec<Part> {
        let mut owed = Vec::new();
        if self.budget_lines_year == 0 || self.budget_lines_next_year == 0 {
            owed.push(Part::Budget);
        }
        if self.innovations == 0 {
            owed.push(Part::Innovation);
        }
        // Given items, it owes exactly those; given none, at least one part of some item.
        let evidence_owed = if self.items_assigned > 0 {
            !self.items_owed.is_empty()
        } else {
            self.contributions == 0
        };
        if evidence_owed {
            owed.push(Part::Evidence);
        }
        owed
    }
}

/// The three parts each agency sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Budget lines for both fiscal years.
    Budget,
    /// A flagship innovation.
    Innovation,
    /// Its part of the evidence items.
    Evidence,
}

/// "Belum mengirim": every agency of the list with what it sent for a year, and the deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// The regency.
    pub regency_code: String,
    /// The assessed year.
    pub year: i32,
    /// The deadline, if the coordinator set one.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub due_at: Option<time::OffsetDateTime>,
    /// One row per agency on the list, by name.
    pub agencies: Vec<AgencyProgress>,
}

/// A stored district record as the board needs it: its kind, body and last server write.
#[derive(Debug, Clone)]
pub struct StoredPart<'a> {
    /// Kind.
    pub kind: crate::sync::EntityKind,
    /// Body as stored.
    pub body: &'a serde_json::Value,
    /// Server time of the last write (ms since the epoch).
    pub updated_at_ms: i64,
}

/// The board of `year` from the agency list and the regency's live district records.
pub fn board(
    regency_code: &str,
    year: i32,
    agencies: &[String],
    records: &[StoredPart<'_>],
) -> Board {
    use crate::sync::EntityKind as K;
    let of_year = |part: &&StoredPart<'_>| part.body["year"].as_i64() == Some(i64::from(year));
    let due_at = records
        .iter()
        .filter(|p| p.kind == K::Deadline)
        .filter(of_year)
        .max_by_key(|p| p.updated_at_ms)
        .and_then(|p| serde_json::from_value::<Deadline>(p.body.clone()).ok())
        .map(|d| d.due_at);
    let due_ms = due_at.map(|at| (at.unix_timestamp_nanos() / 1_000_000) as i64);
    let assignments: Vec<Assignment> = records
        .iter()
        .filter(|p| p.kind == K::Assignment)
        .filter(of_year)
        .filter_map(|p| serde_json::from_value(p.body.clone()).ok())
        .collect();
    let rows = agencies
        .iter()
        .map(|agency| progress_of(agency, year, due_ms, &assignments, records))
        .collect();
    Board {
        regency_code: regency_code.to_owned(),
        year,
        due_at,
        agencies: rows,
    }
}

/// One agency's row of the board.
fn progress_of(
    agency: &str,
    year: i32,
    due_ms: Option<i64>,
    assignments: &[Assignment],
    records: &[StoredPart<'_>],
) -> AgencyProgress {
    use crate::sync::EntityKind as K;
    let mut row = AgencyProgress {
        agency: agency.to_owned(),
        budget_lines_year: 0,
        budget_lines_next_year: 0,
        innovations: 0,
        contributions: 0,
        items_assigned: 0,
        items_owed: Vec::new(),
        late: 0,
        last_sent_ms: None,
    };
    let own: Vec<&StoredPart<'_>> = records
        .iter()
        .filter(|p| p.body["year"].as_i64() == Some(i64::from(year)))
        .filter(|p| p.body["agency"].as_str() == Some(agency))
        .collect();
    for part in &own {
        match part.kind {
            K::BudgetLine if part.body["fiscal_year"].as_i64() == Some(i64::from(year)) => {
                row.budget_lines_year += 1;
            }
            K::BudgetLine => row.budget_lines_next_year += 1,
            K::Innovation => row.innovations += 1,
            K::Contribution => row.contributions += 1,
            _ => continue,
        }
        if due_ms.is_some_and(|due| part.updated_at_ms > due) {
            row.late += 1;
        }
        row.last_sent_ms = row.last_sent_ms.max(Some(part.updated_at_ms));
    }
    let sent_for = |key: &str| {
        own.iter()
            .any(|p| p.kind == K::Contribution && p.body["item_key"].as_str() == Some(key))
    };
    for given in assignments.iter().filter(|a| a.includes(agency)) {
        row.items_assigned += 1;
        if !sent_for(&given.item_key) {
            row.items_owed.push(given.item_key.clone());
        }
    }
    row
}
