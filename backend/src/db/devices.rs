//! Devices: which user owns them, how far their sequence got, what they last reported.

use konvergen_shared::sync::Heartbeat;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{DbError, DbResult};

/// Registers the device for the user on first contact and returns its last processed
/// sequence. A device id belongs to one user for ever: two cadres sharing a phone have
/// two device ids, so their outboxes never mix.
pub fn claim(tx: &Transaction<'_>, device_id: &str, user_id: i64, now_ms: i64) -> DbResult<u64> {
    let row: Option<(i64, i64)> = tx
        .prepare_cached("SELECT user_id, last_seq FROM device WHERE id = ?1")?
        .query_row([device_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match row {
        Some((owner, last_seq)) if owner == user_id => Ok(last_seq.unsigned_abs()),
        Some(_) => Err(DbError::Conflict(
            "device belongs to another user".to_owned(),
        )),
        None => {
            tx.prepare_cached(
                "INSERT INTO device (id, user_id, first_seen_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![device_id, user_id, now_ms])?;
            Ok(0)
        }
    }
}

/// Records that the device numbered `from..=to` but never delivered them.
pub fn record_loss(
    tx: &Transaction<'_>,
    device_id: &str,
    from: u64,
    to: u64,
    now_ms: i64,
) -> DbResult<()> {
    tracing::warn!(
        device_id,
        from,
        to,
        "sequence gap: device lost unsent mutations"
    );
    tx.prepare_cached(
        "INSERT INTO known_loss (device_id, from_seq, to_seq, detected_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        device_id,
        i64::try_from(from).unwrap_or(i64::MAX),
        i64::try_from(to).unwrap_or(i64::MAX),
        now_ms
    ])?;
    Ok(())
}

/// Moves the device's sequence forward (never back) and stores its heartbeat.
pub fn after_push(
    tx: &Transaction<'_>,
    device_id: &str,
    last_seq: u64,
    now_ms: i64,
    heartbeat: Option<&Heartbeat>,
) -> DbResult<()> {
    tx.prepare_cached(
        "UPDATE device SET last_seq = max(last_seq, ?2), last_push_at = ?3 WHERE id = ?1",
    )?
    .execute(params![
        device_id,
        i64::try_from(last_seq).unwrap_or(i64::MAX),
        now_ms
    ])?;
    if let Some(heartbeat) = heartbeat {
        store_heartbeat(tx, device_id, heartbeat, now_ms)?;
    }
    Ok(())
}

/// Stores what the device reported about itself, its text cut to the caps of
/// [`crate::validation::capped_heartbeat`] whichever way it arrived.
pub fn store_heartbeat(
    conn: &Connection,
    device_id: &str,
    beat: &Heartbeat,
    now_ms: i64,
) -> DbResult<()> {
    let beat = &crate::validation::capped_heartbeat(beat);
    // Saturating: a broken (or hostile) clock value must not overflow.
    let clock_offset = beat
        .device_time_ms
        .map(|device| device.saturating_sub(now_ms));
    let as_i64 = |value: Option<u64>| value.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
    conn.prepare_cached(
        "UPDATE device SET outbox_size = ?2, oldest_pending_secs = ?3, last_pull_device_ms = ?4,
            storage_used = ?5, storage_quota = ?6, persisted = ?7, app_version = ?8,
            clock_offset_ms = ?9, heartbeat_at = ?10
         WHERE id = ?1",
    )?
    .execute(params![
        device_id,
        i64::try_from(beat.outbox_size).unwrap_or(i64::MAX),
        as_i64(beat.oldest_pending_secs),
        beat.last_pull_ms,
        as_i64(beat.storage_used),
        as_i64(beat.storage_quota),
        beat.persisted,
        beat.app_version,
        clock_offset,
        now_ms,
    ])?;
    Ok(())
}

/// Notes a pull by the device, if it is the caller's.
pub fn after_pull(conn: &Connection, device_id: &str, user_id: i64, now_ms: i64) -> DbResult<()> {
    conn.prepare_cached(
        "INSERT INTO device (id, user_id, first_seen_at, last_pull_at) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (id) DO UPDATE SET last_pull_at = excluded.last_pull_at
         WHERE device.user_id = excluded.user_id",
    )?
    .execute(params![device_id, user_id, now_ms])?;
    Ok(())
}

/// Registers a device for a heartbeat alone; refuses another user's device.
pub fn heartbeat_only(
    conn: &mut Connection,
    device_id: &str,
    user_id: i64,
    beat: &Heartbeat,
    now_ms: i64,
) -> DbResult<()> {
    let tx = conn.transaction()?;
    claim(&tx, device_id, user_id, now_ms)?;
    store_heartbeat(&tx, device_id, beat, now_ms)?;
    tx.commit()?;
    Ok(())
}
