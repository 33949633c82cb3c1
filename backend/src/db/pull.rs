//! Reading the change stream of a scope, page by page, in server change order.

use konvergen_shared::sync::{EntityKind, ScopeChecksum};
use rusqlite::{Connection, ToSql};
use serde::Serialize;
use serde_json::value::RawValue;
use uuid::Uuid;

use super::DbResult;
use crate::auth::Scope;

/// What a pull cursor's position means, carried in its `schema_version` field. A cursor with
/// another value makes the device pull its scope from the start again, so this changes only
/// when the change stream itself does (what `change_seq` orders or what a page carries), not
/// with every migration: a phone on 3G should not re-download its villages because the server
/// added a table. The field used to hold the schema version, which was 5 when the two were
/// decoupled, so 5 keeps valid every cursor that phones hold.
pub const CHANGE_STREAM_VERSION: u32 = 5;

/// One record of a pull page as the server sends it: the wire's
/// [`RecordChange`](konvergen_shared::sync::RecordChange) with the body passed through as
/// the JSON text it was stored as, never decoded. Parsing a page of 1,000 bodies into
/// `serde_json::Value` and encoding them again was most of a pull's time and memory. The
/// fields are the wire type's, in its order: the JSON is byte for byte what it gives (a
/// test below pins it), so phones see no difference.
#[derive(Debug, Serialize)]
pub struct StoredChange {
    /// Kind of record.
    pub entity: EntityKind,
    /// Id of the record.
    pub record_id: Uuid,
    /// Version on the server.
    pub version: u64,
    /// Village the record belongs to.
    pub village_code: String,
    /// Soft-deleted.
    pub deleted: bool,
    /// The stored body (JSON `null` when deleted).
    pub body: Box<RawValue>,
    /// Server change sequence of this version.
    pub change_seq: u64,
}

/// A pull page as the server sends it: the wire's
/// [`PullResponse`](konvergen_shared::sync::PullResponse) with [`StoredChange`]s, same
/// fields in the same order.
#[derive(Debug, Serialize)]
pub struct PullPage {
    /// The scope or change stream changed: the device starts again from no cursor.
    pub reset: bool,
    /// Changed records, in change order.
    pub changes: Vec<StoredChange>,
    /// Cursor to send next time.
    pub cursor: String,
    /// More pages follow right now.
    pub has_more: bool,
    /// On the last page: the checksum of the caller's scope.
    pub checksum: Option<ScopeChecksum>,
    /// Server clock (ms since the epoch).
    pub server_time_ms: i64,
}

/// An SQL condition on `village_code` with its parameters.
#[derive(Debug)]
pub struct ScopeFilter {
    sql: String,
    params: Vec<String>,
}

impl ScopeFilter {
    /// The condition selecting the villages of `scope` (and, for region roots, records placed
    /// at the root itself). Region roots become key ranges
    /// (`'63.03.'` < code < `'63.03/'`, as `/` sorts right after `.`), which an index serves.
    pub fn of(scope: &Scope) -> Self {
        let mut parts = Vec::new();
        let mut params = Vec::new();
        match scope {
            Scope::Villages(codes) => {
                for code in codes {
                    parts.push("village_code = ?".to_owned());
                    params.push(code.clone());
                }
            }
            Scope::Under(roots) => {
                // The root itself too: a regency's team places its records (and their
                // conflicts) at the regency's own code.
                for root in roots {
                    parts.push(
                        "(village_code = ? OR (village_code > ? AND village_code < ?))".to_owned(),
                    );
                    params.push(root.clone());
                    params.push(format!("{root}."));
                    params.push(format!("{root}/"));
                }
            }
            Scope::Nothing => {}
        }
        let sql = if parts.is_empty() {
            "0".to_owned()
        } else {
            format!("({})", parts.join(" OR "))
        };
        Self { sql, params }
    }

    /// The same condition on another column (e.g. `a.region_code`).
    pub fn on_column(mut self, column: &str) -> Self {
        self.sql = self.sql.replace("village_code", column);
        self
    }

    /// The SQL condition.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// Parameters for the `?` placeholders of [`ScopeFilter::sql`], after `leading` ones.
    pub fn params<'a>(&'a self, leading: &[&'a dyn ToSql]) -> Vec<&'a dyn ToSql> {
        let mut all: Vec<&dyn ToSql> = leading.to_vec();
        all.extend(self.params.iter().map(|p| p as &dyn ToSql));
        all
    }
}

/// One page of a scope's change stream.
#[derive(Debug, Default)]
pub struct Changes {
    /// The records, oldest change first.
    pub changes: Vec<StoredChange>,
    /// Further changes follow.
    pub has_more: bool,
}

/// JSON bytes of a change besides its body and village code (field names, id, numbers):
/// what a page's byte budget counts per record.
const CHANGE_OVERHEAD_BYTES: usize = 160;

/// Up to `limit` records changed after `after_seq` in the scope, oldest change first,
/// stopping early once they take about `max_bytes` of JSON (at least one record).
pub fn changes(
    conn: &Connection,
    scope: &Scope,
    after_seq: u64,
    limit: u32,
    max_bytes: usize,
) -> DbResult<Changes> {
    let filter = ScopeFilter::of(scope);
    let sql = format!(
        "SELECT entity, id, version, village_code, deleted, body, change_seq FROM record
         WHERE change_seq > ? AND {} ORDER BY change_seq LIMIT ?",
        filter.sql()
    );
    let after = i64::try_from(after_seq).unwrap_or(i64::MAX);
    let mut params = filter.params(&[&after]);
    // One extra row tells whether another page follows.
    let fetch = i64::from(limit) + 1;
    params.push(&fetch);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params.as_slice())?;
    let mut page = Changes::default();
    let mut bytes = 0;
    while let Some(row) = rows.next()? {
        if page.changes.len() >= limit as usize || bytes >= max_bytes {
            page.has_more = true;
            break;
        }
        let change = stored_change(row)?;
        bytes += change.body.get().len() + change.village_code.len() + CHANGE_OVERHEAD_BYTES;
        page.changes.push(change);
    }
    Ok(page)
}

fn stored_change(row: &rusqlite::Row<'_>) -> DbResult<StoredChange> {
    let entity: String = row.get(0)?;
    let id: String = row.get(1)?;
    let body: Option<String> = row.get(5)?;
    Ok(StoredChange {
        entity: EntityKind::parse(&entity)
            .ok_or_else(|| anyhow::anyhow!("unknown entity {entity} in database"))?,
        record_id: Uuid::parse_str(&id).map_err(anyhow::Error::from)?,
        version: row.get::<_, i64>(2)?.unsigned_abs(),
        village_code: row.get(3)?,
        deleted: row.get(4)?,
        // from_string only checks that the text is one JSON value (no tree is built): a
        // damaged row fails its page instead of sending broken JSON.
        body: RawValue::from_string(body.unwrap_or_else(|| "null".to_owned()))
            .map_err(anyhow::Error::from)?,
        change_seq: row.get::<_, i64>(6)?.unsigned_abs(),
    })
}
