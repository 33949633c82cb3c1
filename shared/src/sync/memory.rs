//! A [`LocalStore`] in memory: what the native tests and the fault harness use as a
//! device's storage, with the same rules as the browser's IndexedDB store.

use std::convert::Infallible;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;
use uuid::Uuid;

use super::engine::LocalStore;
use super::outbox::DeviceState;
use super::{
    EntityKind, Heartbeat, Mutation, MutationResult, Operation, RecordChange, ScopeChecksum,
};

/// A device's storage held in memory.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<DeviceState>,
}

impl MemoryStore {
    fn state(&self) -> MutexGuard<'_, DeviceState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a local edit (what a form's "Simpan" does).
    pub fn edit(&self, entity: EntityKind, record_id: Uuid, body: Value) {
        self.state()
            .edit(entity, record_id, Operation::Upsert, body, 0);
    }

    /// Records a local delete.
    pub fn delete(&self, entity: EntityKind, record_id: Uuid) {
        self.state()
            .edit(entity, record_id, Operation::Delete, Value::Null, 0);
    }

    /// A copy of the whole state, for assertions.
    pub fn snapshot(&self) -> DeviceState {
        self.state().clone()
    }

    /// Replaces the whole state (e.g. a wiped browser: `DeviceState::default()`).
    pub fn replace(&self, state: DeviceState) {
        *self.state() = state;
    }
}

impl LocalStore for MemoryStore {
    type Error = Infallible;

    async fn take_batch(&self, limit: usize) -> Result<Vec<Mutation>, Infallible> {
        Ok(self.state().take_batch(limit))
    }

    async fn acknowledge(
        &self,
        last_seq: u64,
        results: &[MutationResult],
    ) -> Result<(), Infallible> {
        self.state().acknowledge(last_seq, results);
        Ok(())
    }

    async fn cursor(&self) -> Result<Option<String>, Infallible> {
        Ok(self.state().cursor.clone())
    }

    async fn apply_page(&self, changes: &[RecordChange], cursor: &str) -> Result<(), Infallible> {
        self.state().apply_page(changes, cursor);
        Ok(())
    }

    async fn reset(&self) -> Result<(), Infallible> {
        self.state().reset();
        Ok(())
    }

    async fn checksum(&self) -> Result<ScopeChecksum, Infallible> {
        Ok(self.state().checksum())
    }

    async fn outbox_len(&self) -> Result<usize, Infallible> {
        Ok(self.state().outbox.len())
    }

    async fn heartbeat(&self) -> Result<Heartbeat, Infallible> {
        let state = self.state();
        Ok(Heartbeat {
            outbox_size: state.outbox.len() as u64,
            ..Heartbeat::default()
        })
    }
}
