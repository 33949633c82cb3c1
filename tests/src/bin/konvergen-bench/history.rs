//! The phases around the main measurements: the province and a second year of history
//! loaded as fixtures, a village changing, and many phones syncing at once.

use std::path::Path;
use std::time::{Duration, Instant};

use konvergen_backend::entities::{self, Link};
use konvergen_shared::sync::{Mutation, PushRequest};
use uuid::Uuid;

use crate::data::{Village, today};
use crate::konvergen::{self, Batch, Latency, Throughput};
use crate::server::{RssSampler, ServerProcess};

/// Records in the server's database.
pub fn record_count(database: &Path) -> anyhow::Result<i64> {
    let conn = rusqlite::Connection::open(database)?;
    Ok(conn.query_row("SELECT count(*) FROM record", [], |row| row.get(0))?)
}

/// A new phone in `village` pushes another cohort of its households; answers how many.
pub async fn push_one_village(base: &str, village: &Village) -> anyhow::Result<usize> {
    let batches = konvergen::encode_batches(std::slice::from_ref(village), today(), 2);
    let pushed = konvergen::push_all(base, batches, 1).await?;
    Ok(pushed.records)
}

/// Writes every village's records for `cohort` (the year ending `today`) straight into the
/// server's `record` table, as the push path would have stored them at `stored_at_ms`, but
/// without its idempotency log and audit rows: a fixture for the aggregate measurements,
/// which read only records, at a rate that fits the whole province into the time limit.
/// Push throughput itself is measured over HTTP on the regency.
pub fn bulk_load(
    database: &Path,
    villages: &[Village],
    today: time::Date,
    cohort: u64,
    stored_at_ms: i64,
) -> anyhow::Result<Throughput> {
    let mut conn = rusqlite::Connection::open(database)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    let started = Instant::now();
    let mut change_seq: i64 =
        conn.query_row("SELECT value FROM change_counter WHERE id = 1", [], |row| {
            row.get(0)
        })?;
    let mut records = 0;
    for part in villages.chunks(8) {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO record (id, entity, village_code, parent_id, version, deleted, body,
                                     change_seq, updated_at, device_id)
                 VALUES (?1, ?2, ?3, ?4, 1, 0, ?5, ?6, ?7, ?8)",
            )?;
            for village in part {
                let device = village.device(cohort).to_string();
                for mutation in village.mutations(today, cohort) {
                    let parent = match entities::link_of(mutation.entity, &mutation.body) {
                        Ok(Link::Parent { id, .. }) => Some(id.to_string()),
                        _ => None,
                    };
                    change_seq += 1;
                    records += 1;
                    insert.execute(rusqlite::params![
                        mutation.record_id.to_string(),
                        mutation.entity.as_str(),
                        village.code,
                        parent,
                        mutation.body.to_string(),
                        change_seq,
                        stored_at_ms,
                        device,
                    ])?;
                }
            }
        }
        tx.execute(
            "UPDATE change_counter SET value = ?1 WHERE id = 1",
            [change_seq],
        )?;
        tx.commit()?;
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
    /// Each phone's time from its push to its last page, p50 and p95 over the phones (the
    /// `first` field holds the slowest phone).
    pub per_phone: Latency,
    /// The longest any phone waited for one pull page.
    pub slowest_page: Duration,
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
                .mutations(today(), 3 + index as u64)
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
                let phone_started = Instant::now();
                konvergen::push_batches(&client, &base, vec![batch]).await?;
                let sync = konvergen::initial_sync(&client, &base, &village.token).await?;
                Ok::<_, anyhow::Error>((sync, phone_started.elapsed()))
            })
        })
        .collect();
    let mut records = 0;
    let mut slowest_page = Duration::ZERO;
    let mut phone_times = Vec::with_capacity(count);
    for task in tasks {
        let (sync, phone_time) = task.await??;
        records += sync.records;
        slowest_page = slowest_page.max(sync.slowest_page);
        phone_times.push(phone_time);
    }
    let elapsed = started.elapsed();
    let slowest_phone = phone_times.iter().copied().max().unwrap_or_default();
    Ok(DevicesRun {
        elapsed,
        records,
        peak_rss_kib: sampler.finish(),
        per_phone: Latency::of(slowest_phone, phone_times),
        slowest_page,
    })
}
