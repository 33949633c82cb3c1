//! Fault injection: several phones (the real sync engine) against the real server through a
//! misbehaving transport. At the end nothing acknowledged is missing, nothing is stored
//! twice, every phone agrees with the server, and the wiped phone shows as a known loss.
//! KONVERGEN_FAULT_SEEDS / _DEVICES / _ROUNDS make the long run (docs/reliability.md).

use std::collections::BTreeSet;

use konvergen_shared::supervision::SyncStatus;
use konvergen_shared::sync::engine::SyncEngine;
use konvergen_shared::sync::memory::MemoryStore;
use konvergen_shared::sync::outbox::DeviceState;
use konvergen_shared::sync::{EntityKind, ScopeChecksum};
use konvergen_tests::TestServer;
use konvergen_tests::device::HttpTransport;
use konvergen_tests::faults::{FaultPlan, FaultyTransport};
use serde_json::json;
use uuid::Uuid;

type Phone = SyncEngine<MemoryStore, FaultyTransport>;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn household(n: u64) -> serde_json::Value {
    json!({"village_code": "63.03.05.2009", "head_name": format!("KK {n}"), "rt": "001"})
}

async fn run(seed: u64, devices: usize, rounds: usize) {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let plan = FaultPlan {
        drop_response: 0.2,
        duplicate: 0.15,
        fail_before: 0.1,
    };
    let phones: Vec<(Uuid, Phone)> = (0..devices)
        .map(|i| {
            let id = Uuid::now_v7();
            let http = HttpTransport::new(server.client.clone(), &server.base, &token, id);
            (
                id,
                SyncEngine::new(
                    MemoryStore::default(),
                    FaultyTransport::new(http, plan, seed * 31 + i as u64),
                    id,
                ),
            )
        })
        .collect();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut created: Vec<(usize, Uuid)> = Vec::new();
    let mut lost_on_wipe: BTreeSet<Uuid> = BTreeSet::new();
    let mut counter = 0;
    for round in 0..rounds {
        for (index, (_, phone)) in phones.iter().enumerate() {
            for _ in 0..=rng.below(3) {
                counter += 1;
                let known: Vec<Uuid> = phone
                    .store()
                    .snapshot()
                    .live(EntityKind::Household)
                    .map(|r| r.record_id)
                    .collect();
                // Mostly new households, sometimes an edit of one the phone knows.
                let id = if known.is_empty() || rng.below(4) != 0 {
                    let id = Uuid::now_v7();
                    created.push((index, id));
                    id
                } else {
                    known[rng.below(known.len() as u64) as usize]
                };
                phone
                    .store()
                    .edit(EntityKind::Household, id, household(counter));
            }
            let _ = phone.sync().await;
        }
        // Halfway, the last phone loses its storage with unsent work (sequence kept).
        if round == rounds / 2 {
            let (_, phone) = phones.last().expect("phone");
            phone
                .store()
                .edit(EntityKind::Household, Uuid::now_v7(), household(999_999));
            let state = phone.store().snapshot();
            lost_on_wipe.extend(state.outbox.iter().map(|e| e.mutation.record_id));
            phone.store().replace(DeviceState {
                next_seq: state.next_seq,
                ..DeviceState::default()
            });
        }
    }
    // Faults off: every phone sends what it still has, then every phone pulls the final
    // state (a phone that synced first has not seen what the later ones sent).
    for (_, phone) in &phones {
        phone.transport().set_enabled(false);
        phone.sync().await.expect("clean sync");
    }
    let mut checksums = Vec::new();
    for (_, phone) in &phones {
        let report = phone.sync().await.expect("final sync");
        assert!(report.up_to_date, "seed {seed}: a phone did not converge");
        assert_eq!(
            report.pushed, 0,
            "seed {seed}: the first clean pass left something unsent"
        );
        checksums.push(phone.store().snapshot().checksum());
    }
    let server_ids = server_records(&server);
    for (_, id) in &created {
        if !lost_on_wipe.contains(id) {
            assert!(
                server_ids.contains(id),
                "seed {seed}: record {id} typed on a phone is missing on the server"
            );
        }
    }
    let truth = ScopeChecksum::of(server_versions(&server));
    assert!(
        checksums.iter().all(|c| *c == truth),
        "seed {seed}: phones disagree with the server"
    );
    let conn = rusqlite::Connection::open(&server.database).expect("db");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");
    if !lost_on_wipe.is_empty() {
        let supervisor = server.login("supervisor.banjar", "supervisor123").await;
        let status: SyncStatus = server
            .get(&supervisor, "/api/v1/supervision/sync-status")
            .send()
            .await
            .expect("status")
            .json()
            .await
            .expect("json");
        let wiped = phones.last().expect("phone").0.to_string();
        let row = status
            .devices
            .iter()
            .find(|d| d.device_id == wiped)
            .expect("wiped phone listed");
        assert!(
            row.known_lost_mutations > 0,
            "seed {seed}: the wiped phone is not flagged"
        );
    }
    let faults: Vec<_> = phones.iter().map(|(_, p)| p.transport().counts()).collect();
    assert!(
        faults.iter().any(|c| c.dropped > 0 && c.duplicated > 0),
        "seed {seed}: faults were not injected"
    );
    eprintln!(
        "seed {seed}: {} phones, {} records, faults {faults:?}",
        phones.len(),
        server_ids.len()
    );
}

fn server_records(server: &TestServer) -> BTreeSet<Uuid> {
    server_versions(server)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// Records of Sungai Sipai (the phones' village) with their versions.
fn server_versions(server: &TestServer) -> Vec<(Uuid, u64)> {
    let conn = rusqlite::Connection::open(&server.database).expect("db");
    let mut stmt = conn
        .prepare("SELECT id, version FROM record WHERE village_code = '63.03.05.2009'")
        .expect("sql");
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("query")
        .map(|row| {
            let (id, version) = row.expect("row");
            (Uuid::parse_str(&id).expect("uuid"), version.unsigned_abs())
        })
        .collect()
}

#[tokio::test]
async fn phones_converge_under_faults() {
    let seeds = setting("KONVERGEN_FAULT_SEEDS", 3);
    let devices = setting("KONVERGEN_FAULT_DEVICES", 4) as usize;
    let rounds = setting("KONVERGEN_FAULT_ROUNDS", 12) as usize;
    for seed in 1..=seeds {
        run(seed, devices, rounds).await;
    }
}
