//! Push: idempotency, conflicts, gaps, scopes and rejections that never block the queue.

use konvergen_shared::sync::{EntityKind, MutationStatus};
use konvergen_tests::TestServer;

use crate::fixtures::{BINCAU, SIPAI, batch, child, count, household, id, upsert};

#[tokio::test]
async fn new_records_are_applied_with_receipts() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (device, house, kid) = (id(), id(), id());
    let response = server
        .push(
            &token,
            &batch(
                device,
                vec![
                    upsert(1, EntityKind::Household, house, 0, household(SIPAI, "Budi")),
                    upsert(2, EntityKind::Child, kid, 0, child(house, "Ani")),
                ],
            ),
        )
        .await;
    assert_eq!(response.last_seq, 2);
    assert!(
        response
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Applied)
    );
    assert_eq!(response.results[0].version, Some(1));
    let seqs: Vec<_> = response
        .results
        .iter()
        .map(|r| r.change_seq.expect("receipt"))
        .collect();
    assert!(seqs[0] < seqs[1], "change sequence is monotonic: {seqs:?}");
    assert_eq!(count(&server, "SELECT count(*) FROM record"), 2);
    // Two creates: audited by their record rows, no audit row of their own (migration 0013).
    assert_eq!(count(&server, "SELECT count(*) FROM audit"), 0);
    assert_eq!(count(&server, "SELECT count(*) FROM audit_trail"), 2);
}

#[tokio::test]
async fn the_same_batch_twice_is_applied_once() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let request = batch(
        id(),
        vec![upsert(
            1,
            EntityKind::Household,
            id(),
            0,
            household(SIPAI, "Budi"),
        )],
    );
    let first = server.push(&token, &request).await;
    let second = server.push(&token, &request).await;
    assert_eq!(second.results[0].status, MutationStatus::Duplicate);
    assert_eq!(second.results[0].version, first.results[0].version);
    assert_eq!(second.results[0].change_seq, first.results[0].change_seq);
    assert_eq!(
        second.results[0].server_time_ms,
        first.results[0].server_time_ms
    );
    assert_eq!(count(&server, "SELECT count(*) FROM record"), 1);
}

#[tokio::test]
async fn a_half_applied_batch_retried_applies_only_the_rest() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let device = id();
    let mutations: Vec<_> = (1..=4)
        .map(|seq| {
            upsert(
                seq,
                EntityKind::Household,
                id(),
                0,
                household(SIPAI, &format!("KK {seq}")),
            )
        })
        .collect();
    // The first two arrived, then the connection broke before the device heard back.
    server
        .push(&token, &batch(device, mutations[..2].to_vec()))
        .await;
    let retry = server.push(&token, &batch(device, mutations.clone())).await;
    let statuses: Vec<_> = retry.results.iter().map(|r| r.status).collect();
    use MutationStatus::{Applied, Duplicate};
    assert_eq!(statuses, [Duplicate, Duplicate, Applied, Applied]);
    assert_eq!(retry.last_seq, 4);
    assert_eq!(count(&server, "SELECT count(*) FROM record"), 4);
}

#[tokio::test]
async fn a_reused_sequence_with_another_payload_is_refused() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (device, house) = (id(), id());
    server
        .push(
            &token,
            &batch(
                device,
                vec![upsert(
                    1,
                    EntityKind::Household,
                    house,
                    0,
                    household(SIPAI, "Budi"),
                )],
            ),
        )
        .await;
    let reused = server
        .push(
            &token,
            &batch(
                device,
                vec![upsert(
                    1,
                    EntityKind::Household,
                    house,
                    0,
                    household(SIPAI, "Joko"),
                )],
            ),
        )
        .await;
    assert_eq!(reused.results[0].status, MutationStatus::Rejected);
    assert_eq!(reused.results[0].errors[0].code, "sequence_reused");
    let head = count(
        &server,
        "SELECT count(*) FROM record WHERE body LIKE '%Budi%'",
    );
    assert_eq!(head, 1, "the acknowledged version stays");
}

#[tokio::test]
async fn a_stale_edit_becomes_a_conflict_with_both_versions_kept() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (phone_a, phone_b, house) = (id(), id(), id());
    server
        .push(
            &token,
            &batch(
                phone_a,
                vec![upsert(
                    1,
                    EntityKind::Household,
                    house,
                    0,
                    household(SIPAI, "Budi"),
                )],
            ),
        )
        .await;
    // Both phones edit version 1 while offline; A syncs first.
    let a = server
        .push(
            &token,
            &batch(
                phone_a,
                vec![upsert(
                    2,
                    EntityKind::Household,
                    house,
                    1,
                    household(SIPAI, "Budi Santoso"),
                )],
            ),
        )
        .await;
    assert_eq!(a.results[0].status, MutationStatus::Applied);
    let b = server
        .push(
            &token,
            &batch(
                phone_b,
                vec![upsert(
                    1,
                    EntityKind::Household,
                    house,
                    1,
                    household(SIPAI, "Budi S."),
                )],
            ),
        )
        .await;
    assert_eq!(b.results[0].status, MutationStatus::Conflict);
    assert_eq!(b.results[0].version, Some(2));
    assert_eq!(
        b.last_seq, 1,
        "a conflict is acknowledged: it must not block the queue"
    );
    let conn = rusqlite::Connection::open(&server.database).expect("db");
    let (server_body, incoming): (String, String) = conn
        .query_row("SELECT server_body, incoming_body FROM conflict", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("conflict row");
    assert!(server_body.contains("Budi Santoso"));
    assert!(incoming.contains("Budi S."));
}

/// Found by the fault proxy: the answer to a conflicting push was lost, the retry was
/// answered `duplicate`, and the phone took that for "applied", marked its copy as the
/// server's version and dropped the conflict flag: its own text shown as synced, checksums
/// equal, and its next edit silently overwriting the other cadre's.
#[tokio::test]
async fn a_retried_conflict_is_answered_as_a_conflict_again() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (phone_a, phone_b, house) = (id(), id(), id());
    let create = upsert(1, EntityKind::Household, house, 0, household(SIPAI, "Budi"));
    server.push(&token, &batch(phone_a, vec![create])).await;
    let edit_a = upsert(
        2,
        EntityKind::Household,
        house,
        1,
        household(SIPAI, "Budi A"),
    );
    server.push(&token, &batch(phone_a, vec![edit_a])).await;
    let stale = batch(
        phone_b,
        vec![upsert(
            1,
            EntityKind::Household,
            house,
            1,
            household(SIPAI, "Budi B"),
        )],
    );
    let first = server.push(&token, &stale).await;
    assert_eq!(first.results[0].status, MutationStatus::Conflict);
    let retry = server.push(&token, &stale).await;
    assert_eq!(
        retry.results[0].status,
        MutationStatus::Conflict,
        "a retry gets the first answer, not \"already applied\""
    );
    assert_eq!(retry.results[0].version, first.results[0].version);
    assert_eq!(count(&server, "SELECT count(*) FROM conflict"), 1);
}

#[tokio::test]
async fn a_sequence_gap_is_recorded_as_a_known_loss() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let device = id();
    server
        .push(
            &token,
            &batch(
                device,
                vec![upsert(
                    1,
                    EntityKind::Household,
                    id(),
                    0,
                    household(SIPAI, "A"),
                )],
            ),
        )
        .await;
    // The browser was wiped after numbering 2..=4 but before sending them.
    let after = server
        .push(
            &token,
            &batch(
                device,
                vec![upsert(
                    5,
                    EntityKind::Household,
                    id(),
                    0,
                    household(SIPAI, "B"),
                )],
            ),
        )
        .await;
    assert_eq!(after.results[0].status, MutationStatus::Applied);
    assert_eq!(after.last_seq, 5);
    assert_eq!(
        count(
            &server,
            "SELECT count(*) FROM known_loss WHERE from_seq = 2 AND to_seq = 4"
        ),
        1
    );
}

#[tokio::test]
async fn rejected_mutations_are_acknowledged_and_do_not_block() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let response = server
        .push(
            &token,
            &batch(
                id(),
                vec![
                    upsert(
                        1,
                        EntityKind::Household,
                        id(),
                        0,
                        serde_json::json!({"head_name": "no village"}),
                    ),
                    upsert(
                        2,
                        EntityKind::Household,
                        id(),
                        0,
                        household("99.99.99.9999", "Unknown village"),
                    ),
                    upsert(3, EntityKind::Household, id(), 0, household(SIPAI, "Good")),
                ],
            ),
        )
        .await;
    let statuses: Vec<_> = response.results.iter().map(|r| r.status).collect();
    use MutationStatus::{Applied, Rejected};
    assert_eq!(statuses, [Rejected, Rejected, Applied]);
    assert_eq!(response.results[0].errors[0].field, "body.village_code");
    assert_eq!(response.results[1].errors[0].code, "unknown_village");
    assert_eq!(response.last_seq, 3);
}

#[tokio::test]
async fn other_villages_are_out_of_reach_without_revealing_records() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let bincau = server.login("kader.bincau", "kader123").await;
    let bincau_house = id();
    server
        .push(
            &bincau,
            &batch(
                id(),
                vec![upsert(
                    1,
                    EntityKind::Household,
                    bincau_house,
                    0,
                    household(BINCAU, "Rahmat"),
                )],
            ),
        )
        .await;
    let attempt = server
        .push(
            &sipai,
            &batch(
                id(),
                vec![
                    upsert(
                        1,
                        EntityKind::Household,
                        id(),
                        0,
                        household(BINCAU, "Intruder"),
                    ),
                    upsert(
                        2,
                        EntityKind::Child,
                        id(),
                        0,
                        child(bincau_house, "Intruder child"),
                    ),
                    upsert(3, EntityKind::Child, id(), 0, child(id(), "Orphan")),
                    upsert(
                        4,
                        EntityKind::Household,
                        bincau_house,
                        1,
                        household(SIPAI, "Hijack"),
                    ),
                ],
            ),
        )
        .await;
    assert!(
        attempt
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Rejected)
    );
    assert_eq!(attempt.results[0].errors[0].code, "out_of_scope");
    // An existing household of another village and a missing one get the same answer.
    assert_eq!(attempt.results[1].errors, attempt.results[2].errors);
    assert_eq!(attempt.results[3].errors[0].code, "not_found");
    assert_eq!(count(&server, "SELECT count(*) FROM record"), 1);
}

#[tokio::test]
async fn only_cadres_push_village_records() {
    let server = TestServer::start_demo().await.expect("server");
    let request = || {
        batch(
            id(),
            vec![upsert(
                1,
                EntityKind::Household,
                id(),
                0,
                household(SIPAI, "X"),
            )],
        )
    };
    // The regency team syncs, but only the records placed at its regency's own code.
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let answer = server.push(&coordinator, &request()).await;
    assert_eq!(answer.results[0].status, MutationStatus::Rejected);
    assert_eq!(answer.results[0].errors[0].code, "out_of_scope");
    for (user, password) in [("provinsi.kalsel", "provinsi123"), ("admin", "admin123")] {
        let token = server.login(user, password).await;
        let response = server
            .post(&token, "/api/v1/sync/push", &request())
            .send()
            .await
            .expect("push");
        assert_eq!(response.status(), 403, "{user}");
    }
}

/// The body of each audit row's `after`, read through `audit_trail`, oldest first, and
/// whether the row itself stores it.
fn audit_afters(
    server: &TestServer,
    record: uuid::Uuid,
) -> Vec<(String, Option<serde_json::Value>, bool)> {
    let conn = rusqlite::Connection::open(&server.database).expect("open db");
    let mut stmt = conn
        .prepare(
            "SELECT t.action, t.after, coalesce(a.after IS NOT NULL, 0) FROM audit_trail t
             LEFT JOIN audit a ON a.id = t.id WHERE t.record_id = ?1 ORDER BY t.id",
        )
        .expect("sql");
    stmt.query_map([record.to_string()], |row| {
        let after: Option<String> = row.get(1)?;
        Ok((
            row.get(0)?,
            after.map(|text| serde_json::from_str(&text).expect("json")),
            row.get(2)?,
        ))
    })
    .expect("query")
    .map(|row| row.expect("row"))
    .collect()
}

/// A create's body is stored once, in the record; the audit still answers what every write
/// left, whether the record stayed at its first version or changed later.
#[tokio::test]
async fn the_audit_gives_a_creates_body_without_storing_it_twice() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (device, house) = (id(), id());
    let first = household(SIPAI, "Budi");
    let second = household(SIPAI, "Budi Santoso");
    server
        .push(
            &token,
            &batch(
                device,
                vec![upsert(1, EntityKind::Household, house, 0, first.clone())],
            ),
        )
        .await;
    assert_eq!(
        audit_afters(&server, house),
        vec![("upsert".to_owned(), Some(first.clone()), false)],
        "read from the record, which is at version 1"
    );
    let conn = rusqlite::Connection::open(&server.database).expect("open db");
    let (creator, created_from): (String, String) = conn
        .query_row(
            "SELECT u.username, t.device_id FROM audit_trail t JOIN user u ON u.id = t.user_id
             WHERE t.record_id = ?1",
            [house.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("the create's entry");
    assert_eq!(
        (creator.as_str(), created_from),
        ("kader.sipai", device.to_string()),
        "who created it and from which phone, without an audit row"
    );
    assert_eq!(
        count(
            &server,
            &format!("SELECT count(*) FROM audit WHERE record_id = '{house}'")
        ),
        0
    );
    server
        .push(
            &token,
            &batch(
                device,
                vec![upsert(2, EntityKind::Household, house, 1, second.clone())],
            ),
        )
        .await;
    let mut delete = upsert(3, EntityKind::Household, house, 2, serde_json::Value::Null);
    delete.op = konvergen_shared::sync::Operation::Delete;
    let response = server.push(&token, &batch(device, vec![delete])).await;
    assert_eq!(response.results[0].status, MutationStatus::Applied);
    assert_eq!(
        audit_afters(&server, house),
        vec![
            ("upsert".to_owned(), Some(first.clone()), false),
            ("upsert".to_owned(), Some(second.clone()), true),
            ("delete".to_owned(), None, false),
        ],
        "the create's body from the next write's `before`"
    );
    let befores = count(
        &server,
        &format!("SELECT count(*) FROM audit WHERE record_id = '{house}' AND before IS NOT NULL"),
    );
    assert_eq!(befores, 2, "updates and deletes keep what they replaced");
}
