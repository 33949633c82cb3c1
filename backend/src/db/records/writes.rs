//! What one transaction's record writes keep in memory and store once at its end.

use konvergen_shared::sync::Mutation;
use rusqlite::Transaction;

use super::{Parent, load_parent};
use crate::db::push::Pusher;
use crate::db::{DbResult, checksums};

/// What one transaction's record writes keep in memory and store once at its end instead
/// of once per write: the server's change counter, each village's checksum (one statement
/// per batch and two per village instead of four per write) and the audit rows (fifty to a
/// statement). Nothing reads any of them while the transaction runs: the connection is the
/// server's only one, and it is busy with the transaction.
#[derive(Debug, Default)]
pub struct Writes {
    /// The counter's value after the last number this transaction took, once it took one.
    counter: Option<u64>,
    pub(super) checksums: checksums::Folds,
    audits: Vec<AuditRow>,
    /// Parents looked up so far, kept current by this transaction's own writes: the
    /// months of forms of one person share their parent, so a batch asks once per person.
    parents: std::collections::HashMap<uuid::Uuid, Parent>,
    /// Region levels looked up so far (regions do not change through a push): a batch
    /// of one village's households asks once.
    levels: std::collections::HashMap<String, Option<String>>,
}

/// Who changed what: one row per applied update or delete (a create is audited by its
/// record row, migration 0013). `after` is `None` for a delete.
#[derive(Debug)]
struct AuditRow {
    at: i64,
    user_id: i64,
    device_id: String,
    action: &'static str,
    entity: &'static str,
    record_id: String,
    before: Option<String>,
    after: Option<String>,
}

impl Writes {
    /// Takes the next value of the server's change counter: numbers are dense and never
    /// reused, because the transaction that takes them also stores the counter.
    pub(super) fn next_change_seq(&mut self, tx: &Transaction<'_>) -> DbResult<u64> {
        let taken = match self.counter {
            Some(value) => value,
            None => tx
                .prepare_cached("SELECT value FROM change_counter WHERE id = 1")?
                .query_row([], |row| row.get::<_, i64>(0))?
                .unsigned_abs(),
        };
        let next = taken + 1;
        self.counter = Some(next);
        Ok(next)
    }

    /// The parent record `id` as the transaction sees it now, if it exists.
    pub(super) fn parent(
        &mut self,
        tx: &Transaction<'_>,
        id: uuid::Uuid,
    ) -> DbResult<Option<Parent>> {
        if let Some(known) = self.parents.get(&id) {
            return Ok(Some(known.clone()));
        }
        let found = load_parent(tx, &id.to_string())?;
        if let Some(parent) = &found {
            self.parents.insert(id, parent.clone());
        }
        Ok(found)
    }

    /// The level of region `code` (`village`, `regency`, ...), if it exists.
    pub(super) fn region_level(
        &mut self,
        tx: &Transaction<'_>,
        code: &str,
    ) -> DbResult<Option<String>> {
        if let Some(known) = self.levels.get(code) {
            return Ok(known.clone());
        }
        let found = crate::db::regions::level_of(tx, code)?;
        self.levels.insert(code.to_owned(), found.clone());
        Ok(found)
    }

    /// Keeps a looked-up parent current after a write of it (entity and village never
    /// change through a write; `deleted` does).
    pub(super) fn note_parent_write(&mut self, id: uuid::Uuid, deleted: bool) {
        if let Some(parent) = self.parents.get_mut(&id) {
            parent.deleted = deleted;
        }
    }

    pub(super) fn audit(
        &mut self,
        pusher: Pusher<'_>,
        device_id: &str,
        mutation: &Mutation,
        action: &'static str,
        before: Option<String>,
        after: Option<String>,
    ) {
        self.audits.push(AuditRow {
            at: pusher.now_ms,
            user_id: pusher.user_id,
            device_id: device_id.to_owned(),
            action,
            entity: mutation.entity.as_str(),
            record_id: mutation.record_id.to_string(),
            before,
            after,
        });
    }

    fn store(self, tx: &Transaction<'_>) -> DbResult<()> {
        if let Some(value) = self.counter {
            tx.prepare_cached("UPDATE change_counter SET value = ?1 WHERE id = 1")?
                .execute([i64::try_from(value).unwrap_or(i64::MAX)])?;
        }
        self.checksums.store(tx)?;
        crate::db::insert_rows(
            tx,
            "INSERT INTO audit (at, user_id, device_id, action, entity, record_id, before, after)",
            8,
            &self.audits,
            |row, params| {
                params.extend([
                    &row.at as &dyn rusqlite::ToSql,
                    &row.user_id,
                    &row.device_id,
                    &row.action,
                    &row.entity,
                    &row.record_id,
                    &row.before,
                    &row.after,
                ]);
            },
        )
    }
}

/// Runs `work`, which writes records through the given [`Writes`], then stores what they
/// kept in memory. Every record write goes through here, so none can leave the counter
/// or a checksum behind.
pub fn batch<T>(
    tx: &Transaction<'_>,
    work: impl FnOnce(&mut Writes) -> DbResult<T>,
) -> DbResult<T> {
    let mut writes = Writes::default();
    let done = work(&mut writes)?;
    writes.store(tx)?;
    Ok(done)
}
