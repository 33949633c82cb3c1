//! Fault injection against the real server binary: many devices (the real `shared` sync
//! engine, each with its own store) work concurrently through a fault proxy on 127.0.0.1
//! (tests/src/proxy.rs) that drops answers after commit, delivers requests twice (at once or
//! late), reorders concurrent pushes and SIGKILLs the server mid-batch. The devices crash
//! between a push and its acknowledgement, run clocks days off, and one per run has its store
//! wiped with unsent work.
//!
//! At the end, with faults off: no acknowledged mutation is missing on the server, no edit is
//! stored twice, every device's checksum equals the server's for its scope, the supervisor's
//! sync status matches the truth (the wiped device flagged with exactly its loss) and
//! `PRAGMA integrity_check` is `ok`.
//!
//! KONVERGEN_FAULT_SEEDS / _DEVICES / _MUTATIONS (per device) make the long run; see
//! docs/reliability.md. The server binary is found as `konvergen_tests::proxy::server_binary`
//! describes.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use konvergen_shared::supervision::SyncStatus;
use konvergen_shared::sync::engine::SyncEngine;
use konvergen_shared::sync::{EntityKind, MutationStatus, ScopeChecksum};
use konvergen_tests::device::HttpTransport;
use konvergen_tests::faults::{DeviceStore, Ledger};
use konvergen_tests::proxy::{FaultProxy, ProxyCounts, ProxyFaults, ServerProcess};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use uuid::Uuid;

/// A demo cadre and the villages of her scope.
struct Cadre {
    username: &'static str,
    villages: &'static [&'static str],
}

const CADRES: [Cadre; 3] = [
    Cadre {
        username: "kader.sipai",
        villages: &["63.03.05.2009"],
    },
    Cadre {
        username: "kader.bincau",
        villages: &["63.03.05.2012", "63.03.05.2036"],
    },
    Cadre {
        username: "kader.tapin",
        villages: &["63.05.01.2003"],
    },
];
const DEMO_PASSWORD: &str = "kader123";
const DAY_MS: i64 = 24 * 3600 * 1000;
/// How far the server's clock-offset figure may be from the true skew (request latency on a
/// loaded machine).
const OFFSET_TOLERANCE_MS: i64 = 120_000;
/// SIGKILLs aimed for per run, whatever its size (each restart costs about a second).
const KILLS_PER_RUN: f64 = 4.0;
/// Chance that a device crashes before storing an acknowledgement.
const CRASH_CHANCE: f64 = 0.03;

type Engine = SyncEngine<DeviceStore, HttpTransport>;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One simulated phone.
struct Device {
    index: usize,
    id: Uuid,
    cadre: &'static Cadre,
    skew_ms: i64,
    wipes: bool,
    transport: HttpTransport,
    engine: Engine,
    typed: usize,
    /// Sequence numbers that were waiting when the store was wiped.
    wiped: Vec<u64>,
    reboots: u64,
}

impl Device {
    fn store(&self) -> &DeviceStore {
        self.engine.store()
    }

    /// A new household, an edit of one the device knows, or (rarely) a delete. Every edit
    /// carries a unique `head_name`, so the server's audit shows whether it was stored twice.
    fn type_one(&mut self, rng: &mut Rng, seed: u64) {
        self.typed += 1;
        let name = format!("KK {seed}-{}-{}", self.index, self.typed);
        let roll = rng.below(100);
        let known = (roll >= 65)
            .then(|| {
                self.store()
                    .household_near(Uuid::from_u64_pair(rng.next(), rng.next()))
            })
            .flatten();
        match known {
            Some((id, _)) if roll >= 95 => self.store().delete(EntityKind::Household, id),
            Some((id, village)) => {
                self.store()
                    .edit(EntityKind::Household, id, household(&village, &name));
            }
            None => {
                let villages = self.cadre.villages;
                let village = villages[rng.below(villages.len() as u64) as usize];
                self.store().edit(
                    EntityKind::Household,
                    Uuid::now_v7(),
                    household(village, &name),
                );
            }
        }
    }

    /// One sync attempt; a crashed device restarts from what it had persisted.
    async fn sync_once(&mut self, rng: &mut Rng) {
        if self.engine.sync().await.is_ok() {
            return;
        }
        if self.store().crashed() {
            self.reboots += 1;
            let store = self.store().reboot();
            self.engine = SyncEngine::new(store, self.transport.clone(), self.id);
        } else {
            // No answer: the device keeps working offline and tries again later.
            tokio::time::sleep(Duration::from_millis(5 + rng.below(40))).await;
        }
    }
}

fn household(village: &str, head_name: &str) -> serde_json::Value {
    json!({"village_code": village, "head_name": head_name, "rt": "001"})
}

/// A device's working session: bursts of edits, each followed by a sync attempt; halfway,
/// the wiping device loses its store right after a burst (so with unsent records).
async fn work(mut device: Device, mutations: usize, seed: u64) -> Device {
    let mut rng = Rng::new(seed * 1_000_003 + device.index as u64);
    while device.typed < mutations {
        let burst = (1 + rng.below(8) as usize).min(mutations - device.typed);
        for _ in 0..burst {
            device.type_one(&mut rng, seed);
        }
        if device.wipes && device.wiped.is_empty() && device.typed >= mutations / 2 {
            device.wiped = device.store().wipe();
        }
        device.sync_once(&mut rng).await;
    }
    device
}

/// Totals of one run, for the report.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    devices: usize,
    typed: usize,
    records: usize,
    applied: usize,
    duplicates: usize,
    conflicts: usize,
    rejected: usize,
    crashes: u64,
    skewed: usize,
    known_loss: i64,
    proxy: ProxyCounts,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.devices += other.devices;
        self.typed += other.typed;
        self.records += other.records;
        self.applied += other.applied;
        self.duplicates += other.duplicates;
        self.conflicts += other.conflicts;
        self.rejected += other.rejected;
        self.crashes += other.crashes;
        self.skewed += other.skewed;
        self.known_loss += other.known_loss;
        let (p, q) = (&mut self.proxy, &other.proxy);
        p.requests += q.requests;
        p.dropped += q.dropped;
        p.duplicated += q.duplicated;
        p.late_duplicates += q.late_duplicates;
        p.reordered += q.reordered;
        p.kills += q.kills;
        p.kills_in_flight += q.kills_in_flight;
        p.upstream_failures += q.upstream_failures;
    }
}

async fn login(client: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login request");
    assert_eq!(response.status(), 200, "login of {username}");
    let body: serde_json::Value = response.json().await.expect("login body");
    body["token"].as_str().expect("token").to_owned()
}

fn plan(devices: usize, mutations: usize) -> ProxyFaults {
    // About one sync per 4.5 edits, one push per sync.
    let pushes = (devices * mutations) as f64 / 4.5;
    ProxyFaults {
        drop_response: 0.15,
        duplicate: 0.1,
        late_share: 0.5,
        reorder: 0.1,
        kill: (KILLS_PER_RUN / pushes.max(1.0)).min(0.05),
    }
}

async fn make_devices(
    proxy: &FaultProxy,
    devices: usize,
    mutations: usize,
    seed: u64,
) -> Vec<Device> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client");
    let mut tokens = Vec::new();
    for cadre in &CADRES {
        tokens.push(login(&client, proxy.server_base(), cadre.username, DEMO_PASSWORD).await);
    }
    let mut rng = Rng::new(seed);
    (0..devices)
        .map(|index| {
            let cadre = index % CADRES.len();
            // Two devices in five run their clock one to seven days off, either way.
            let skew_ms = if rng.below(5) < 2 {
                let days = 1 + rng.below(7) as i64;
                if rng.below(2) == 0 { days } else { -days }
            } else {
                0
            } * DAY_MS;
            let id = Uuid::now_v7();
            let transport = HttpTransport::new(client.clone(), &proxy.base, &tokens[cadre], id);
            let store = DeviceStore::new(skew_ms, CRASH_CHANCE, seed * 7919 + index as u64);
            Device {
                index,
                id,
                cadre: &CADRES[cadre],
                skew_ms,
                // The last device of each run has its store wiped halfway.
                wipes: index + 1 == devices && mutations >= 4,
                transport: transport.clone(),
                engine: SyncEngine::new(store, transport, id),
                typed: 0,
                wiped: Vec::new(),
                reboots: 0,
            }
        })
        .collect()
}

/// Faults off: every device sends what it still has, then every device pulls the final
/// state (one that settled first has not seen what later ones sent).
async fn settle(proxy: &FaultProxy, devices: &mut [Device], seed: u64) {
    proxy.set_enabled(false);
    for device in devices.iter_mut() {
        device.store().stop_crashing();
        let report = device.engine.sync().await;
        assert!(report.is_ok(), "seed {seed}: clean sync failed: {report:?}");
    }
    for device in devices.iter() {
        let report = device.engine.sync().await.expect("final sync");
        assert!(
            report.up_to_date,
            "seed {seed}: device {} not up to date",
            device.index
        );
        assert_eq!(report.pushed, 0, "seed {seed}: something was left unsent");
    }
}

async fn run(seed: u64, devices: usize, mutations: usize) -> Totals {
    let started = Instant::now();
    let server = ServerProcess::start().await.expect("server binary");
    let proxy = FaultProxy::start(server, plan(devices, mutations), seed)
        .await
        .expect("proxy");
    let fleet = make_devices(&proxy, devices, mutations, seed).await;
    let tasks: Vec<_> = fleet
        .into_iter()
        .map(|device| tokio::spawn(work(device, mutations, seed)))
        .collect();
    let mut fleet = Vec::with_capacity(tasks.len());
    for task in tasks {
        fleet.push(task.await.expect("device task"));
    }
    settle(&proxy, &mut fleet, seed).await;
    let client = reqwest::Client::new();
    let province = login(
        &client,
        proxy.server_base(),
        "provinsi.kalsel",
        "provinsi123",
    )
    .await;
    let status: SyncStatus = client
        .get(format!(
            "{}/api/v1/supervision/sync-status",
            proxy.server_base()
        ))
        .bearer_auth(&province)
        .send()
        .await
        .expect("sync status")
        .json()
        .await
        .expect("sync status body");
    let database = proxy.stop_server().await.expect("stop server");
    let totals = check_everything(&database, &fleet, &status, seed);
    let totals = Totals {
        proxy: proxy.counts(),
        ..totals
    };
    eprintln!(
        "seed {seed}: {devices} devices x {mutations} edits in {:.1} s: {totals:?}",
        started.elapsed().as_secs_f64()
    );
    totals
}

fn check_everything(database: &Path, fleet: &[Device], status: &SyncStatus, seed: u64) -> Totals {
    let conn = Connection::open(database).expect("database");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check");
    assert_eq!(integrity, "ok", "seed {seed}");
    let mut totals = check_acknowledged(&conn, fleet, seed);
    check_stored_once(&conn, seed);
    check_converged(&conn, fleet, seed);
    totals.known_loss = check_supervisor_view(&conn, fleet, status, seed);
    totals.records = conn
        .query_row(
            "SELECT count(*) FROM record WHERE id IN (SELECT record_id FROM audit_trail
               WHERE json_extract(after, '$.head_name') LIKE 'KK %-%-%')",
            [],
            |r| r.get::<_, i64>(0),
        )
        .expect("count") as usize;
    let reasons: BTreeSet<String> = rows(
        &conn,
        "SELECT DISTINCT coalesce(errors, '') FROM mutation WHERE status = 'rejected'",
    )
    .into_iter()
    .collect();
    if !reasons.is_empty() {
        eprintln!("seed {seed}: rejections: {reasons:?}");
    }
    totals.devices = fleet.len();
    totals.typed = fleet.iter().map(|d| d.typed).sum();
    totals.crashes = fleet.iter().map(|d| d.store().ledger().crashes).sum();
    totals.skewed = fleet.iter().filter(|d| d.skew_ms != 0).count();
    totals
}

/// Every mutation a device stored as applied (or as a duplicate of an applied one) is on
/// the server with the version the device was told; every acknowledged conflict is kept
/// for review (repeats of a device on one record merge into one conflict with a count).
fn check_acknowledged(conn: &Connection, fleet: &[Device], seed: u64) -> Totals {
    let mut totals = Totals::default();
    let mut mutation = conn
        .prepare(
            "SELECT status, version, record_id FROM mutation WHERE device_id = ?1 AND seq = ?2",
        )
        .expect("sql");
    let mut record = conn
        .prepare("SELECT version FROM record WHERE id = ?1")
        .expect("sql");
    let mut acknowledged_conflicts: HashMap<(String, String), BTreeSet<u64>> = HashMap::new();
    for device in fleet {
        let Ledger { acknowledged, .. } = device.store().ledger();
        let device_id = device.id.to_string();
        for ack in acknowledged {
            let seq = i64::try_from(ack.seq).expect("seq");
            match ack.status {
                MutationStatus::Applied | MutationStatus::Duplicate => {
                    if ack.status == MutationStatus::Applied {
                        totals.applied += 1;
                    } else {
                        totals.duplicates += 1;
                    }
                    let (status, version, record_id): (String, Option<i64>, String) = mutation
                        .query_row(params![device_id, seq], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                        })
                        .unwrap_or_else(|_| {
                            panic!(
                                "seed {seed}: acknowledged {device_id}/{seq} missing on the server"
                            )
                        });
                    assert_eq!(status, "applied", "seed {seed}: {device_id}/{seq}");
                    assert_eq!(version.map(i64::unsigned_abs), ack.version);
                    assert_eq!(record_id, ack.record_id.to_string());
                    let current: i64 = record
                        .query_row([&record_id], |r| r.get(0))
                        .unwrap_or_else(|_| panic!("seed {seed}: record {record_id} missing"));
                    assert!(current.unsigned_abs() >= ack.version.unwrap_or(0));
                }
                MutationStatus::Conflict => {
                    totals.conflicts += 1;
                    acknowledged_conflicts
                        .entry((device_id.clone(), ack.record_id.to_string()))
                        .or_default()
                        .insert(ack.seq);
                }
                MutationStatus::Rejected => totals.rejected += 1,
            }
        }
    }
    check_conflicts_kept(conn, &acknowledged_conflicts, seed);
    totals
}

/// Every stale edit the server answered as a conflict is counted in a review row of its
/// device and record (`repeats`), at most one of them open; the acknowledged ones are
/// among them.
fn check_conflicts_kept(
    conn: &Connection,
    acknowledged: &HashMap<(String, String), BTreeSet<u64>>,
    seed: u64,
) {
    let answered = counts_by_device_record(
        conn,
        "SELECT device_id, record_id, count(*) FROM mutation WHERE status = 'conflict'
         GROUP BY device_id, record_id",
    );
    let kept = counts_by_device_record(
        conn,
        "SELECT device_id, record_id, sum(repeats) FROM conflict GROUP BY device_id, record_id",
    );
    assert_eq!(answered, kept, "seed {seed}: conflicts answered vs kept");
    let open_twice = counts_by_device_record(
        conn,
        "SELECT device_id, record_id, count(*) FROM conflict WHERE resolved_at IS NULL
         GROUP BY device_id, record_id HAVING count(*) > 1",
    );
    assert!(open_twice.is_empty(), "seed {seed}: {open_twice:?}");
    for (key, seqs) in acknowledged {
        let count = kept.get(key).copied().unwrap_or(0);
        assert!(
            count >= i64::try_from(seqs.len()).unwrap_or(i64::MAX),
            "seed {seed}: conflicts {key:?} {seqs:?} acknowledged, {count} kept"
        );
    }
}

/// A count per `(device, record)`, read in one pass (`sql` selects the three columns):
/// a query per acknowledged conflict scanned the table each time.
fn counts_by_device_record(conn: &Connection, sql: &str) -> HashMap<(String, String), i64> {
    let mut stmt = conn.prepare(sql).expect("sql");
    stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .expect("query")
        .map(|row| row.expect("row"))
        .collect()
}

/// No edit applied twice: each unique `head_name` appears in at most one applied write,
/// each record's version equals the number of mutations applied to it, and no two applied
/// mutations produced the same version of a record.
fn check_stored_once(conn: &Connection, seed: u64) {
    let twice: Vec<String> = rows(
        conn,
        "SELECT json_extract(after, '$.head_name') AS name FROM audit_trail
         WHERE action = 'upsert' AND name LIKE 'KK %-%-%' GROUP BY name HAVING count(*) > 1",
    );
    assert!(
        twice.is_empty(),
        "seed {seed}: edits stored twice: {twice:?}"
    );
    // Counted once per record and joined, not as a subquery per record: `mutation` has no
    // index on record_id, so that scanned the whole table for every record (records x
    // mutations, most of a seed's time at 50 devices x 500 edits).
    let miscounted: Vec<String> = rows(
        conn,
        "SELECT r.id FROM record r
         LEFT JOIN (SELECT record_id, count(*) AS applied FROM mutation
                    WHERE status = 'applied' GROUP BY record_id) m ON m.record_id = r.id
         WHERE r.version != coalesce(m.applied, 0)",
    );
    assert!(
        miscounted.is_empty(),
        "seed {seed}: versions not matching applied mutations: {miscounted:?}"
    );
    let same_version: Vec<String> = rows(
        conn,
        "SELECT record_id FROM mutation WHERE status = 'applied'
         GROUP BY record_id, version HAVING count(*) > 1",
    );
    assert!(
        same_version.is_empty(),
        "seed {seed}: one version applied twice: {same_version:?}"
    );
}

fn rows(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).expect("sql");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

/// Every device's checksum equals the server's for the device's villages, computed here
/// from the records; the server's own per-village checksums (kept by the push path through
/// the SIGKILLs) are current and equal it too.
fn check_converged(conn: &Connection, fleet: &[Device], seed: u64) {
    let mut truth: HashMap<&str, ScopeChecksum> = HashMap::new();
    for cadre in &CADRES {
        let mut sum = ScopeChecksum::default();
        for village in cadre.villages {
            let village_sum = village_checksum(conn, village);
            assert_eq!(
                kept_checksum(conn, village),
                Some(village_sum),
                "seed {seed}: the server's kept checksum of {village} is wrong or stale"
            );
            sum.count += village_sum.count;
            sum.xor ^= village_sum.xor;
        }
        truth.insert(cadre.username, sum);
    }
    for device in fleet {
        let recomputed = device.store().snapshot().checksum();
        assert_eq!(
            recomputed, truth[device.cadre.username],
            "seed {seed}: device {} disagrees with the server",
            device.index
        );
        assert_eq!(
            device.store().kept_checksum(),
            recomputed,
            "seed {seed}: device {} kept a wrong checksum",
            device.index
        );
    }
}

/// The checksum of a village from its records.
fn village_checksum(conn: &Connection, village: &str) -> ScopeChecksum {
    let mut stmt = conn
        .prepare("SELECT id, version FROM record WHERE village_code = ?1")
        .expect("sql");
    let versions: Vec<(Uuid, u64)> = stmt
        .query_map([village], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })
        .expect("query")
        .map(|row| {
            let (id, version) = row.expect("row");
            (Uuid::parse_str(&id).expect("uuid"), version.unsigned_abs())
        })
        .collect();
    ScopeChecksum::of(versions)
}

/// The server's stored checksum of a village, if it is current (its change sequence is
/// the village's newest).
fn kept_checksum(conn: &Connection, village: &str) -> Option<ScopeChecksum> {
    conn.query_row(
        "SELECT c.count, c.xor FROM village_checksum c
         WHERE c.village_code = ?1
           AND c.change_seq = (SELECT max(change_seq) FROM record WHERE village_code = ?1)",
        [village],
        |r| {
            Ok(ScopeChecksum {
                count: r.get::<_, i64>(0)?.unsigned_abs(),
                xor: r.get::<_, i64>(1)?.cast_unsigned(),
            })
        },
    )
    .optional()
    .expect("kept checksum")
}

/// The supervisor's view against the truth: every device listed with nothing waiting, its
/// clock offset near the real skew, its known loss exactly the numbers it never delivered;
/// every village's record and conflict counts as in the database. Returns the total loss.
fn check_supervisor_view(
    conn: &Connection,
    fleet: &[Device],
    status: &SyncStatus,
    seed: u64,
) -> i64 {
    let mut total_loss = 0;
    for device in fleet {
        let row = status
            .devices
            .iter()
            .find(|d| d.device_id == device.id.to_string())
            .unwrap_or_else(|| panic!("seed {seed}: device {} not listed", device.index));
        assert_eq!(row.username, device.cadre.username);
        let delivered: BTreeSet<u64> = delivered_seqs(conn, device.id);
        let lost = device
            .wiped
            .iter()
            .filter(|seq| !delivered.contains(seq))
            .count() as i64;
        assert_eq!(
            row.known_lost_mutations, lost,
            "seed {seed}: device {} loss shown {} but {lost} never arrived",
            device.index, row.known_lost_mutations
        );
        if device.wipes {
            assert!(lost > 0, "seed {seed}: the wiped device lost nothing?");
        }
        total_loss += lost;
        assert_eq!(
            row.outbox_size,
            Some(0),
            "seed {seed}: device {}",
            device.index
        );
        assert!(!row.backlog && !row.silent && row.last_pull_ms.is_some());
        let offset = row.clock_offset_ms.expect("clock offset reported");
        assert!(
            (offset - device.skew_ms).abs() < OFFSET_TOLERANCE_MS,
            "seed {seed}: device {} clock offset {offset} ms, skew {} ms",
            device.index,
            device.skew_ms
        );
    }
    for village in CADRES.iter().flat_map(|c| c.villages) {
        let row = status
            .villages
            .iter()
            .find(|v| v.code == *village)
            .unwrap_or_else(|| panic!("seed {seed}: village {village} not listed"));
        let (records, conflicts): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM record WHERE village_code = ?1 AND deleted = 0),
                        (SELECT count(*) FROM conflict WHERE village_code = ?1 AND resolved_at IS NULL)",
                [village],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("village truth");
        assert_eq!(
            row.records, records,
            "seed {seed}: village {village} records"
        );
        assert_eq!(
            row.open_conflicts, conflicts,
            "seed {seed}: village {village}"
        );
        assert_eq!(row.pending_reported, 0, "seed {seed}: village {village}");
    }
    total_loss
}

fn delivered_seqs(conn: &Connection, device: Uuid) -> BTreeSet<u64> {
    let mut stmt = conn
        .prepare("SELECT seq FROM mutation WHERE device_id = ?1")
        .expect("sql");
    stmt.query_map([device.to_string()], |r| r.get::<_, i64>(0))
        .expect("query")
        .map(|r| r.expect("row").unsigned_abs())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_converge_through_the_fault_proxy() {
    let seeds = setting("KONVERGEN_FAULT_SEEDS", 3);
    let devices = setting("KONVERGEN_FAULT_DEVICES", 8) as usize;
    let mutations = setting("KONVERGEN_FAULT_MUTATIONS", 60) as usize;
    let started = Instant::now();
    let mut all = Totals::default();
    for seed in 1..=seeds {
        let totals = run(seed, devices, mutations).await;
        all.add(&totals);
    }
    eprintln!(
        "all {seeds} seeds in {:.1} s: {all:?}",
        started.elapsed().as_secs_f64()
    );
    let p = all.proxy;
    assert!(
        p.dropped > 0 && p.duplicated > 0 && p.late_duplicates > 0 && p.reordered > 0,
        "network faults were not injected: {p:?}"
    );
    assert!(p.kills > 0, "the server was never killed: {p:?}");
    assert!(all.crashes > 0 && all.skewed > 0 && all.known_loss > 0);
}
