//! Crash safety: the real server binary is killed with SIGKILL while devices push
//! concurrently; after a restart every acknowledged mutation is present exactly once and the
//! database passes `PRAGMA integrity_check`.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use konvergen_shared::sync::{
    EntityKind, Mutation, MutationStatus, Operation, PushRequest, PushResponse,
};
use serde_json::json;
use uuid::Uuid;

use common::{free_port, start_quiet, wait_healthy};

const DEVICES: usize = 6;
const BATCH: u64 = 25;

async fn login(client: &reqwest::Client, base: &str) -> String {
    common::login(client, base, "kader.sipai", "kader123").await
}

fn household(seq: u64) -> Mutation {
    Mutation {
        seq,
        entity: EntityKind::Household,
        record_id: Uuid::now_v7(),
        base_version: 0,
        op: Operation::Upsert,
        body: json!({"village_code": "63.03.05.2009", "head_name": format!("KK {seq}"), "safe_water": true}),
        client_time_ms: None,
    }
}

/// Pushes batches until the server goes away; returns every mutation it generated and the
/// record ids the server acknowledged as applied.
async fn device_loop(
    client: reqwest::Client,
    base: String,
    token: String,
) -> (Uuid, Vec<Mutation>, HashSet<Uuid>) {
    let device = Uuid::now_v7();
    let mut sent = Vec::new();
    let mut acknowledged = HashSet::new();
    for round in 0.. {
        let batch: Vec<Mutation> = (1..=BATCH).map(|i| household(round * BATCH + i)).collect();
        sent.extend(batch.iter().cloned());
        let request = PushRequest {
            device_id: device,
            mutations: batch,
            heartbeat: None,
        };
        let response = client
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&token)
            .json(&request)
            .send()
            .await;
        let Ok(response) = response else { break };
        let Ok(body) = response.json::<PushResponse>().await else {
            break;
        };
        for result in body.results {
            assert_eq!(result.status, MutationStatus::Applied);
            acknowledged.insert(result.record_id);
        }
    }
    (device, sent, acknowledged)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_mutations_survive_sigkill() {
    let data = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut server = start_quiet(data.path(), port);
    wait_healthy(&client, &base).await;
    let token = login(&client, &base).await;

    let devices: Vec<_> = (0..DEVICES)
        .map(|_| tokio::spawn(device_loop(client.clone(), base.clone(), token.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(800)).await;
    server.kill().expect("SIGKILL");
    server.wait().expect("reap");
    let mut outcomes = Vec::new();
    for device in devices {
        outcomes.push(device.await.expect("device task"));
    }
    let acknowledged: usize = outcomes.iter().map(|(_, _, ack)| ack.len()).sum();
    assert!(
        acknowledged > 0,
        "the server acknowledged nothing before the kill"
    );

    let mut server = start_quiet(data.path(), port);
    wait_healthy(&client, &base).await;
    // Every acknowledged record is there exactly once.
    let db = check_after_crash(&data.path().join("konvergen.sqlite3"), &outcomes);
    assert_eq!(db, "ok");
    // The devices resend everything they generated: nothing is applied twice.
    let token = login(&client, &base).await;
    for (device, sent, acknowledged) in &outcomes {
        for chunk in sent.chunks(200) {
            let request = PushRequest {
                device_id: *device,
                mutations: chunk.to_vec(),
                heartbeat: None,
            };
            let response: PushResponse = client
                .post(format!("{base}/api/v1/sync/push"))
                .bearer_auth(&token)
                .json(&request)
                .send()
                .await
                .expect("resend")
                .json()
                .await
                .expect("resend body");
            for result in response.results {
                let expected = if acknowledged.contains(&result.record_id) {
                    MutationStatus::Duplicate
                } else {
                    result.status
                };
                assert_eq!(result.status, expected);
                assert!(matches!(
                    result.status,
                    MutationStatus::Applied | MutationStatus::Duplicate
                ));
            }
        }
    }
    let total: usize = outcomes.iter().map(|(_, sent, _)| sent.len()).sum();
    let count = count_records(&data.path().join("konvergen.sqlite3"));
    assert_eq!(
        count, total,
        "every generated mutation stored exactly once after the resend"
    );
    server.kill().expect("stop");
    let _ = server.wait();
}

/// Checks that every acknowledged record is present once, and runs the integrity check.
fn check_after_crash(path: &Path, outcomes: &[(Uuid, Vec<Mutation>, HashSet<Uuid>)]) -> String {
    let conn = rusqlite::Connection::open(path).expect("open");
    for (_, _, acknowledged) in outcomes {
        for id in acknowledged {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM record WHERE id = ?1",
                    [id.to_string()],
                    |r| r.get(0),
                )
                .expect("count");
            assert_eq!(n, 1, "acknowledged record {id} missing after the crash");
        }
    }
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity")
}

fn count_records(path: &Path) -> usize {
    let conn = rusqlite::Connection::open(path).expect("open");
    // Only this test's households: the server also seeded its demo villages on first start.
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM record WHERE json_extract(body, '$.head_name') LIKE 'KK %'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    usize::try_from(n).expect("count")
}
