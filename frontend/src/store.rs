//! The phone's storage: IndexedDB through `rexie`, one database per user so two cadres can
//! share a phone. The sync rules live in `konvergen_shared::sync::outbox::DeviceState`; this
//! module keeps a copy of that state in memory and writes every change through to IndexedDB
//! in one transaction per operation, so a crash leaves either the old or the new state.

use std::cell::RefCell;
use std::rc::Rc;

use konvergen_shared::sync::engine::LocalStore;
use konvergen_shared::sync::outbox::{DeviceState, LocalRecord, OutboxEntry, Receipt};
use konvergen_shared::sync::{
    EntityKind, Heartbeat, Mutation, MutationResult, Operation, RecordChange, ScopeChecksum,
};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde_json::Value;
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// Version of the IndexedDB layout; raise it with a new arm in [`DeviceDb::open`].
const SCHEMA_VERSION: u32 = 1;
const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
const META: &str = "meta";

/// Storage failure, in words for the sync panel.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(String);

impl From<rexie::Error> for StoreError {
    fn from(err: rexie::Error) -> Self {
        Self(err.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        Self(err.to_string())
    }
}

/// A user's device database with its in-memory mirror.
#[derive(Debug, Clone)]
pub struct DeviceDb {
    db: Rc<Rexie>,
    state: Rc<RefCell<DeviceState>>,
    username: String,
}

impl DeviceDb {
    /// Opens (creating if needed) the database of `username` and loads it.
    pub async fn open(username: &str) -> Result<Self, StoreError> {
        let db = Rexie::builder(&format!("konvergen-{username}"))
            .version(SCHEMA_VERSION)
            .add_object_store(ObjectStore::new(RECORDS))
            .add_object_store(ObjectStore::new(OUTBOX))
            .add_object_store(ObjectStore::new(META))
            .build()
            .await?;
        let mut state = load(&db).await?;
        // The sequence also lives in localStorage: if the browser drops the database but
        // keeps localStorage, numbering continues and the server sees the gap as a known
        // loss instead of refusing reused numbers.
        state.next_seq = state.next_seq.max(remembered_seq(username));
        Ok(Self {
            db: Rc::new(db),
            state: Rc::new(RefCell::new(state)),
            username: username.to_owned(),
        })
    }

    /// A copy of the state for the views.
    pub fn snapshot(&self) -> DeviceState {
        self.state.borrow().clone()
    }

    /// Saves a local edit: the record and its outbox entry in one transaction.
    pub async fn edit(
        &self,
        entity: EntityKind,
        id: Uuid,
        op: Operation,
        body: Value,
    ) -> Result<(), StoreError> {
        let now = js_sys::Date::now() as i64;
        let (record, entry, next_seq) = {
            let mut state = self.state.borrow_mut();
            state.edit(entity, id, op, body, now);
            let record = state.records.get(&id).cloned();
            let entry = state
                .outbox
                .iter()
                .rev()
                .find(|e| e.mutation.record_id == id)
                .cloned();
            (record, entry, state.next_seq)
        };
        let tx = self
            .db
            .transaction(&[RECORDS, OUTBOX, META], TransactionMode::ReadWrite)?;
        if let Some(record) = record {
            put_record(&tx.store(RECORDS)?, &record).await?;
        }
        if let Some(entry) = entry {
            put_entry(&tx.store(OUTBOX)?, &entry).await?;
        }
        put_meta(&tx.store(META)?, "next_seq", &Value::from(next_seq)).await?;
        tx.done().await?;
        remember_seq(&self.username, next_seq);
        Ok(())
    }

    async fn write_outbox_and_records(
        &self,
        removed: &[u64],
        records: &[LocalRecord],
    ) -> Result<(), StoreError> {
        let (entries, receipts) = {
            let state = self.state.borrow();
            (state.outbox.clone(), state.receipts.clone())
        };
        let tx = self
            .db
            .transaction(&[RECORDS, OUTBOX, META], TransactionMode::ReadWrite)?;
        let outbox = tx.store(OUTBOX)?;
        for seq in removed {
            outbox.delete(JsValue::from_f64(*seq as f64)).await?;
        }
        for entry in &entries {
            put_entry(&outbox, entry).await?;
        }
        let store = tx.store(RECORDS)?;
        for record in records {
            put_record(&store, record).await?;
        }
        put_meta(
            &tx.store(META)?,
            "receipts",
            &serde_json::to_value(&receipts)?,
        )
        .await?;
        tx.done().await?;
        Ok(())
    }
}

fn seq_key(username: &str) -> String {
    format!("konvergen.next-seq.{username}")
}

fn remembered_seq(username: &str) -> u64 {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(&seq_key(username)).ok().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn remember_seq(username: &str, next_seq: u64) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(&seq_key(username), &next_seq.to_string());
    }
}

async fn load(db: &Rexie) -> Result<DeviceState, StoreError> {
    let tx = db.transaction(&[RECORDS, OUTBOX, META], TransactionMode::ReadOnly)?;
    let mut state = DeviceState::default();
    for value in tx.store(RECORDS)?.get_all(None, None).await? {
        let record: LocalRecord = serde_json::from_str(&value.as_string().unwrap_or_default())?;
        state.records.insert(record.record_id, record);
    }
    for value in tx.store(OUTBOX)?.get_all(None, None).await? {
        state.outbox.push(serde_json::from_str(
            &value.as_string().unwrap_or_default(),
        )?);
    }
    konvergen_shared::sort::sort_by_key(&mut state.outbox, |entry: &OutboxEntry| {
        entry.mutation.seq
    });
    let meta = tx.store(META)?;
    state.next_seq = get_meta(&meta, "next_seq")
        .await?
        .and_then(|v| v.as_u64())
        .unwrap_or(1);
    state.cursor = get_meta(&meta, "cursor")
        .await?
        .and_then(|v| v.as_str().map(str::to_owned));
    state.receipts = match get_meta(&meta, "receipts").await? {
        Some(value) => serde_json::from_value::<Vec<Receipt>>(value)?,
        None => Vec::new(),
    };
    tx.done().await?;
    Ok(state)
}

async fn put_record(store: &rexie::Store, record: &LocalRecord) -> Result<(), StoreError> {
    let key = JsValue::from_str(&record.record_id.to_string());
    store
        .put(
            &JsValue::from_str(&serde_json::to_string(record)?),
            Some(&key),
        )
        .await?;
    Ok(())
}

async fn put_entry(store: &rexie::Store, entry: &OutboxEntry) -> Result<(), StoreError> {
    let key = JsValue::from_f64(entry.mutation.seq as f64);
    store
        .put(
            &JsValue::from_str(&serde_json::to_string(entry)?),
            Some(&key),
        )
        .await?;
    Ok(())
}

async fn put_meta(store: &rexie::Store, key: &str, value: &Value) -> Result<(), StoreError> {
    store
        .put(
            &JsValue::from_str(&value.to_string()),
            Some(&JsValue::from_str(key)),
        )
        .await?;
    Ok(())
}

async fn get_meta(store: &rexie::Store, key: &str) -> Result<Option<Value>, StoreError> {
    let Some(value) = store.get(JsValue::from_str(key)).await? else {
        return Ok(None);
    };
    Ok(Some(serde_json::from_str(
        &value.as_string().unwrap_or_default(),
    )?))
}

impl LocalStore for DeviceDb {
    type Error = StoreError;

    async fn take_batch(&self, limit: usize) -> Result<Vec<Mutation>, StoreError> {
        let batch = self.state.borrow_mut().take_batch(limit);
        // The "sent" marks must be durable before the request leaves: a frozen payload
        // is what makes a resend after a crash identical.
        self.write_outbox_and_records(&[], &[]).await?;
        Ok(batch)
    }

    async fn acknowledge(
        &self,
        last_seq: u64,
        results: &[MutationResult],
    ) -> Result<(), StoreError> {
        let (removed, records) = {
            let mut state = self.state.borrow_mut();
            let removed: Vec<u64> = state
                .outbox
                .iter()
                .map(|e| e.mutation.seq)
                .filter(|seq| *seq <= last_seq)
                .collect();
            state.acknowledge(last_seq, results);
            let records: Vec<LocalRecord> = results
                .iter()
                .filter_map(|r| state.records.get(&r.record_id).cloned())
                .collect();
            (removed, records)
        };
        self.write_outbox_and_records(&removed, &records).await
    }

    async fn cursor(&self) -> Result<Option<String>, StoreError> {
        Ok(self.state.borrow().cursor.clone())
    }

    async fn apply_page(&self, changes: &[RecordChange], cursor: &str) -> Result<(), StoreError> {
        let written: Vec<LocalRecord> = {
            let mut state = self.state.borrow_mut();
            state.apply_page(changes, cursor);
            changes
                .iter()
                .filter(|c| !state.has_pending(c.record_id))
                .filter_map(|c| state.records.get(&c.record_id).cloned())
                .collect()
        };
        // The page and its cursor in one transaction: never a cursor ahead of the data.
        let tx = self
            .db
            .transaction(&[RECORDS, META], TransactionMode::ReadWrite)?;
        let store = tx.store(RECORDS)?;
        for record in &written {
            put_record(&store, record).await?;
        }
        put_meta(&tx.store(META)?, "cursor", &Value::from(cursor)).await?;
        tx.done().await?;
        Ok(())
    }

    async fn reset(&self) -> Result<(), StoreError> {
        let kept: Vec<LocalRecord> = {
            let mut state = self.state.borrow_mut();
            state.reset();
            state.records.values().cloned().collect()
        };
        let tx = self
            .db
            .transaction(&[RECORDS, META], TransactionMode::ReadWrite)?;
        let store = tx.store(RECORDS)?;
        store.clear().await?;
        for record in &kept {
            put_record(&store, record).await?;
        }
        tx.store(META)?.delete(JsValue::from_str("cursor")).await?;
        tx.done().await?;
        Ok(())
    }

    async fn checksum(&self) -> Result<ScopeChecksum, StoreError> {
        Ok(self.state.borrow().checksum())
    }

    async fn outbox_len(&self) -> Result<usize, StoreError> {
        Ok(self.state.borrow().outbox.len())
    }

    async fn heartbeat(&self) -> Result<Heartbeat, StoreError> {
        let state = self.state.borrow();
        let now = js_sys::Date::now() as i64;
        let oldest = state
            .outbox
            .first()
            .and_then(|e| e.mutation.client_time_ms)
            .map(|t| ((now - t).max(0) / 1000) as u64);
        Ok(Heartbeat {
            outbox_size: state.outbox.len() as u64,
            oldest_pending_secs: oldest,
            app_version: Some(konvergen_shared::APP_VERSION.to_owned()),
            device_time_ms: Some(now),
            ..Heartbeat::default()
        })
    }
}
