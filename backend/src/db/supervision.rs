//! Queries behind the supervisors' views: device and village sync status, conflicts.

use konvergen_shared::supervision::{
    ConflictView, DeviceStatus, Resolution, VillageStatus, diff_fields,
};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::pull::ScopeFilter;
use super::{DbError, DbResult};
use crate::auth::Scope;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Devices of cadres whose villages lie in the scope.
pub fn devices(
    conn: &Connection,
    scope: &Scope,
    now_ms: i64,
    silent_days: u32,
) -> DbResult<Vec<DeviceStatus>> {
    let filter = ScopeFilter::of(scope).on_column("a.region_code");
    let sql = format!(
        "SELECT d.id, u.username, u.display_name, d.last_push_at, d.last_pull_at, d.outbox_size,
                d.oldest_pending_secs, d.storage_used, d.storage_quota, d.persisted, d.app_version,
                d.clock_offset_ms, d.heartbeat_at,
                (SELECT coalesce(sum(to_seq - from_seq + 1), 0) FROM known_loss k WHERE k.device_id = d.id),
                (SELECT group_concat(region_code, ',') FROM user_area WHERE user_id = u.id)
         FROM device d JOIN user u ON u.id = d.user_id
         WHERE u.role = 'cadre' AND EXISTS (SELECT 1 FROM user_area a WHERE a.user_id = u.id AND {})
         ORDER BY u.username, d.id",
        filter.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(filter.params(&[]).as_slice(), |row| {
        device_row(row, now_ms, silent_days)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn device_row(row: &Row<'_>, now_ms: i64, silent_days: u32) -> rusqlite::Result<DeviceStatus> {
    let last_push_ms: Option<i64> = row.get(3)?;
    let last_pull_ms: Option<i64> = row.get(4)?;
    let outbox_size: Option<i64> = row.get(5)?;
    let last_contact = last_push_ms.max(last_pull_ms);
    let silent = last_contact.is_none_or(|at| now_ms - at > i64::from(silent_days) * DAY_MS);
    let villages: Option<String> = row.get(14)?;
    Ok(DeviceStatus {
        device_id: row.get(0)?,
        username: row.get(1)?,
        display_name: row.get(2)?,
        villages: villages
            .map(|v| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
        last_push_ms,
        last_pull_ms,
        outbox_size,
        oldest_pending_secs: row.get(6)?,
        storage_used: row.get(7)?,
        storage_quota: row.get(8)?,
        persisted: row.get(9)?,
        app_version: row.get(10)?,
        clock_offset_ms: row.get(11)?,
        heartbeat_ms: row.get(12)?,
        known_lost_mutations: row.get(13)?,
        silent,
        backlog: outbox_size.is_some_and(|size| size > 0),
    })
}

/// Villages in the scope that have a cadre or a record, with their sync summary.
pub fn villages(
    conn: &Connection,
    scope: &Scope,
    month_start_ms: i64,
) -> DbResult<Vec<VillageStatus>> {
    let filter = ScopeFilter::of(scope).on_column("v.code");
    let sql = format!(
        "WITH active AS (
             SELECT region_code AS code FROM user_area
             UNION SELECT DISTINCT village_code FROM record)
         SELECT v.code, v.name, dst.code, dst.name,
            (SELECT count(*) FROM user_area a JOIN user u ON u.id = a.user_id
               WHERE a.region_code = v.code AND u.role = 'cadre'),
            (SELECT count(*) FROM record r WHERE r.village_code = v.code AND r.deleted = 0),
            (SELECT max(d.last_push_at) FROM device d JOIN user_area a ON a.user_id = d.user_id
               WHERE a.region_code = v.code),
            (SELECT max(r.updated_at) FROM record r WHERE r.village_code = v.code),
            (SELECT coalesce(sum(d.outbox_size), 0) FROM device d JOIN user_area a ON a.user_id = d.user_id
               WHERE a.region_code = v.code),
            (SELECT count(*) FROM conflict c WHERE c.village_code = v.code AND c.resolved_at IS NULL)
         FROM region v JOIN region dst ON dst.code = v.parent
         WHERE v.level = 'village' AND v.code IN (SELECT code FROM active) AND {}
         ORDER BY v.code",
        filter.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(filter.params(&[]).as_slice(), |row| {
        let last_record: Option<i64> = row.get(7)?;
        Ok(VillageStatus {
            code: row.get(0)?,
            name: row.get(1)?,
            district_code: row.get(2)?,
            district_name: row.get(3)?,
            cadres: row.get(4)?,
            records: row.get(5)?,
            last_push_ms: row.get(6)?,
            synced_this_month: last_record.is_some_and(|at| at >= month_start_ms),
            pending_reported: row.get(8)?,
            open_conflicts: row.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The columns [`conflict_row`] reads, from `conflict c JOIN user u`.
const CONFLICT_COLUMNS: &str =
    "c.id, c.record_id, c.entity, c.village_code, u.username, c.device_id, c.base_version,
     c.server_version, c.server_body, c.incoming_body, c.created_at, c.resolved_at,
     c.resolution, c.reason, c.repeats, coalesce(c.last_at, c.created_at)";

/// Conflicts in the scope; open ones only unless `include_resolved`.
pub fn conflicts(
    conn: &Connection,
    scope: &Scope,
    include_resolved: bool,
) -> DbResult<Vec<ConflictView>> {
    let filter = ScopeFilter::of(scope).on_column("c.village_code");
    let sql = format!(
        "SELECT {CONFLICT_COLUMNS}
         FROM conflict c JOIN user u ON u.id = c.user_id
         WHERE (? OR c.resolved_at IS NULL) AND {} ORDER BY c.id",
        filter.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(filter.params(&[&include_resolved]).as_slice(), conflict_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn conflict_row(row: &Row<'_>) -> rusqlite::Result<ConflictView> {
    let parse = |text: Option<String>| {
        text.and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null)
    };
    let server_body = parse(row.get(8)?);
    let incoming_body = parse(row.get(9)?);
    let resolution: Option<String> = row.get(12)?;
    Ok(ConflictView {
        id: row.get(0)?,
        record_id: row.get(1)?,
        entity: row.get(2)?,
        village_code: row.get(3)?,
        username: row.get(4)?,
        device_id: row.get(5)?,
        base_version: row.get(6)?,
        server_version: row.get(7)?,
        diff: diff_fields(&server_body, &incoming_body),
        server_body,
        incoming_body,
        created_ms: row.get(10)?,
        resolved_ms: row.get(11)?,
        resolution: resolution.and_then(|r| serde_json::from_value(Value::String(r)).ok()),
        reason: row.get(13)?,
        count: row.get(14)?,
        last_ms: row.get(15)?,
    })
}

/// One conflict if it lies in the scope (otherwise `NotFound`, like a missing one): read
/// by its id with the scope as a condition, not by listing the scope's conflicts.
pub fn conflict(conn: &Connection, scope: &Scope, id: i64) -> DbResult<ConflictView> {
    let filter = ScopeFilter::of(scope).on_column("c.village_code");
    let found = conn
        .prepare_cached(&conflict_by_id_sql(&filter))?
        .query_row(filter.params(&[&id]).as_slice(), conflict_row)
        .optional()?;
    found.ok_or(DbError::NotFound)
}

fn conflict_by_id_sql(filter: &ScopeFilter) -> String {
    format!(
        "SELECT {CONFLICT_COLUMNS}
         FROM conflict c JOIN user u ON u.id = c.user_id
         WHERE c.id = ? AND {}",
        filter.sql()
    )
}

/// Marks a conflict resolved.
pub fn mark_resolved(
    conn: &Connection,
    id: i64,
    user_id: i64,
    resolution: Resolution,
    reason: &str,
    now_ms: i64,
) -> DbResult<()> {
    let name = serde_json::to_value(resolution).map_err(anyhow::Error::from)?;
    conn.execute(
        "UPDATE conflict SET resolved_at = ?2, resolved_by = ?3, resolution = ?4, reason = ?5 WHERE id = ?1",
        params![id, now_ms, user_id, name.as_str(), reason],
    )?;
    Ok(())
}

/// Current version of a record (`None` when unknown).
pub fn record_version(conn: &Connection, id: &str) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row("SELECT version FROM record WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lookup reads one row by its key whatever the scope; it used to list every
    /// conflict of the scope and pick one.
    #[test]
    fn a_conflict_is_looked_up_by_its_key() {
        let mut conn = Connection::open_in_memory().expect("open");
        super::super::migrations::migrate(&mut conn).expect("migrate");
        let scope = Scope::Under(vec!["63.03".to_owned()]);
        let filter = ScopeFilter::of(&scope).on_column("c.village_code");
        let sql = format!("EXPLAIN QUERY PLAN {}", conflict_by_id_sql(&filter));
        let mut stmt = conn.prepare(&sql).expect("plan");
        let plan: Vec<String> = stmt
            .query_map(filter.params(&[&1_i64]).as_slice(), |row| row.get(3))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        let conflict_step = plan.iter().find(|step| step.contains(" c ")).expect("step");
        assert!(
            conflict_step.contains("INTEGER PRIMARY KEY"),
            "plan: {plan:?}"
        );
    }
}
