//! Push, pull and aggregate requests against the konvergen server, timed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use konvergen_shared::sync::{MutationStatus, PullResponse, PushRequest, PushResponse};

use crate::data::Village;

/// Mutations per push request, as the issue asks.
pub const PUSH_BATCH: usize = 500;
/// Records per pull page, as the issue asks.
pub const PULL_PAGE: usize = 1_000;

/// One push request, encoded before the clock starts.
#[derive(Debug)]
pub struct Batch {
    /// Bearer token of the village's cadre.
    pub token: String,
    /// The JSON body.
    pub body: Vec<u8>,
    /// Mutations inside.
    pub mutations: usize,
}

/// Every village's records for `cohort` as push batches, encoded on all cores.
pub fn encode_batches(villages: &[Village], today: time::Date, cohort: u64) -> Vec<Batch> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = villages.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = villages
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .flat_map(|v| village_batches(v, today, cohort))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

fn village_batches(village: &Village, today: time::Date, cohort: u64) -> Vec<Batch> {
    let mutations = village.mutations(today, cohort);
    mutations
        .chunks(PUSH_BATCH)
        .map(|chunk| {
            let request = PushRequest {
                device_id: village.device(cohort),
                mutations: chunk.to_vec(),
                heartbeat: None,
            };
            Batch {
                token: village.token.clone(),
                body: serde_json::to_vec(&request).unwrap_or_default(),
                mutations: chunk.len(),
            }
        })
        .collect()
}

/// Records per second and how many.
#[derive(Debug, Clone, Copy)]
pub struct Throughput {
    /// Records moved.
    pub records: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl Throughput {
    /// Records per second.
    pub fn per_second(self) -> f64 {
        self.records as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Pushes every batch with `workers` concurrent phones; batches of one village stay in order
/// because each village's batches are taken by one worker at a time.
pub async fn push_all(
    base: &str,
    batches: Vec<Batch>,
    workers: usize,
) -> anyhow::Result<Throughput> {
    let records = batches.iter().map(|b| b.mutations).sum();
    let client = reqwest::Client::new();
    let base = base.to_owned();
    let started = Instant::now();
    in_parallel(group_by_token(batches), workers, move |village| {
        let (client, base) = (client.clone(), base.clone());
        async move { push_batches(&client, &base, village).await.map(|()| 0) }
    })
    .await?;
    Ok(Throughput {
        records,
        elapsed: started.elapsed(),
    })
}

/// Runs `work` on every item with `workers` tasks taking items from one queue (so each item
/// is handled once, in order of the queue); answers the sum of what the calls returned.
pub async fn in_parallel<T, F, Fut>(
    items: impl IntoIterator<Item = T>,
    workers: usize,
    work: F,
) -> anyhow::Result<usize>
where
    T: Send + 'static,
    F: Fn(T) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = anyhow::Result<usize>> + Send,
{
    let queue = Arc::new(Mutex::new(items.into_iter().collect::<VecDeque<T>>()));
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let (queue, work) = (Arc::clone(&queue), work.clone());
            tokio::spawn(async move {
                let mut total = 0;
                loop {
                    let next = queue
                        .lock()
                        .map_err(|_| anyhow::anyhow!("queue poisoned"))?
                        .pop_front();
                    let Some(item) = next else {
                        return Ok::<_, anyhow::Error>(total);
                    };
                    total += work(item).await?;
                }
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await??;
    }
    Ok(total)
}

fn group_by_token(batches: Vec<Batch>) -> VecDeque<Vec<Batch>> {
    let mut groups: VecDeque<Vec<Batch>> = VecDeque::new();
    for batch in batches {
        match groups.back_mut() {
            Some(group) if group[0].token == batch.token => group.push(batch),
            _ => groups.push_back(vec![batch]),
        }
    }
    groups
}

/// Pushes batches one after the other on one connection pool.
pub async fn push_batches(
    client: &reqwest::Client,
    base: &str,
    batches: Vec<Batch>,
) -> anyhow::Result<()> {
    for batch in batches {
        push_one(client, base, batch).await?;
    }
    Ok(())
}

async fn push_one(client: &reqwest::Client, base: &str, batch: Batch) -> anyhow::Result<()> {
    let response = client
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(&batch.token)
        .header("content-type", "application/json")
        .body(batch.body)
        .send()
        .await
        .context("push")?;
    anyhow::ensure!(
        response.status().is_success(),
        "push answered {}",
        response.status()
    );
    let answer: PushResponse = response.json().await.context("push answer")?;
    if let Some(refused) = answer.results.iter().find(|r| {
        !matches!(
            r.status,
            MutationStatus::Applied | MutationStatus::Duplicate
        )
    }) {
        anyhow::bail!("a benchmark mutation was not applied: {refused:?}");
    }
    Ok(())
}

/// Every village's initial sync from scratch (pages of [`PULL_PAGE`]), `workers` at a time.
pub async fn pull_all(
    base: &str,
    villages: &[Village],
    workers: usize,
) -> anyhow::Result<Throughput> {
    let tokens: Vec<String> = villages.iter().map(|v| v.token.clone()).collect();
    let client = reqwest::Client::new();
    let base = base.to_owned();
    let started = Instant::now();
    let records = in_parallel(tokens, workers, move |token| {
        let (client, base) = (client.clone(), base.clone());
        async move { Ok(initial_sync(&client, &base, &token).await?.records) }
    })
    .await?;
    Ok(Throughput {
        records,
        elapsed: started.elapsed(),
    })
}

/// What one initial sync received and how long its slowest page took.
#[derive(Debug, Clone, Copy)]
pub struct SyncRun {
    /// Records received.
    pub records: usize,
    /// The longest wait for one page (request sent to body read).
    pub slowest_page: Duration,
}

/// Pulls a village from an empty cursor to the end.
pub async fn initial_sync(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> anyhow::Result<SyncRun> {
    let mut cursor: Option<String> = None;
    let mut run = SyncRun {
        records: 0,
        slowest_page: Duration::ZERO,
    };
    loop {
        let asked = Instant::now();
        let mut request = client
            .get(format!("{base}/api/v1/sync/pull"))
            .bearer_auth(token)
            .query(&[("limit", PULL_PAGE.to_string())]);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let response = request.send().await.context("pull")?;
        anyhow::ensure!(
            response.status().is_success(),
            "pull answered {}",
            response.status()
        );
        let page: PullResponse = response.json().await.context("pull answer")?;
        run.slowest_page = run.slowest_page.max(asked.elapsed());
        run.records += page.changes.len();
        cursor = Some(page.cursor);
        if !page.has_more {
            return Ok(run);
        }
    }
}

/// Times `runs` aggregate requests for `area` and `(year, quarter)`; the first is reported
/// apart (it may recompute villages changed since the previous report).
pub async fn aggregate_latency(
    base: &str,
    token: &str,
    area: &str,
    (year, quarter): (i32, u8),
    runs: usize,
) -> anyhow::Result<Latency> {
    let (year, quarter) = (year.to_string(), quarter.to_string());
    let client = reqwest::Client::new();
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..=runs {
        let started = Instant::now();
        let response = client
            .get(format!("{base}/api/v1/aggregates"))
            .bearer_auth(token)
            .query(&[("area", area), ("year", &year), ("quarter", &quarter)])
            .send()
            .await
            .context("aggregates")?;
        anyhow::ensure!(
            response.status().is_success(),
            "aggregates answered {}",
            response.status()
        );
        let body = response.bytes().await?;
        anyhow::ensure!(!body.is_empty(), "empty aggregate report");
        samples.push(started.elapsed());
    }
    let first = samples.remove(0);
    Ok(Latency::of(first, samples))
}

/// Latency figures of a series of requests.
#[derive(Debug, Clone, Copy)]
pub struct Latency {
    /// The first request.
    pub first: Duration,
    /// Median of the rest.
    pub p50: Duration,
    /// 95th percentile of the rest.
    pub p95: Duration,
}

impl Latency {
    /// The figures of `samples`, the first reported apart.
    pub fn of(first: Duration, mut rest: Vec<Duration>) -> Self {
        rest.sort();
        let at = |q: f64| {
            rest.get(((rest.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or_default()
        };
        Self {
            first,
            p50: at(0.5),
            p95: at(0.95),
        }
    }
}
