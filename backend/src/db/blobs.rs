//! What the blob store holds, who sent it and which records name it (migration 0008).
//!
//! References are kept in `blob_ref`, written in the same transaction as the record that
//! names the file (see [`replace_checklist_refs`]), rather than computed by scanning stored
//! records at read time: a read check is then one indexed lookup, the sweeper one
//! `NOT EXISTS`, and a new kind of record (innovations, rembuk documents) only adds its own
//! `kind` and a rule in [`readable_regions`]'s caller.

use std::collections::HashSet;

use konvergen_shared::actions::Checklist;
use konvergen_shared::sync::EntityKind;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{DbResult, Store};

/// Reference kind of a file named by an evidence item of an 8-action checklist.
pub const KIND_CHECKLIST_ITEM: &str = "checklist_item";
/// Reference kind of a file named by a record of a regency's team (an agency's part of an
/// item, an innovation's photos); `record` is the record's id, `region` the regency.
pub const KIND_DISTRICT_RECORD: &str = "district_record";

/// A stored blob's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRow {
    /// Content hash, 64 lower-case hex digits.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type found by sniffing the content.
    pub media_type: String,
}

/// What an upload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The content is new.
    Created,
    /// The content was already stored; only the uploader and the time were noted.
    AlreadyThere,
}

/// Notes an upload of verified content by `user_id` (one transaction).
pub fn record_upload(
    conn: &mut Connection,
    blob: &BlobRow,
    user_id: i64,
    now_ms: i64,
) -> DbResult<Recorded> {
    let tx = conn.transaction()?;
    let size = i64::try_from(blob.size).unwrap_or(i64::MAX);
    let created = tx.execute(
        "INSERT INTO blob (sha256, size, media_type, uploaded_by, created_at, last_put_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (sha256) DO NOTHING",
        params![blob.sha256, size, blob.media_type, user_id, now_ms],
    )? == 1;
    if !created {
        tx.execute(
            "UPDATE blob SET last_put_at = max(last_put_at, ?2) WHERE sha256 = ?1",
            params![blob.sha256, now_ms],
        )?;
    }
    tx.execute(
        "INSERT INTO blob_uploader (sha256, user_id, at) VALUES (?1, ?2, ?3)
         ON CONFLICT (sha256, user_id) DO NOTHING",
        params![blob.sha256, user_id, now_ms],
    )?;
    tx.commit()?;
    Ok(if created {
        Recorded::Created
    } else {
        Recorded::AlreadyThere
    })
}

/// The row of a stored blob.
pub fn blob(conn: &Connection, sha256: &str) -> DbResult<Option<BlobRow>> {
    Ok(conn
        .query_row(
            "SELECT sha256, size, media_type FROM blob WHERE sha256 = ?1",
            params![sha256],
            |row| {
                Ok(BlobRow {
                    sha256: row.get(0)?,
                    size: row.get::<_, i64>(1)?.unsigned_abs(),
                    media_type: row.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Whether `user_id` sent this content.
pub fn is_uploader(conn: &Connection, sha256: &str, user_id: i64) -> DbResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM blob_uploader WHERE sha256 = ?1 AND user_id = ?2",
            params![sha256, user_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The regions of the records of `kind` that name this content.
pub fn readable_regions(conn: &Connection, sha256: &str, kind: &str) -> DbResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT region FROM blob_ref WHERE sha256 = ?1 AND kind = ?2 ORDER BY region",
    )?;
    let rows = stmt.query_map(params![sha256, kind], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Which of `hashes` the store holds.
pub fn present(conn: &Connection, hashes: &[String]) -> DbResult<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM blob WHERE sha256 = ?1")?;
    let mut found = HashSet::new();
    for hash in hashes {
        if stmt.exists(params![hash])? {
            found.insert(hash.clone());
        }
    }
    Ok(found)
}

/// Makes `blob_ref` name exactly the files of the checklist's items; called in the
/// transaction that stores the checklist, so the two never disagree.
pub fn replace_checklist_refs(tx: &Transaction<'_>, checklist: &Checklist) -> DbResult<()> {
    let prefix = format!("{}/{}/", checklist.regency_code, checklist.year);
    // The records of this checklist are exactly the keys starting with `regency/year/`:
    // the range [`…/2026/`, `…/20260`) (`0` is the character after `/`), on the primary key.
    tx.execute(
        "DELETE FROM blob_ref WHERE kind = ?1 AND record >= ?2 AND record < ?3",
        params![
            KIND_CHECKLIST_ITEM,
            prefix,
            format!("{}/{}0", checklist.regency_code, checklist.year)
        ],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO blob_ref (sha256, kind, record, region) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
    )?;
    for (key, item) in &checklist.items {
        for file in &item.files {
            insert.execute(params![
                file.sha256,
                KIND_CHECKLIST_ITEM,
                format!("{prefix}{key}"),
                checklist.regency_code
            ])?;
        }
    }
    Ok(())
}

/// Makes `blob_ref` name exactly the files of a team record as just written (none once it
/// is deleted); called in the transaction that writes the record.
pub fn replace_record_refs(
    tx: &Transaction<'_>,
    record_id: uuid::Uuid,
    kind: EntityKind,
    regency: &str,
    body: Option<&str>,
) -> DbResult<()> {
    let record = record_id.to_string();
    tx.prepare_cached("DELETE FROM blob_ref WHERE kind = ?1 AND record = ?2")?
        .execute(params![KIND_DISTRICT_RECORD, record])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO blob_ref (sha256, kind, record, region) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
    )?;
    for sha256 in files_of(kind, body) {
        insert.execute(params![sha256, KIND_DISTRICT_RECORD, record, regency])?;
    }
    Ok(())
}

/// The hashes of the files a team record names (its body as already type-checked).
fn files_of(kind: EntityKind, body: Option<&str>) -> Vec<String> {
    use konvergen_shared::district::{Contribution, Innovation};
    let Some(body) = body else {
        return Vec::new();
    };
    let files = match kind {
        EntityKind::Contribution => serde_json::from_str::<Contribution>(body).map(|c| c.files),
        EntityKind::Innovation => serde_json::from_str::<Innovation>(body).map(|i| i.photos),
        _ => return Vec::new(),
    };
    files
        .unwrap_or_default()
        .into_iter()
        .map(|file| file.sha256.to_ascii_lowercase())
        .collect()
}

/// Deletes the rows of blobs nobody references whose last upload is before `cutoff_ms`, and
/// returns their hashes (the caller removes the files). One statement, so a record write
/// naming the blob either commits before (and keeps it) or finds it gone (pending again).
pub fn delete_unreferenced(conn: &Connection, cutoff_ms: i64) -> DbResult<Vec<String>> {
    let mut stmt = conn.prepare(
        "DELETE FROM blob WHERE last_put_at < ?1
           AND NOT EXISTS (SELECT 1 FROM blob_ref AS r WHERE r.sha256 = blob.sha256)
         RETURNING sha256",
    )?;
    let rows = stmt.query_map(params![cutoff_ms], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Who may read a stored blob: its row, whether the caller uploaded it, and the regions of
/// the records that name it under the reference kinds the caller's role reads.
#[derive(Debug, Clone, Default)]
pub struct BlobAccess {
    /// The blob's row, `None` when the content is unknown.
    pub blob: Option<BlobRow>,
    /// The caller sent this content.
    pub uploader: bool,
    /// Regions of the records naming it (empty for the uploader: not needed).
    pub regions: Vec<String>,
}

/// The blob rows as the file routes and the sweeper use them.
impl Store {
    /// Notes an upload ([`record_upload`]).
    pub async fn record_upload(
        &self,
        blob: BlobRow,
        user_id: i64,
        now_ms: i64,
    ) -> DbResult<Recorded> {
        self.call(move |conn| record_upload(conn, &blob, user_id, now_ms))
            .await
    }

    /// The hashes of `hashes` that are stored.
    pub async fn blobs_present(&self, hashes: Vec<String>) -> DbResult<HashSet<String>> {
        self.call(move |conn| present(conn, &hashes)).await
    }

    /// Of `candidates`, the hashes no row knows (files left by a crash before their commit).
    pub async fn unknown_blobs(&self, candidates: Vec<String>) -> DbResult<Vec<String>> {
        self.call(move |conn| {
            let known = present(conn, &candidates)?;
            Ok(candidates
                .into_iter()
                .filter(|sha| !known.contains(sha))
                .collect())
        })
        .await
    }

    /// Deletes unreferenced rows older than `cutoff_ms` ([`delete_unreferenced`]).
    pub async fn delete_unreferenced_blobs(&self, cutoff_ms: i64) -> DbResult<Vec<String>> {
        self.call(move |conn| delete_unreferenced(conn, cutoff_ms))
            .await
    }

    /// What a read of `sha256` by `user_id` needs to decide ([`BlobAccess`]); `kinds` are the
    /// reference kinds the caller's role reads.
    pub async fn blob_access(
        &self,
        sha256: String,
        user_id: i64,
        kinds: &'static [&'static str],
    ) -> DbResult<BlobAccess> {
        self.call(move |conn| {
            let Some(blob) = blob(conn, &sha256)? else {
                return Ok(BlobAccess::default());
            };
            let uploader = is_uploader(conn, &sha256, user_id)?;
            let mut regions = Vec::new();
            if !uploader {
                for kind in kinds {
                    regions.extend(readable_regions(conn, &sha256, kind)?);
                }
            }
            Ok(BlobAccess {
                blob: Some(blob),
                uploader,
                regions,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checklists saved before migration 0008 named files already: their references are
    /// filled in, so the sweeper does not take those files and their readers keep access.
    #[test]
    fn the_migration_backfills_references_of_earlier_checklists() {
        let mut conn = Connection::open_in_memory().expect("open");
        let migrations = crate::db::migrations::migrations();
        migrations.to_version(&mut conn, 7).expect("schema 7");
        // No regions loaded in this bare database.
        conn.pragma_update(None, "foreign_keys", "OFF")
            .expect("pragma");
        let hash = "AB".repeat(32);
        let body = serde_json::json!({
            "regency_code": "63.03", "year": 2026,
            "items": {"a1.1": {"done": true, "files": [
                {"name": "perbup.pdf", "size": 10, "sha256": hash, "media_type": "application/pdf"}
            ]}, "a1.2": {"done": true, "links": ["https://example.org"]}}
        });
        conn.execute(
            "INSERT INTO action_checklist (regency_code, year, body, updated_at) VALUES ('63.03', 2026, ?1, 0)",
            params![body.to_string()],
        )
        .expect("old checklist");
        migrations.to_latest(&mut conn).expect("migrate");
        let regions = readable_regions(&conn, &hash.to_ascii_lowercase(), KIND_CHECKLIST_ITEM)
            .expect("regions");
        assert_eq!(regions, vec!["63.03".to_owned()]);
        let record: String = conn
            .query_row("SELECT record FROM blob_ref", [], |row| row.get(0))
            .expect("one reference");
        assert_eq!(record, "63.03/2026/a1.1");
    }
}
