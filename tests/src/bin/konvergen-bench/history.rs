//! The phases around the main measurements: a village changing, a second year of history
//! loaded through the push path, and many phones syncing at once.

use std::path::Path;
use std::time::{Duration, Instant};

use konvergen_backend::Store;
use konvergen_backend::auth::Scope;
use konvergen_backend::db::{accounts, push};
use konvergen_shared::sync::{Mutation, PushRequest};
use uuid::Uuid;

use crate::data::{TODAY, Village, now_ms};
use crate::konvergen::{self, Batch, PUSH_BATCH, Throughput};
use crate::server::{RssSampler, ServerProcess};

const YEAR_MS: i64 = 365 * 24 * 3_600_000;

/// Records in the server's database.
pub fn record_count(database: &Path) -> anyhow::Result<i64> {
    let conn = rusqlite::Connection::open(database)?;
    Ok(conn.query_row("SELECT count(*) FROM record", [], |row| row.get(0))?)
}

/// A new phone in `village` pushes another cohort of its households; answers how many.
pub async fn push_one_village(base: &str, village: &Village) -> anyhow::Result<usize> {
    let batches = konvergen::encode_batches(std::slice::from_ref(village), TODAY, 2);
    let pushed = konvergen::push_all(base, batches, 1).await?;
    Ok(pushed.records)
}

/// Every village's previous year (a new cohort, forms November 2024 to October 2025) pushed
/// through the server's own push code with the server clock a year back, as the phones
/// would have sent it then. In-process because the server refuses to register children
/// older than 23 months today, which last year's children now are.
pub fn load_previous_year(database: &Path, villages: &[Village]) -> anyhow::Result<Throughput> {
    let store = Store::open(database)?;
    let last_year = TODAY - time::Duration::days(365);
    let now = now_ms() - YEAR_MS;
    let started = Instant::now();
    let mut records = 0;
    for village in villages {
        let user_id = store
            .call_blocking(|conn| {
                accounts::find_by_username(conn, &format!("kader.{}", village.code))
            })
            .map_err(|err| anyhow::anyhow!("{err}"))?
            .ok_or_else(|| anyhow::anyhow!("no cadre for {}", village.code))?
            .me
            .id;
        let scope = Scope::Villages(vec![village.code.clone()]);
        let mutations = village.mutations(last_year, 1);
        records += mutations.len();
        for chunk in mutations.chunks(PUSH_BATCH) {
            let request = PushRequest {
                device_id: village.device(1),
                mutations: chunk.to_vec(),
                heartbeat: None,
            };
            let pusher = push::Pusher {
                user_id,
                scope: &scope,
                now_ms: now,
            };
            store
                .call_blocking(|conn| {
                    let tx = conn.transaction()?;
                    let answer = push::apply(&tx, pusher, &request)?;
                    tx.commit()?;
                    Ok(answer)
                })
                .map_err(|err| anyhow::anyhow!("{err}"))
                .and_then(|answer| {
                    let refused = answer.results.iter().find(|r| !r.errors.is_empty());
                    refused.map_or(Ok(()), |r| {
                        Err(anyhow::anyhow!(
                            "history refused in {}: {r:?}",
                            village.code
                        ))
                    })
                })?;
        }
    }
    Ok(Throughput {
        records,
        elapsed: started.elapsed(),
    })
}

/// What the many-phones phase measured.
#[derive(Debug, Clone, Copy)]
pub struct DevicesRun {
    /// Wall time until the last phone finished.
    pub elapsed: Duration,
    /// Records all phones pulled.
    pub records: usize,
    /// Highest server RSS seen, KiB.
    pub peak_rss_kib: u64,
}

/// `count` phones (cycling through the villages) at once: each pushes 20 new records and
/// then pulls its village from scratch, while the server's memory is sampled.
pub async fn many_devices(
    server: &ServerProcess,
    villages: &[Village],
    count: usize,
) -> anyhow::Result<DevicesRun> {
    let phones: Vec<(Village, Batch)> = (0..count)
        .map(|index| {
            let village = villages[index % villages.len()].clone();
            let mutations: Vec<Mutation> = village
                .mutations(TODAY, 3 + index as u64)
                .into_iter()
                .take(20)
                .collect();
            let request = PushRequest {
                device_id: Uuid::from_u64_pair(0xD0_0000, index as u64),
                mutations,
                heartbeat: None,
            };
            let batch = Batch {
                token: village.token.clone(),
                body: serde_json::to_vec(&request).unwrap_or_default(),
                mutations: request.mutations.len(),
            };
            (village, batch)
        })
        .collect();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(count)
        .build()?;
    let sampler = RssSampler::start(server.pid());
    let started = Instant::now();
    let tasks: Vec<_> = phones
        .into_iter()
        .map(|(village, batch)| {
            let (client, base) = (client.clone(), server.base.clone());
            tokio::spawn(async move {
                konvergen::push_batches(&client, &base, vec![batch]).await?;
                konvergen::initial_sync(&client, &base, &village.token).await
            })
        })
        .collect();
    let mut records = 0;
    for task in tasks {
        records += task.await??;
    }
    let elapsed = started.elapsed();
    Ok(DevicesRun {
        elapsed,
        records,
        peak_rss_kib: sampler.finish(),
    })
}
