//! The client sync engine: push first, then pull page by page, then compare checksums.
//! It talks to the device's storage and to the server only through two small traits, so the
//! browser (IndexedDB + fetch) and the native tests (memory + reqwest) run the same logic.

use std::fmt;

use uuid::Uuid;

use super::{
    Heartbeat, Mutation, MutationResult, MutationStatus, PullResponse, PushRequest, PushResponse,
    RecordChange, ScopeChecksum,
};
use crate::api::ErrorBody;

/// Mutations per push.
pub const PUSH_BATCH: usize = 200;
/// Records per pull page.
pub const PULL_PAGE: u32 = 1_000;
/// Resets or checksum repairs tolerated in one run before giving up (a loop guard).
const MAX_RESTARTS: u32 = 2;

/// Where the device keeps its records, outbox and cursor.
// The browser's storage futures are not `Send` (wasm is single-threaded), so no Send bound.
#[allow(async_fn_in_trait)]
pub trait LocalStore {
    /// Error of the storage.
    type Error: fmt::Display;
    /// The next waiting mutations, marked as sent (their payload is frozen from now on).
    async fn take_batch(&self, limit: usize) -> Result<Vec<Mutation>, Self::Error>;
    /// Drops entries up to `last_seq` and records the results.
    async fn acknowledge(
        &self,
        last_seq: u64,
        results: &[MutationResult],
    ) -> Result<(), Self::Error>;
    /// The stored pull cursor.
    async fn cursor(&self) -> Result<Option<String>, Self::Error>;
    /// Stores one pulled page and its cursor atomically.
    async fn apply_page(&self, changes: &[RecordChange], cursor: &str) -> Result<(), Self::Error>;
    /// Forgets pulled data (never the outbox) and the cursor.
    async fn reset(&self) -> Result<(), Self::Error>;
    /// Checksum of the records the server knows.
    async fn checksum(&self) -> Result<ScopeChecksum, Self::Error>;
    /// Number of waiting mutations.
    async fn outbox_len(&self) -> Result<usize, Self::Error>;
    /// What to report about the device.
    async fn heartbeat(&self) -> Result<Heartbeat, Self::Error>;
}

/// How the device reaches the server.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends a push.
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    /// Fetches one pull page.
    async fn pull(&self, cursor: Option<&str>, limit: u32) -> Result<PullResponse, TransportError>;
}

/// Why a request failed, in the three classes that decide what to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// No answer or a 5xx: keep everything and retry later with backoff.
    Retryable(String),
    /// 401: the session ended; log in again, keep the outbox.
    Unauthorized,
    /// Another 4xx for the whole request: a bug or an old app; show it, retry later.
    Refused(u16, Option<ErrorBody>),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Retryable(why) => write!(f, "server not reachable: {why}"),
            Self::Unauthorized => write!(f, "session expired"),
            Self::Refused(status, body) => {
                let message = body.as_ref().map_or("", |b| b.message_en.as_str());
                write!(f, "server refused the request ({status}) {message}")
            }
        }
    }
}

/// Why a sync run stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncError {
    /// The server could not be reached or refused.
    Transport(TransportError),
    /// The device's storage failed.
    Store(String),
    /// The device still disagrees with the server after re-pulling.
    Diverged,
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(err) => err.fmt(f),
            Self::Store(err) => write!(f, "device storage failed: {err}"),
            Self::Diverged => write!(f, "device and server still disagree after a full re-pull"),
        }
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Mutations sent.
    pub pushed: usize,
    /// Applied now.
    pub applied: usize,
    /// Already applied before (a retry).
    pub duplicates: usize,
    /// Recorded as conflicts for review.
    pub conflicts: usize,
    /// Refused (with reasons in the receipts).
    pub rejected: usize,
    /// Records received.
    pub pulled: usize,
    /// Outbox empty and pull up to date with equal checksums: only now is the device "synced".
    pub up_to_date: bool,
}

/// Drives one device's sync.
#[derive(Debug)]
pub struct SyncEngine<S, T> {
    store: S,
    transport: T,
    device_id: Uuid,
}

impl<S: LocalStore, T: Transport> SyncEngine<S, T> {
    /// An engine for `device_id`.
    pub fn new(store: S, transport: T, device_id: Uuid) -> Self {
        Self {
            store,
            transport,
            device_id,
        }
    }

    /// The device's storage.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The way to the server.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// One full run: push everything, then pull until up to date.
    pub async fn sync(&self) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        self.push_all(&mut report).await?;
        self.pull_all(&mut report).await?;
        let outbox_empty = self.store.outbox_len().await.map_err(store_err)? == 0;
        report.up_to_date = outbox_empty;
        Ok(report)
    }

    async fn push_all(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let mut heartbeat = Some(self.store.heartbeat().await.map_err(store_err)?);
        loop {
            let mutations = self.store.take_batch(PUSH_BATCH).await.map_err(store_err)?;
            if mutations.is_empty() && heartbeat.is_none() {
                return Ok(());
            }
            let sent = mutations.len();
            let request = PushRequest {
                device_id: self.device_id,
                mutations,
                heartbeat: heartbeat.take(),
            };
            let response = self
                .transport
                .push(&request)
                .await
                .map_err(SyncError::Transport)?;
            self.store
                .acknowledge(response.last_seq, &response.results)
                .await
                .map_err(store_err)?;
            report.pushed += sent;
            count_results(report, &response.results);
            if sent == 0 {
                return Ok(());
            }
        }
    }

    async fn pull_all(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let mut restarts = 0;
        let mut cursor = self.store.cursor().await.map_err(store_err)?;
        loop {
            let page = self
                .transport
                .pull(cursor.as_deref(), PULL_PAGE)
                .await
                .map_err(SyncError::Transport)?;
            if page.reset {
                restarts = self.restart(restarts).await?;
                cursor = None;
                continue;
            }
            self.store
                .apply_page(&page.changes, &page.cursor)
                .await
                .map_err(store_err)?;
            report.pulled += page.changes.len();
            cursor = Some(page.cursor);
            if page.has_more {
                continue;
            }
            let ours = self.store.checksum().await.map_err(store_err)?;
            match page.checksum {
                Some(theirs)
                    if theirs != ours && self.store.outbox_len().await.map_err(store_err)? == 0 =>
                {
                    // A scoped re-pull repairs whatever went missing or stale.
                    restarts = self.restart(restarts).await?;
                    cursor = None;
                }
                _ => return Ok(()),
            }
        }
    }

    async fn restart(&self, restarts: u32) -> Result<u32, SyncError> {
        if restarts >= MAX_RESTARTS {
            return Err(SyncError::Diverged);
        }
        self.store.reset().await.map_err(store_err)?;
        Ok(restarts + 1)
    }
}

fn count_results(report: &mut SyncReport, results: &[MutationResult]) {
    for result in results {
        match result.status {
            MutationStatus::Applied => report.applied += 1,
            MutationStatus::Duplicate => report.duplicates += 1,
            MutationStatus::Conflict => report.conflicts += 1,
            MutationStatus::Rejected => report.rejected += 1,
        }
    }
}

fn store_err(err: impl fmt::Display) -> SyncError {
    SyncError::Store(err.to_string())
}

/// Delay before retry number `attempt` (0-based): exponential from 2 s to 5 minutes with
/// full jitter, so phones that lost the network together do not return together.
/// `random_unit` is a uniform random number in [0, 1).
pub fn backoff_ms(attempt: u32, random_unit: f64) -> u64 {
    const BASE_MS: u64 = 2_000;
    const MAX_MS: u64 = 300_000;
    let ceiling = BASE_MS.saturating_mul(1_u64 << attempt.min(16)).min(MAX_MS);
    let unit = random_unit.clamp(0.0, 1.0);
    // Never below half the ceiling: a retry storm on reconnection is what jitter prevents,
    // an immediate retry is not needed.
    (ceiling as f64 * (0.5 + unit / 2.0)) as u64
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0, 0.0), 1_000);
        assert_eq!(backoff_ms(0, 1.0), 2_000);
        assert_eq!(backoff_ms(3, 1.0), 16_000);
        assert_eq!(backoff_ms(30, 1.0), 300_000);
        assert!(backoff_ms(30, 0.0) >= 150_000);
    }
}
