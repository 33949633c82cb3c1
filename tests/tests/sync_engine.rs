//! The real client sync engine (from `shared`) against the real server: what a cadre types
//! offline reaches the server once, other phones receive it, and concurrent edits end as
//! recorded conflicts, never as lost edits.

use konvergen_shared::sync::EntityKind;
use konvergen_shared::sync::outbox::DeviceState;
use konvergen_tests::TestServer;
use konvergen_tests::device::phone;
use serde_json::{Value, json};
use uuid::Uuid;

const SIPAI: &str = "63.03.05.2009";

fn household(head: &str) -> Value {
    json!({"village_code": SIPAI, "head_name": head, "rt": "001", "rw": "002", "safe_water": true, "proper_latrine": true})
}

fn count(server: &TestServer, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(&server.database).expect("db");
    conn.query_row(sql, [], |row| row.get(0)).expect("count")
}

#[tokio::test]
async fn offline_work_reaches_the_server_once_and_other_phones_receive_it() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let phone_a = phone(&server.client, &server.base, &token);
    let (house, child) = (Uuid::now_v7(), Uuid::now_v7());
    phone_a
        .store()
        .edit(EntityKind::Household, house, household("Budi"));
    phone_a.store().edit(
        EntityKind::Child,
        child,
        json!({"household_id": house, "name": "Ani", "sex": "F", "birth_date": "2026-01-10"}),
    );
    phone_a
        .store()
        .edit(EntityKind::Household, house, household("Budi Santoso"));

    let report = phone_a.sync().await.expect("sync");
    assert_eq!(
        (report.pushed, report.applied),
        (2, 2),
        "the two edits of the household merged"
    );
    assert!(report.up_to_date);
    // A second run sends nothing and stays up to date.
    let again = phone_a.sync().await.expect("sync again");
    assert_eq!(again.pushed, 0);
    assert!(again.up_to_date);
    assert_eq!(count(&server, "SELECT count(*) FROM record"), 2);

    let phone_b = phone(&server.client, &server.base, &token);
    let report = phone_b.sync().await.expect("sync b");
    assert_eq!(report.pulled, 2);
    let state = phone_b.store().snapshot();
    assert_eq!(state.records[&house].body["head_name"], "Budi Santoso");
    assert_eq!(state.checksum(), phone_a.store().snapshot().checksum());
}

#[tokio::test]
async fn concurrent_offline_edits_end_as_a_recorded_conflict() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (a, b) = (
        phone(&server.client, &server.base, &token),
        phone(&server.client, &server.base, &token),
    );
    let house = Uuid::now_v7();
    a.store()
        .edit(EntityKind::Household, house, household("Budi"));
    a.sync().await.expect("a");
    b.sync().await.expect("b");
    a.store()
        .edit(EntityKind::Household, house, household("Budi (A)"));
    b.store()
        .edit(EntityKind::Household, house, household("Budi (B)"));
    let first = a.sync().await.expect("a edits");
    assert_eq!(first.applied, 1);
    let second = b.sync().await.expect("b edits");
    assert_eq!(second.conflicts, 1);
    assert_eq!(
        count(
            &server,
            "SELECT count(*) FROM conflict WHERE incoming_body LIKE '%Budi (B)%'"
        ),
        1
    );
    // B now shows the server's version; its own edit waits in the review queue.
    assert_eq!(
        b.store().snapshot().records[&house].body["head_name"],
        "Budi (A)"
    );
}

#[tokio::test]
async fn a_wiped_phone_is_recorded_as_a_known_loss_and_recovers_by_pulling() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let device = phone(&server.client, &server.base, &token);
    device
        .store()
        .edit(EntityKind::Household, Uuid::now_v7(), household("A"));
    device.sync().await.expect("first sync");
    // Two edits numbered, never sent, then the browser storage is wiped ...
    device
        .store()
        .edit(EntityKind::Household, Uuid::now_v7(), household("lost 1"));
    device
        .store()
        .edit(EntityKind::Household, Uuid::now_v7(), household("lost 2"));
    let numbered = device.store().snapshot().next_seq;
    device.store().replace(DeviceState {
        next_seq: numbered,
        ..DeviceState::default()
    });
    // ... and the cadre keeps working on the same device id.
    device.store().edit(
        EntityKind::Household,
        Uuid::now_v7(),
        household("after wipe"),
    );
    let report = device.sync().await.expect("sync after wipe");
    assert!(report.up_to_date);
    assert_eq!(
        device.store().snapshot().records.len(),
        2,
        "pulled back what the server had"
    );
    assert_eq!(
        count(
            &server,
            "SELECT coalesce(sum(to_seq - from_seq + 1), 0) FROM known_loss"
        ),
        2
    );
}
