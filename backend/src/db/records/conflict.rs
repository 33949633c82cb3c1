//! A stale write kept for review instead of overwriting the server's copy.

use konvergen_shared::sync::Mutation;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Outcome, Stored};
use crate::db::DbResult;
use crate::db::push::Pusher;

/// Keeps a stale write for review. A device has at most one open conflict per record:
/// a further stale edit of the record from the same device merges into it, counted in
/// `repeats`, with the newest incoming body and the server's current copy (each edit
/// carries the whole record, so the newest supersedes the earlier ones; and the review
/// compares against the server version as it is now). One push of 1,000 stale edits of a
/// record used to leave 1,000 open conflicts.
/// `incoming` is the stale upsert's body text, `None` for a stale delete.
pub(super) fn record_conflict(
    tx: &Transaction<'_>,
    pusher: Pusher<'_>,
    device_id: &str,
    mutation: &Mutation,
    stored: &Stored,
    incoming: Option<&str>,
) -> DbResult<Outcome> {
    let op = if incoming.is_some() {
        "upsert"
    } else {
        "delete"
    };
    let record_id = mutation.record_id.to_string();
    let seq = crate::db::push::seq_i64(mutation.seq)?;
    // Any number is a valid stale base; one past SQLite's range must not fail the whole
    // push (the device would retry it for ever), so it is stored saturated.
    let base = i64::try_from(mutation.base_version).unwrap_or(i64::MAX);
    let server_version = i64::try_from(stored.version).unwrap_or(i64::MAX);
    let open: Option<i64> = tx
        .prepare_cached(
            "SELECT id FROM conflict WHERE device_id = ?1 AND record_id = ?2
               AND resolved_at IS NULL ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![device_id, record_id], |row| row.get(0))
        .optional()?;
    if let Some(id) = open {
        tx.prepare_cached(
            "UPDATE conflict SET seq = ?2, base_version = ?3, server_version = ?4,
                server_body = ?5, incoming_body = ?6, incoming_op = ?7, last_at = ?8,
                repeats = repeats + 1
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            seq,
            base,
            server_version,
            stored.body,
            incoming,
            op,
            pusher.now_ms
        ])?;
    } else {
        tx.prepare_cached(
            "INSERT INTO conflict (record_id, entity, village_code, device_id, user_id, seq,
                base_version, server_version, server_body, incoming_body, incoming_op, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            record_id,
            mutation.entity.as_str(),
            stored.village_code,
            device_id,
            pusher.user_id,
            seq,
            base,
            server_version,
            stored.body,
            incoming,
            op,
            pusher.now_ms,
        ])?;
    }
    Ok(Outcome::Conflict {
        server_version: stored.version,
    })
}
