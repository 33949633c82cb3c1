//! The device side of the protocol as plain data: local records, the outbox and the cursor.
//!
//! The browser keeps this state in IndexedDB and the native tests keep it in memory; both
//! use these rules, so what the tests prove about sync holds for the phone too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{
    EntityKind, Mutation, MutationResult, MutationStatus, Operation, RecordChange, ScopeChecksum,
};

/// A record as the device holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    /// Kind.
    pub entity: EntityKind,
    /// Id.
    pub record_id: Uuid,
    /// Latest server version the local copy is based on (0: never on the server).
    pub server_version: u64,
    /// Body, `Null` when deleted.
    pub body: Value,
    /// Deleted (locally or on the server).
    pub deleted: bool,
    /// The server refused the last edit as stale: it waits for a supervisor's review.
    #[serde(default)]
    pub in_conflict: bool,
}

/// One waiting change, with whether it has already left the device once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The mutation as it will be (re)sent.
    pub mutation: Mutation,
    /// Sent at least once: its payload is frozen (a resend must be identical).
    pub sent: bool,
}

/// The receipt the server gave for a mutation, kept for the sync panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// Record concerned.
    pub record_id: Uuid,
    /// Kind of record.
    pub entity: EntityKind,
    /// The server's answer.
    pub result: MutationResult,
}

/// Everything a device keeps for one user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceState {
    /// Records by id.
    pub records: BTreeMap<Uuid, LocalRecord>,
    /// Waiting changes in sequence order.
    pub outbox: Vec<OutboxEntry>,
    /// Next sequence number to hand out.
    pub next_seq: u64,
    /// Pull cursor.
    pub cursor: Option<String>,
    /// Receipts of acknowledged mutations, newest last (bounded).
    pub receipts: Vec<Receipt>,
}

/// How many receipts the sync panel keeps.
pub const RECEIPTS_KEPT: usize = 200;

impl DeviceState {
    /// Records a local edit and queues it. Edits to a record whose queued change has not
    /// left the device yet are merged into it; once sent, a change is frozen and the edit
    /// becomes a new mutation based on the version the earlier one will produce.
    pub fn edit(
        &mut self,
        entity: EntityKind,
        record_id: Uuid,
        op: Operation,
        body: Value,
        now_ms: i64,
    ) {
        let deleted = op == Operation::Delete;
        let record = self
            .records
            .entry(record_id)
            .or_insert_with(|| LocalRecord {
                entity,
                record_id,
                server_version: 0,
                body: Value::Null,
                deleted: false,
                in_conflict: false,
            });
        record.body = if deleted { Value::Null } else { body.clone() };
        record.deleted = deleted;
        let server_version = record.server_version;
        let unsent = self
            .outbox
            .iter_mut()
            .rev()
            .find(|e| e.mutation.record_id == record_id)
            .filter(|entry| !entry.sent);
        if let Some(entry) = unsent {
            entry.mutation.body = body;
            entry.mutation.op = op;
            entry.mutation.client_time_ms = Some(now_ms);
            return;
        }
        let earlier = self
            .outbox
            .iter()
            .filter(|e| e.mutation.record_id == record_id)
            .count() as u64;
        if self.next_seq == 0 {
            self.next_seq = 1;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.outbox.push(OutboxEntry {
            mutation: Mutation {
                seq,
                entity,
                record_id,
                base_version: server_version + earlier,
                op,
                body,
                client_time_ms: Some(now_ms),
            },
            sent: false,
        });
    }

    /// The first `limit` waiting mutations, marked as sent (frozen).
    pub fn take_batch(&mut self, limit: usize) -> Vec<Mutation> {
        self.outbox
            .iter_mut()
            .take(limit)
            .map(|entry| {
                entry.sent = true;
                entry.mutation.clone()
            })
            .collect()
    }

    /// Applies the server's answer: drops acknowledged entries, records versions, keeps
    /// receipts. Rejections are acknowledged too (they must never block the queue).
    pub fn acknowledge(&mut self, last_seq: u64, results: &[MutationResult]) {
        for result in results {
            self.note_result(result);
        }
        self.outbox.retain(|entry| entry.mutation.seq > last_seq);
        let excess = self.receipts.len().saturating_sub(RECEIPTS_KEPT);
        self.receipts.drain(..excess);
    }

    fn note_result(&mut self, result: &MutationResult) {
        let Some(entity) = self
            .outbox
            .iter()
            .find(|e| e.mutation.seq == result.seq)
            .map(|e| e.mutation.entity)
        else {
            return;
        };
        if let Some(record) = self.records.get_mut(&result.record_id) {
            match result.status {
                MutationStatus::Applied | MutationStatus::Duplicate => {
                    if let Some(version) = result.version {
                        record.server_version = record.server_version.max(version);
                    }
                    record.in_conflict = false;
                }
                MutationStatus::Conflict => record.in_conflict = true,
                MutationStatus::Rejected => {}
            }
        }
        self.receipts.push(Receipt {
            record_id: result.record_id,
            entity,
            result: result.clone(),
        });
    }

    /// Whether a record has changes waiting to be sent.
    pub fn has_pending(&self, record_id: Uuid) -> bool {
        self.outbox
            .iter()
            .any(|e| e.mutation.record_id == record_id)
    }

    /// Applies one pulled page. Records with pending local edits are left alone: the
    /// local edit is newer and will reach the server (or become a conflict there).
    pub fn apply_page(&mut self, changes: &[RecordChange], cursor: &str) {
        for change in changes {
            if self.has_pending(change.record_id) {
                continue;
            }
            self.records.insert(
                change.record_id,
                LocalRecord {
                    entity: change.entity,
                    record_id: change.record_id,
                    server_version: change.version,
                    body: change.body.clone(),
                    deleted: change.deleted,
                    in_conflict: false,
                },
            );
        }
        self.cursor = Some(cursor.to_owned());
    }

    /// Forgets everything that came from the server, but never the outbox (nor the
    /// records it still has to send).
    pub fn reset(&mut self) {
        let pending: Vec<Uuid> = self.outbox.iter().map(|e| e.mutation.record_id).collect();
        self.records.retain(|id, _| pending.contains(id));
        self.cursor = None;
    }

    /// Checksum over the records the server knows (version > 0), to compare with the
    /// server's.
    pub fn checksum(&self) -> ScopeChecksum {
        ScopeChecksum::of(
            self.records
                .values()
                .filter(|r| r.server_version > 0)
                .map(|r| (r.record_id, r.server_version)),
        )
    }

    /// Live records of one kind.
    pub fn live(&self, entity: EntityKind) -> impl Iterator<Item = &LocalRecord> {
        self.records
            .values()
            .filter(move |r| r.entity == entity && !r.deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn applied(seq: u64, record_id: Uuid, version: u64) -> MutationResult {
        MutationResult {
            seq,
            record_id,
            status: MutationStatus::Applied,
            version: Some(version),
            change_seq: Some(seq),
            server_time_ms: 0,
            errors: Vec::new(),
        }
    }

    #[test]
    fn unsent_edits_merge_and_sent_ones_freeze() {
        let mut state = DeviceState::default();
        let id = Uuid::from_u128(1);
        state.edit(
            EntityKind::Household,
            id,
            Operation::Upsert,
            json!({"a": 1}),
            0,
        );
        state.edit(
            EntityKind::Household,
            id,
            Operation::Upsert,
            json!({"a": 2}),
            1,
        );
        assert_eq!(state.outbox.len(), 1);
        assert_eq!(state.outbox[0].mutation.body, json!({"a": 2}));
        let batch = state.take_batch(10);
        state.edit(
            EntityKind::Household,
            id,
            Operation::Upsert,
            json!({"a": 3}),
            2,
        );
        assert_eq!(state.outbox.len(), 2);
        assert_eq!(
            state.outbox[0].mutation, batch[0],
            "a sent mutation never changes"
        );
        assert_eq!(
            state.outbox[1].mutation.base_version, 1,
            "based on the version the first will make"
        );
    }

    #[test]
    fn pulls_never_overwrite_pending_edits() {
        let mut state = DeviceState::default();
        let id = Uuid::from_u128(2);
        state.edit(
            EntityKind::Household,
            id,
            Operation::Upsert,
            json!({"mine": true}),
            0,
        );
        let change = RecordChange {
            entity: EntityKind::Household,
            record_id: id,
            version: 5,
            village_code: "63".into(),
            deleted: false,
            body: json!({"theirs": true}),
            change_seq: 9,
        };
        state.apply_page(std::slice::from_ref(&change), "c1");
        assert_eq!(state.records[&id].body, json!({"mine": true}));
        let result = applied(1, id, 1);
        state.take_batch(10);
        state.acknowledge(1, &[result]);
        state.apply_page(&[change], "c2");
        assert_eq!(state.records[&id].body, json!({"theirs": true}));
        assert_eq!(state.cursor.as_deref(), Some("c2"));
    }

    #[test]
    fn reset_keeps_the_outbox() {
        let mut state = DeviceState::default();
        let mine = Uuid::from_u128(3);
        state.edit(EntityKind::Household, mine, Operation::Upsert, json!({}), 0);
        state.records.insert(
            Uuid::from_u128(4),
            LocalRecord {
                entity: EntityKind::Household,
                record_id: Uuid::from_u128(4),
                server_version: 1,
                body: json!({}),
                deleted: false,
                in_conflict: false,
            },
        );
        state.cursor = Some("x".into());
        state.reset();
        assert_eq!(state.records.len(), 1);
        assert!(state.records.contains_key(&mine));
        assert_eq!(state.outbox.len(), 1);
        assert!(state.cursor.is_none());
    }
}
