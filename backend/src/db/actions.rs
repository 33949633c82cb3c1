//! Storage of the 8-action checklists (the panel's sheets and rubric are in `panel.rs`).

use std::collections::BTreeMap;

use konvergen_shared::actions::{Checklist, WorkflowError};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::DbResult;

/// A checklist as stored, with its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChecklist {
    /// The district's state.
    pub checklist: Checklist,
    /// Writes so far (0: never saved).
    pub version: u64,
    /// The checklist version that last wrote each item (items saved before versions
    /// existed are absent, and count as unchanged), and under [`WritePart::version_key`]
    /// the version that last wrote each item's review.
    pub item_versions: BTreeMap<String, u64>,
}

/// The part of a checklist a write changes, which decides what makes it stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WritePart {
    /// The checklist as a whole (a workflow step): stale after any write.
    Whole,
    /// The district's save of one item: stale only after a save of that item.
    Item(String),
    /// The province's review of one item: stale after a save of that item (the province
    /// would judge content it has not seen) or another review of it. Kept apart from the
    /// item's own version so a review never makes the district's next save of it stale.
    Review(String),
}

impl WritePart {
    /// The entry of `item_versions` this write stamps, if any. Reviews share the map
    /// (no new column) under `review:<key>`, which no catalogue key (`a1.1`) can collide with.
    pub fn version_key(&self) -> Option<String> {
        match self {
            Self::Whole => None,
            Self::Item(key) => Some(key.clone()),
            Self::Review(key) => Some(format!("review:{key}")),
        }
    }

    /// The `item_versions` entries whose change makes this write stale (`None`: any write).
    fn watched(&self) -> Option<Vec<String>> {
        match self {
            Self::Whole => None,
            Self::Item(key) => Some(vec![key.clone()]),
            Self::Review(key) => Some(vec![key.clone(), format!("review:{key}")]),
        }
    }
}

/// What a checklist write is about and which version it was based on.
#[derive(Debug, Clone)]
pub struct ChecklistWrite {
    /// Regency code.
    pub regency: String,
    /// Year.
    pub year: i32,
    /// What the write changes.
    pub part: WritePart,
    /// The version the client read (`None`: an old client, the write applies to the
    /// current state).
    pub expected_version: Option<u64>,
    /// The writer.
    pub user_id: i64,
    /// Server time.
    pub now_ms: i64,
}

/// Why a checklist write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The write was based on an outdated version.
    Stale(Stale),
    /// The workflow or the item checks refused the change.
    Workflow(WorkflowError),
}

/// A write based on version `expected` of a checklist now at `current`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Regency code.
    pub regency: String,
    /// Year.
    pub year: i32,
    /// What the refused write was to change.
    pub part: WritePart,
    /// The version the client read.
    pub expected: u64,
    /// The checklist's version now.
    pub current: u64,
}

/// The stored checklist of a regency and year with its version, if any.
pub fn checklist(conn: &Connection, regency: &str, year: i32) -> DbResult<Option<StoredChecklist>> {
    let row: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT body, version, item_versions FROM action_checklist
             WHERE regency_code = ?1 AND year = ?2",
            params![regency, year],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((body, version, item_versions)) = row else {
        return Ok(None);
    };
    Ok(Some(StoredChecklist {
        checklist: serde_json::from_str(&body).map_err(anyhow::Error::from)?,
        version: version.unsigned_abs(),
        item_versions: serde_json::from_str(&item_versions).map_err(anyhow::Error::from)?,
    }))
}

/// Reads, changes and stores a checklist in one transaction, so no concurrent write can
/// slip between the read and the write (each save used to load and store in two calls,
/// and the later store silently undid the earlier one).
///
/// `fresh` is the checklist to start from when none is stored. With an expected version,
/// a checklist step is refused as stale unless the checklist is still at that version,
/// and an item save unless that item was not written after it (saves of other items in
/// between do not make it stale); a review likewise ([`WritePart`]). The write and its
/// audit row commit together.
pub fn update(
    conn: &mut Connection,
    write: &ChecklistWrite,
    fresh: Checklist,
    edit: impl FnOnce(&mut Checklist) -> Result<(), WorkflowError>,
) -> DbResult<Result<StoredChecklist, Refusal>> {
    // IMMEDIATE takes the write lock before the read: another process (the command-line
    // tools) cannot write in between either.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let before = checklist(&tx, &write.regency, write.year)?;
    let mut stored = before.clone().unwrap_or(StoredChecklist {
        checklist: fresh,
        version: 0,
        item_versions: BTreeMap::new(),
    });
    if let Some(stale) = staleness(write, &stored) {
        return Ok(Err(Refusal::Stale(stale)));
    }
    if let Err(err) = edit(&mut stored.checklist) {
        return Ok(Err(Refusal::Workflow(err)));
    }
    stored.version += 1;
    if let Some(key) = write.part.version_key() {
        stored.item_versions.insert(key, stored.version);
    }
    store(&tx, write, &stored, before.map(|b| b.checklist).as_ref())?;
    tx.commit()?;
    Ok(Ok(stored))
}

fn staleness(write: &ChecklistWrite, stored: &StoredChecklist) -> Option<Stale> {
    let expected = write.expected_version?;
    let changed_since = match write.part.watched() {
        Some(keys) => keys
            .iter()
            .filter_map(|key| stored.item_versions.get(key).copied())
            .max()
            .unwrap_or(0),
        None => stored.version,
    };
    // A version never handed out (from the future) is as wrong as an old one.
    let stale = expected > stored.version || changed_since > expected;
    stale.then(|| Stale {
        regency: write.regency.clone(),
        year: write.year,
        part: write.part.clone(),
        expected,
        current: stored.version,
    })
}

/// Writes the checklist row and audits the change (before and after).
fn store(
    tx: &Transaction<'_>,
    write: &ChecklistWrite,
    stored: &StoredChecklist,
    before: Option<&Checklist>,
) -> DbResult<()> {
    let body = serde_json::to_string(&stored.checklist).map_err(anyhow::Error::from)?;
    let item_versions =
        serde_json::to_string(&stored.item_versions).map_err(anyhow::Error::from)?;
    tx.execute(
        "INSERT INTO action_checklist (regency_code, year, body, updated_at, updated_by, version, item_versions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (regency_code, year) DO UPDATE SET body = excluded.body,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by,
           version = excluded.version, item_versions = excluded.item_versions",
        params![
            write.regency,
            write.year,
            body,
            write.now_ms,
            write.user_id,
            i64::try_from(stored.version).unwrap_or(i64::MAX),
            item_versions
        ],
    )?;
    super::blobs::replace_checklist_refs(tx, &stored.checklist)?;
    let before = before
        .map(serde_json::to_string)
        .transpose()
        .map_err(anyhow::Error::from)?;
    tx.execute(
        "INSERT INTO audit (at, user_id, action, entity, record_id, before, after)
         VALUES (?1, ?2, 'action_checklist', 'action_checklist', ?3, ?4, ?5)",
        params![
            write.now_ms,
            write.user_id,
            format!("{}/{}", write.regency, write.year),
            before,
            body
        ],
    )?;
    Ok(())
}
