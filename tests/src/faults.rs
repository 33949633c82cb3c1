//! Faults on the device side. [`FaultyTransport`]: responses lost after the server
//! committed, requests delivered twice, requests that never leave. [`DeviceStore`]: a device
//! clock days off, a crash between a push and its acknowledgement, a wiped store. Seeded, so
//! a failing run repeats its workload.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use konvergen_shared::sync::engine::{LocalStore, Transport, TransportError};
use konvergen_shared::sync::outbox::{DeviceState, LocalRecord};
use konvergen_shared::sync::{
    EntityKind, Heartbeat, Mutation, MutationResult, MutationStatus, Operation, PullResponse,
    PushRequest, PushResponse, RecordChange, ScopeChecksum,
};
use serde_json::Value;
use uuid::Uuid;

use crate::device::HttpTransport;

/// Which faults happen, each with a probability per request.
#[derive(Debug, Clone, Copy)]
pub struct FaultPlan {
    /// The server commits, the answer is lost.
    pub drop_response: f64,
    /// The request arrives twice.
    pub duplicate: f64,
    /// The request never reaches the server.
    pub fail_before: f64,
}

/// Counts of injected faults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Answers dropped after commit.
    pub dropped: u64,
    /// Requests delivered twice.
    pub duplicated: u64,
    /// Requests failed before sending.
    pub failed: u64,
}

/// A transport with faults.
#[derive(Debug)]
pub struct FaultyTransport {
    inner: HttpTransport,
    plan: FaultPlan,
    state: Mutex<(u64, FaultCounts)>,
    enabled: Mutex<bool>,
}

impl FaultyTransport {
    /// Wraps `inner` with `plan`, seeded by `seed`.
    pub fn new(inner: HttpTransport, plan: FaultPlan, seed: u64) -> Self {
        let state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        Self {
            inner,
            plan,
            state: Mutex::new((state, FaultCounts::default())),
            enabled: Mutex::new(true),
        }
    }

    /// Turns faults on or off (the final convergence check runs without them).
    pub fn set_enabled(&self, on: bool) {
        *self
            .enabled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = on;
    }

    /// What was injected so far.
    pub fn counts(&self) -> FaultCounts {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
    }

    fn roll(&self, p: f64) -> bool {
        if !*self
            .enabled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            return false;
        }
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.0 ^= state.0 << 13;
        state.0 ^= state.0 >> 7;
        state.0 ^= state.0 << 17;
        ((state.0 >> 11) as f64 / (1_u64 << 53) as f64) < p
    }

    fn count(&self, update: impl FnOnce(&mut FaultCounts)) {
        update(
            &mut self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .1,
        );
    }
}

impl Transport for FaultyTransport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        if self.roll(self.plan.fail_before) {
            self.count(|c| c.failed += 1);
            return Err(TransportError::Retryable("injected: no network".into()));
        }
        if self.roll(self.plan.duplicate) {
            self.count(|c| c.duplicated += 1);
            let _ = self.inner.push(request).await;
        }
        let response = self.inner.push(request).await;
        if self.roll(self.plan.drop_response) {
            self.count(|c| c.dropped += 1);
            return Err(TransportError::Retryable("injected: answer lost".into()));
        }
        response
    }

    async fn pull(&self, cursor: Option<&str>, limit: u32) -> Result<PullResponse, TransportError> {
        if self.roll(self.plan.fail_before) {
            self.count(|c| c.failed += 1);
            return Err(TransportError::Retryable("injected: no network".into()));
        }
        let response = self.inner.pull(cursor, limit).await;
        if self.roll(self.plan.drop_response) {
            self.count(|c| c.dropped += 1);
            return Err(TransportError::Retryable("injected: answer lost".into()));
        }
        response
    }
}

/// A device's storage for the proxy harness: the outbox rules of [`DeviceState`] (as the
/// browser's IndexedDB store follows them), plus the device faults: a clock that may be days
/// off, a crash between a push and the storing of its acknowledgement, and a wipe.
#[derive(Debug)]
pub struct DeviceStore {
    state: Mutex<DeviceState>,
    /// [`DeviceState::checksum`] kept up to date with every change instead of recomputed
    /// over all records at the end of every sync (that made a seed's cost grow with the
    /// square of its edits). The end checks compare the full recomputation.
    checksum: Mutex<ScopeChecksum>,
    clock_skew_ms: i64,
    crash_chance: Mutex<f64>,
    rng: Mutex<u64>,
    crashed: AtomicBool,
    ledger: Mutex<Ledger>,
}

/// What the harness knows about one device: every acknowledgement the device stored.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Acknowledged mutations, in the order the device stored them.
    pub acknowledged: Vec<Acknowledged>,
    /// Crashes between a push and its acknowledgement.
    pub crashes: u64,
}

/// One acknowledged mutation as the device saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Acknowledged {
    /// Sequence number.
    pub seq: u64,
    /// Record concerned.
    pub record_id: Uuid,
    /// The server's answer.
    pub status: MutationStatus,
    /// Version the server gave.
    pub version: Option<u64>,
    /// `head_name` of the body sent: the harness makes every edit's name unique.
    pub head_name: Option<String>,
}

/// The device died before storing an acknowledgement; every later call fails the same way
/// until the harness "restarts" it with [`DeviceStore::reboot`].
#[derive(Debug, Clone, Copy)]
pub struct Crashed;

impl std::fmt::Display for Crashed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected: the device crashed before storing the acknowledgement")
    }
}

fn guard<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl DeviceStore {
    /// An empty device whose clock is `clock_skew_ms` off and which crashes before storing
    /// an acknowledgement with probability `crash_chance` (seeded by `seed`).
    pub fn new(clock_skew_ms: i64, crash_chance: f64, seed: u64) -> Self {
        Self {
            state: Mutex::new(DeviceState::default()),
            checksum: Mutex::new(ScopeChecksum::default()),
            clock_skew_ms,
            crash_chance: Mutex::new(crash_chance),
            rng: Mutex::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            crashed: AtomicBool::new(false),
            ledger: Mutex::new(Ledger::default()),
        }
    }

    /// The device clock (ms since the epoch).
    pub fn now_ms(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        real.saturating_add(self.clock_skew_ms)
    }

    /// Records a local edit stamped with the device clock.
    pub fn edit(&self, entity: EntityKind, record_id: Uuid, body: Value) {
        let now = self.now_ms();
        self.change_records([record_id], |state| {
            state.edit(entity, record_id, Operation::Upsert, body, now);
        });
    }

    /// Records a local delete.
    pub fn delete(&self, entity: EntityKind, record_id: Uuid) {
        let now = self.now_ms();
        self.change_records([record_id], |state| {
            state.edit(entity, record_id, Operation::Delete, Value::Null, now);
        });
    }

    /// Runs `change`, which touches only the records `touched`, and moves the kept checksum
    /// by what those records contributed before and after.
    fn change_records(
        &self,
        touched: impl IntoIterator<Item = Uuid>,
        change: impl FnOnce(&mut DeviceState),
    ) {
        let touched: BTreeSet<Uuid> = touched.into_iter().collect();
        let mut state = guard(&self.state);
        let before = contribution(&state, &touched);
        change(&mut state);
        let after = contribution(&state, &touched);
        let mut sum = guard(&self.checksum);
        sum.count = sum.count - before.count + after.count;
        sum.xor ^= before.xor ^ after.xor;
    }

    /// Runs `change`, which may touch any record, and recomputes the kept checksum.
    fn change_all(&self, change: impl FnOnce(&mut DeviceState)) {
        let mut state = guard(&self.state);
        change(&mut state);
        *guard(&self.checksum) = state.checksum();
    }

    /// A copy of the device's state.
    pub fn snapshot(&self) -> DeviceState {
        guard(&self.state).clone()
    }

    /// The checksum the device answers the engine with (kept up to date, not recomputed).
    pub fn kept_checksum(&self) -> ScopeChecksum {
        *guard(&self.checksum)
    }

    /// What the device acknowledged so far.
    pub fn ledger(&self) -> Ledger {
        guard(&self.ledger).clone()
    }

    /// Whether the device is down after a crash.
    pub fn crashed(&self) -> bool {
        self.crashed.load(Ordering::SeqCst)
    }

    /// Stops crashing (the final checks run without faults).
    pub fn stop_crashing(&self) {
        *guard(&self.crash_chance) = 0.0;
    }

    /// Storage wiped (browser data cleared) while mutations were waiting; only the sequence
    /// counter survives, as the frontend keeps it in localStorage too. Returns the sequence
    /// numbers that were waiting.
    pub fn wipe(&self) -> Vec<u64> {
        let mut waiting = Vec::new();
        self.change_all(|state| {
            waiting = state.outbox.iter().map(|e| e.mutation.seq).collect();
            *state = DeviceState {
                next_seq: state.next_seq,
                ..DeviceState::default()
            };
        });
        waiting
    }

    /// The device after a restart: what it had persisted (through a serialisation round
    /// trip, as IndexedDB would give it back), nothing it held only in memory.
    pub fn reboot(&self) -> Self {
        let persisted = serde_json::to_string(&*guard(&self.state)).expect("state serialises");
        let state: DeviceState = serde_json::from_str(&persisted).expect("state deserialises");
        Self {
            checksum: Mutex::new(state.checksum()),
            state: Mutex::new(state),
            clock_skew_ms: self.clock_skew_ms,
            crash_chance: Mutex::new(*guard(&self.crash_chance)),
            rng: Mutex::new(*guard(&self.rng)),
            crashed: AtomicBool::new(false),
            ledger: Mutex::new(self.ledger()),
        }
    }

    fn alive(&self) -> Result<(), Crashed> {
        if self.crashed() { Err(Crashed) } else { Ok(()) }
    }

    fn crash_now(&self) -> bool {
        let chance = *guard(&self.crash_chance);
        if chance <= 0.0 {
            return false;
        }
        let mut state = guard(&self.rng);
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        ((*state >> 11) as f64 / (1_u64 << 53) as f64) < chance
    }

    /// A live household near `probe` in id order (wrapping around), with its village: a
    /// random pick in O(log n) for the harness's edits of records the device knows.
    pub fn household_near(&self, probe: Uuid) -> Option<(Uuid, String)> {
        let state = guard(&self.state);
        let live = |r: &&LocalRecord| r.entity == EntityKind::Household && !r.deleted;
        let found = state
            .records
            .range(probe..)
            .map(|(_, r)| r)
            .find(live)
            .or_else(|| state.records.values().find(live))?;
        let village = found.body.get("village_code")?.as_str()?.to_owned();
        Some((found.record_id, village))
    }

    fn note_acknowledged(&self, state: &DeviceState, results: &[MutationResult]) {
        let mut ledger = guard(&self.ledger);
        for result in results {
            let sent = state.outbox.iter().find(|e| e.mutation.seq == result.seq);
            let head_name = sent
                .and_then(|e| e.mutation.body.get("head_name"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            ledger.acknowledged.push(Acknowledged {
                seq: result.seq,
                record_id: result.record_id,
                status: result.status,
                version: result.version,
                head_name,
            });
        }
    }
}

/// What the records `ids` add to the device's checksum (those the server knows, as
/// [`DeviceState::checksum`] counts them).
fn contribution(state: &DeviceState, ids: &BTreeSet<Uuid>) -> ScopeChecksum {
    ScopeChecksum::of(ids.iter().filter_map(|id| {
        let record = state.records.get(id)?;
        (record.server_version > 0).then_some((*id, record.server_version))
    }))
}

impl LocalStore for DeviceStore {
    type Error = Crashed;

    async fn take_batch(&self, limit: usize) -> Result<Vec<Mutation>, Crashed> {
        self.alive()?;
        Ok(guard(&self.state).take_batch(limit))
    }

    async fn acknowledge(&self, last_seq: u64, results: &[MutationResult]) -> Result<(), Crashed> {
        self.alive()?;
        if self.crash_now() {
            self.crashed.store(true, Ordering::SeqCst);
            guard(&self.ledger).crashes += 1;
            return Err(Crashed);
        }
        self.note_acknowledged(&guard(&self.state), results);
        self.change_records(results.iter().map(|r| r.record_id), |state| {
            state.acknowledge(last_seq, results);
        });
        Ok(())
    }

    async fn cursor(&self) -> Result<Option<String>, Crashed> {
        self.alive()?;
        Ok(guard(&self.state).cursor.clone())
    }

    async fn apply_page(&self, changes: &[RecordChange], cursor: &str) -> Result<(), Crashed> {
        self.alive()?;
        self.change_records(changes.iter().map(|c| c.record_id), |state| {
            state.apply_page(changes, cursor);
        });
        Ok(())
    }

    async fn reset(&self) -> Result<(), Crashed> {
        self.alive()?;
        self.change_all(DeviceState::reset);
        Ok(())
    }

    async fn checksum(&self) -> Result<ScopeChecksum, Crashed> {
        self.alive()?;
        Ok(*guard(&self.checksum))
    }

    async fn outbox_len(&self) -> Result<usize, Crashed> {
        self.alive()?;
        Ok(guard(&self.state).outbox.len())
    }

    async fn heartbeat(&self) -> Result<Heartbeat, Crashed> {
        self.alive()?;
        let outbox_size = guard(&self.state).outbox.len() as u64;
        Ok(Heartbeat {
            outbox_size,
            app_version: Some("fault-harness".to_owned()),
            device_time_ms: Some(self.now_ms()),
            ..Heartbeat::default()
        })
    }
}
