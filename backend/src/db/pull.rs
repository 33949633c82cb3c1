//! Reading the change stream of a scope, page by page, in server change order.

use konvergen_shared::sync::{EntityKind, RecordChange};
use rusqlite::{Connection, ToSql};
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

/// Up to `limit` records changed after `after_seq` in the scope, oldest change first.
pub fn changes(
    conn: &Connection,
    scope: &Scope,
    after_seq: u64,
    limit: u32,
) -> DbResult<Vec<RecordChange>> {
    let filter = ScopeFilter::of(scope);
    let sql = format!(
        "SELECT entity, id, version, village_code, deleted, body, change_seq FROM record
         WHERE change_seq > ? AND {} ORDER BY change_seq LIMIT ?",
        filter.sql()
    );
    let after = i64::try_from(after_seq).unwrap_or(i64::MAX);
    let mut params = filter.params(&[&after]);
    let limit = i64::from(limit);
    params.push(&limit);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params.as_slice(), |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, bool>(4)?,
            row.get::<_, Option<String>>(5)?,
            row.get::<_, i64>(6)?,
        ))
    })?;
    let mut changes = Vec::new();
    for row in rows {
        let (entity, id, version, village_code, deleted, body, change_seq) = row?;
        changes.push(RecordChange {
            entity: EntityKind::parse(&entity)
                .ok_or_else(|| anyhow::anyhow!("unknown entity {entity} in database"))?,
            record_id: Uuid::parse_str(&id).map_err(anyhow::Error::from)?,
            version: version.unsigned_abs(),
            village_code,
            deleted,
            body: match body {
                Some(text) => serde_json::from_str(&text).map_err(anyhow::Error::from)?,
                None => serde_json::Value::Null,
            },
            change_seq: change_seq.unsigned_abs(),
        });
    }
    Ok(changes)
}
