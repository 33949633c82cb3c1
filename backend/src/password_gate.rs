//! Where sign-in passwords are verified: one argon2 thread per core and a short bounded
//! queue; beyond that the answer is 503 with `Retry-After`.

use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

/// Runs argon2 verifications on a few threads of its own, one per core, with a bounded queue
/// in front. Each verification holds about 19 MiB; on the shared blocking pool every new
/// thread kept its own 19 MiB in its allocator arena, and 150 simultaneous sign-ins took the
/// server from 1.1 GB to 3.7 GB. With dedicated threads the memory is at most one
/// verification per thread, whatever arrives.
#[derive(Debug)]
pub struct PasswordGate {
    jobs: SyncSender<Job>,
}

/// The queue is full: try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateFull;

struct Job {
    password: String,
    stored: String,
    answer: oneshot::Sender<bool>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl PasswordGate {
    /// Seconds a client is told to wait when the queue is full.
    pub const RETRY_AFTER_SECS: u64 = 2;

    /// `threads` verifiers with up to `max_waiting` sign-ins queued behind them.
    pub fn new(threads: usize, max_waiting: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(max_waiting);
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || verify_jobs(&queue));
            if let Err(err) = spawned {
                tracing::error!(%err, "could not start a password verifier thread");
            }
        }
        Self { jobs }
    }

    /// One verifier per core, and four sign-ins queued per core (about a second of work).
    pub fn sized_to_cores() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self::new(cores, cores * 4)
    }

    /// Whether `password` matches the stored PHC string; refused at once when the queue is
    /// full. A caller that stops waiting does not stop the verification already queued.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, GateFull> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            password,
            stored,
            answer,
        };
        self.jobs.try_send(job).map_err(|_| GateFull)?;
        answered.await.map_err(|_| GateFull)
    }
}

/// A verifier thread: takes jobs until the gate is dropped.
fn verify_jobs(queue: &Mutex<Receiver<Job>>) {
    let mut verifier = crate::auth::PasswordVerifier::default();
    loop {
        let job = match queue.lock().unwrap_or_else(PoisonError::into_inner).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        let verified = verifier.verify(&job.password, &job.stored);
        let _ = job.answer.send(verified);
    }
}

impl Default for PasswordGate {
    fn default() -> Self {
        Self::sized_to_cores()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_gate_verifies_and_refuses_beyond_its_queue() {
        let hash = crate::auth::hash_password("rahasia-123").expect("hash");
        let gate = Arc::new(PasswordGate::new(1, 2));
        assert_eq!(
            gate.verify("rahasia-123".into(), hash.clone()).await,
            Ok(true)
        );
        assert_eq!(gate.verify("salah".into(), hash.clone()).await, Ok(false));
        let burst: Vec<_> = (0..20)
            .map(|_| {
                let (gate, hash) = (Arc::clone(&gate), hash.clone());
                tokio::spawn(async move { gate.verify("salah".into(), hash).await })
            })
            .collect();
        let mut refused = 0;
        for handle in burst {
            if handle.await.expect("join") == Err(GateFull) {
                refused += 1;
            }
        }
        assert!(
            refused >= 10,
            "only {refused} of 20 refused with a queue of 2"
        );
    }
}
