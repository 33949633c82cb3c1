//! Writing one synced record: link and scope checks, optimistic versions, conflicts, audit.

use konvergen_shared::api::FieldError;
use konvergen_shared::records::Verdicts;
use konvergen_shared::sync::{EntityKind, Mutation};
use rusqlite::{OptionalExtension, Transaction, params};

use super::push::Pusher;
use super::{DbError, DbResult, checksums};
use crate::entities::{self, Link, field_error};

/// What happened to one mutation.
#[derive(Debug)]
pub enum Outcome {
    /// Written as `version`, carried by `change_seq`.
    Applied {
        /// New version of the record.
        version: u64,
        /// Server change sequence of the write.
        change_seq: u64,
    },
    /// Stale base version: kept for review, server copy unchanged.
    Conflict {
        /// The server's current version.
        server_version: u64,
    },
    /// Refused with reasons.
    Rejected(Vec<FieldError>),
}

mod conflict;
mod writes;

use conflict::record_conflict;

pub use writes::{Writes, batch};

/// Either a value or the field errors that refuse the mutation.
type Checked<T> = Result<T, Vec<FieldError>>;

/// Where a record goes: its village and its parent record, if any.
#[derive(Debug)]
struct Placement {
    village: String,
    parent: Option<String>,
}

/// A record's version before and after a write.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// `None` for a new record.
    from: Option<u64>,
    to: u64,
}

impl Step {
    /// The write after `stored` (the stored version, if any): versions count from 1.
    fn after(stored: Option<u64>) -> Self {
        Self {
            from: stored,
            to: stored.map_or(1, |version| version + 1),
        }
    }
}

/// The server's copy of a record.
#[derive(Debug)]
struct Stored {
    entity: String,
    village_code: String,
    version: u64,
    deleted: bool,
    body: Option<String>,
}

/// A pushed body as its compact JSON text, with the validation verdicts worked out before
/// the transaction ([`super::push::encode`]).
#[derive(Debug, Clone, Copy)]
pub struct JudgedBody<'a> {
    /// `mutation.body` as compact JSON text, as it is stored.
    pub text: &'a str,
    /// The verdicts as a first version and as an edit.
    pub verdicts: &'a Verdicts,
}

/// Creates or updates a record with `judged`, the mutation's body.
pub fn upsert(
    tx: &Transaction<'_>,
    writes: &mut Writes,
    pusher: Pusher<'_>,
    device_id: &str,
    mutation: &Mutation,
    judged: JudgedBody<'_>,
) -> DbResult<Outcome> {
    // Where the record belongs first: an out-of-area reference must look like a missing
    // one, whatever else is wrong with the body.
    let placement = match resolve_village(tx, writes, pusher, mutation)? {
        Ok(found) => found,
        Err(errors) => return Ok(Outcome::Rejected(errors)),
    };
    let stored = load(tx, &mutation.record_id.to_string())?;
    if let Err(errors) = judged.verdicts.for_record(stored.is_none()) {
        return Ok(Outcome::Rejected(errors));
    }
    let body = judged.text;
    if let Some(stored) = &stored
        && let Some(refusal) = refuse_existing(stored, pusher, mutation)
    {
        return Ok(refusal);
    }
    let stored_body = stored.as_ref().and_then(|s| s.body.as_deref());
    if let Some(errors) = super::district::refusal(tx, pusher, mutation, stored_body)? {
        return Ok(Outcome::Rejected(errors));
    }
    if let Some(stored) = &stored {
        if stored.village_code != placement.village {
            return Ok(Outcome::Rejected(vec![moved_error()]));
        }
        if stored.version != mutation.base_version {
            return record_conflict(tx, pusher, device_id, mutation, stored, Some(body));
        }
    }
    let step = Step::after(stored.as_ref().map(|s| s.version));
    let change_seq = write(
        tx,
        writes,
        pusher,
        device_id,
        mutation,
        &placement,
        step,
        Some(body),
    )?;
    // A create is audited by its record row (`created_at`, `created_by`, `created_device`,
    // migration 0013) and its body is the record's version 1, read through `audit_trail`;
    // an update keeps the body it replaces.
    if let Some(stored) = stored {
        writes.audit(
            pusher,
            device_id,
            mutation,
            "upsert",
            stored.body,
            Some(body.to_owned()),
        );
    }
    Ok(Outcome::Applied {
        version: step.to,
        change_seq,
    })
}

/// Soft-deletes a record: it stays as a tombstone that syncs to every device.
pub fn delete(
    tx: &Transaction<'_>,
    writes: &mut Writes,
    pusher: Pusher<'_>,
    device_id: &str,
    mutation: &Mutation,
) -> DbResult<Outcome> {
    let Some(stored) = load(tx, &mutation.record_id.to_string())? else {
        return Ok(Outcome::Rejected(vec![not_found("record_id")]));
    };
    if let Some(refusal) = refuse_existing(&stored, pusher, mutation) {
        return Ok(refusal);
    }
    if let Some(errors) = super::district::refusal(tx, pusher, mutation, stored.body.as_deref())? {
        return Ok(Outcome::Rejected(errors));
    }
    // Before the version check: a stale delete that breaks the rule is refused outright
    // rather than queued for a review that could only refuse it again.
    if let Some(refusal) = refuse_orphaning(tx, &stored, mutation)? {
        return Ok(refusal);
    }
    if stored.version != mutation.base_version {
        return record_conflict(tx, pusher, device_id, mutation, &stored, None);
    }
    let step = Step::after(Some(stored.version));
    let parent: Option<String> = tx
        .prepare_cached("SELECT parent_id FROM record WHERE id = ?1")?
        .query_row([mutation.record_id.to_string()], |row| row.get(0))?;
    let placement = Placement {
        village: stored.village_code.clone(),
        parent,
    };
    let change_seq = write(
        tx, writes, pusher, device_id, mutation, &placement, step, None,
    )?;
    writes.audit(pusher, device_id, mutation, "delete", stored.body, None);
    Ok(Outcome::Applied {
        version: step.to,
        change_seq,
    })
}

/// Refusals that apply to any write on an existing record.
fn refuse_existing(stored: &Stored, pusher: Pusher<'_>, mutation: &Mutation) -> Option<Outcome> {
    // Out of scope looks exactly like "does not exist": no leak of other areas' ids.
    if !pusher.scope.contains(&stored.village_code) {
        return Some(Outcome::Rejected(vec![not_found("record_id")]));
    }
    if stored.entity != mutation.entity.as_str() {
        return Some(Outcome::Rejected(vec![field_error(
            "entity",
            "entity_mismatch",
            "Jenis data tidak cocok dengan data yang sudah ada",
            "The record id belongs to a record of another kind",
        )]));
    }
    None
}

/// A household is deleted only once its members are: deleting it first would leave live
/// members that are still counted but can no longer be edited (their household is gone).
/// The app asks for the members first (frontend/src/components/delete.rs); this is the same
/// rule on the server, for every client. Members keep their forms and measurements as
/// history, so the rule is about households only. Deleting the members and then the
/// household in one batch works: mutations apply in order.
fn refuse_orphaning(
    tx: &Transaction<'_>,
    stored: &Stored,
    mutation: &Mutation,
) -> DbResult<Option<Outcome>> {
    if stored.deleted || stored.entity != EntityKind::Household.as_str() {
        return Ok(None);
    }
    let live: i64 = tx
        .prepare_cached("SELECT count(*) FROM record WHERE parent_id = ?1 AND deleted = 0")?
        .query_row([mutation.record_id.to_string()], |row| row.get(0))?;
    if live == 0 {
        return Ok(None);
    }
    Ok(Some(Outcome::Rejected(vec![field_error(
        "record_id",
        "has_members",
        &format!("Rumah tangga ini masih punya {live} anggota; hapus anggotanya dulu"),
        &format!("This household still has {live} member(s); delete them first"),
    )])))
}

/// The village a record belongs to and its parent id, or why they are unacceptable.
fn resolve_village(
    tx: &Transaction<'_>,
    writes: &mut Writes,
    pusher: Pusher<'_>,
    mutation: &Mutation,
) -> DbResult<Checked<Placement>> {
    let link = match entities::link_of(mutation.entity, &mutation.body) {
        Ok(link) => link,
        Err(errors) => return Ok(Err(errors)),
    };
    match link {
        Link::Village(code) => {
            let level = writes.region_level(tx, &code)?;
            if level.as_deref() != Some("village") {
                return Ok(Err(vec![field_error(
                    "body.village_code",
                    "unknown_village",
                    "Kode desa tidak dikenal",
                    "Unknown village code",
                )]));
            }
            if !pusher.scope.contains(&code) {
                return Ok(Err(vec![field_error(
                    "body.village_code",
                    "out_of_scope",
                    "Desa ini bukan wilayah kerja Anda",
                    "This village is not in your working area",
                )]));
            }
            Ok(Ok(Placement {
                village: code,
                parent: None,
            }))
        }
        Link::Regency(code) => {
            let level = writes.region_level(tx, &code)?;
            if level.as_deref() != Some("regency") || !pusher.scope.contains(&code) {
                return Ok(Err(vec![field_error(
                    "body.regency_code",
                    "out_of_scope",
                    "Kabupaten/kota ini bukan wilayah kerja Anda",
                    "This regency is not in your working area",
                )]));
            }
            Ok(Ok(Placement {
                village: code,
                parent: None,
            }))
        }
        Link::Parent { id, field, kinds } => {
            let parent = writes.parent(tx, id)?;
            let usable = parent.filter(|p| {
                !p.deleted
                    && pusher.scope.contains(&p.village_code)
                    && kinds.iter().any(|k| k.as_str() == p.entity)
            });
            match usable {
                Some(p) => Ok(Ok(Placement {
                    village: p.village_code,
                    parent: Some(id.to_string()),
                })),
                None => Ok(Err(vec![not_found(&format!("body.{field}"))])),
            }
        }
    }
}

/// What a child's write needs of its parent: not its body.
#[derive(Debug, Clone)]
struct Parent {
    entity: String,
    village_code: String,
    deleted: bool,
}

fn load_parent(tx: &Transaction<'_>, id: &str) -> DbResult<Option<Parent>> {
    Ok(tx
        .prepare_cached("SELECT entity, village_code, deleted FROM record WHERE id = ?1")?
        .query_row([id], |row| {
            Ok(Parent {
                entity: row.get(0)?,
                village_code: row.get(1)?,
                deleted: row.get(2)?,
            })
        })
        .optional()?)
}

fn load(tx: &Transaction<'_>, id: &str) -> DbResult<Option<Stored>> {
    Ok(tx
        .prepare_cached(
            "SELECT entity, village_code, version, deleted, body FROM record WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok(Stored {
                entity: row.get(0)?,
                village_code: row.get(1)?,
                version: row.get::<_, i64>(2)?.unsigned_abs(),
                deleted: row.get(3)?,
                body: row.get(4)?,
            })
        })
        .optional()?)
}

/// A record's first version; the creator is kept in the row (migration 0013). Takes the
/// parameters of [`UPDATE_RECORD`].
const INSERT_RECORD: &str = "INSERT INTO record (id, entity, village_code, parent_id, version,
        deleted, body, change_seq, updated_at, updated_by, device_id,
        created_at, created_by, created_device)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?9, ?10, ?11)";

/// A later version of a record. Entity, village and creator never change; matching on the
/// first two lets both statements take the same parameters.
const UPDATE_RECORD: &str = "UPDATE record SET parent_id = ?4, version = ?5, deleted = ?6,
        body = ?7, change_seq = ?8, updated_at = ?9, updated_by = ?10, device_id = ?11
    WHERE id = ?1 AND entity = ?2 AND village_code = ?3";

#[allow(clippy::too_many_arguments)]
fn write(
    tx: &Transaction<'_>,
    writes: &mut Writes,
    pusher: Pusher<'_>,
    device_id: &str,
    mutation: &Mutation,
    placement: &Placement,
    step: Step,
    body: Option<&str>,
) -> DbResult<u64> {
    let change_seq = writes.next_change_seq(tx)?;
    // Before the record row: the village's stored checksum is checked against its newest
    // change as it was before this write.
    writes.checksums.note_write(
        tx,
        &checksums::RecordWrite {
            village: &placement.village,
            record_id: mutation.record_id,
            previous_version: step.from,
            version: step.to,
            change_seq,
        },
    )?;
    // The write knows whether the row exists (it read it in this transaction): a plain
    // insert or update, not an upsert, which made SQLite keep a statement journal per write.
    let sql = if step.from.is_none() {
        INSERT_RECORD
    } else {
        UPDATE_RECORD
    };
    let written = tx.prepare_cached(sql)?.execute(params![
        mutation.record_id.to_string(),
        mutation.entity.as_str(),
        placement.village,
        placement.parent,
        i64::try_from(step.to).unwrap_or(i64::MAX),
        body.is_none(),
        body,
        i64::try_from(change_seq).unwrap_or(i64::MAX),
        pusher.now_ms,
        pusher.user_id,
        device_id,
    ])?;
    if written != 1 {
        // The checks above refuse a change of kind or village, so this is a bug, not input.
        return Err(DbError::Other(anyhow::anyhow!(
            "record {} was not written ({written} rows)",
            mutation.record_id
        )));
    }
    writes.note_parent_write(mutation.record_id, body.is_none());
    if mutation.entity.is_district() {
        super::blobs::replace_record_refs(
            tx,
            mutation.record_id,
            mutation.entity,
            &placement.village,
            body,
        )?;
    }
    Ok(change_seq)
}

fn not_found(field: &str) -> FieldError {
    field_error(
        field,
        "not_found",
        "Data rujukan tidak ditemukan di wilayah kerja Anda",
        "Referenced record not found in your working area",
    )
}

fn moved_error() -> FieldError {
    field_error(
        "body.village_code",
        "village_changed",
        "Desa sebuah data tidak dapat dipindah lewat sinkronisasi",
        "A record cannot move to another village through sync",
    )
}
