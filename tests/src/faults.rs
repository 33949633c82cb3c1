//! A transport that misbehaves on purpose: responses lost after the server committed,
//! requests delivered twice, requests that never leave. Seeded, so a failing run repeats.

use std::sync::Mutex;

use konvergen_shared::sync::engine::{Transport, TransportError};
use konvergen_shared::sync::{PullResponse, PushRequest, PushResponse};

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
