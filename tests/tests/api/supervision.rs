//! The supervisor's desk: sync status with backlogs and losses, conflict review.

use konvergen_shared::api::ErrorBody;
use konvergen_shared::supervision::{ConflictView, SyncStatus};
use konvergen_shared::sync::{EntityKind, Heartbeat, MutationStatus};
use konvergen_tests::TestServer;
use serde_json::json;
use uuid::Uuid;

use crate::fixtures::{SIPAI, batch, household, id, upsert};

async fn status(server: &TestServer, token: &str) -> SyncStatus {
    let response = server
        .get(token, "/api/v1/supervision/sync-status")
        .send()
        .await
        .expect("status");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_device_with_a_backlog_and_a_loss_is_flagged_for_its_regency_only() {
    let server = TestServer::start_demo().await.expect("server");
    let cadre = server.login("kader.sipai", "kader123").await;
    let device = id();
    let mut request = batch(
        device,
        vec![upsert(
            1,
            EntityKind::Household,
            id(),
            0,
            household(SIPAI, "A"),
        )],
    );
    request.heartbeat = Some(Heartbeat {
        outbox_size: 12,
        oldest_pending_secs: Some(7200),
        app_version: Some("0.1.0".into()),
        ..Heartbeat::default()
    });
    server.push(&cadre, &request).await;
    server
        .push(
            &cadre,
            &batch(
                device,
                vec![upsert(
                    4,
                    EntityKind::Household,
                    id(),
                    0,
                    household(SIPAI, "B"),
                )],
            ),
        )
        .await;

    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let report = status(&server, &banjar).await;
    let row = report
        .devices
        .iter()
        .find(|d| d.device_id == device.to_string())
        .expect("device listed");
    assert!(row.backlog);
    assert_eq!(row.outbox_size, Some(12));
    assert_eq!(row.known_lost_mutations, 2);
    assert!(!row.silent);
    assert_eq!(row.villages, [SIPAI]);
    let village = report
        .villages
        .iter()
        .find(|v| v.code == SIPAI)
        .expect("village listed");
    assert_eq!(village.records, 2);
    assert!(village.synced_this_month);
    assert_eq!(village.district_name, "Martapura");
    // Villages of the regency whose cadres sent nothing are listed as not synced.
    let bincau = report
        .villages
        .iter()
        .find(|v| v.code == "63.03.05.2012")
        .expect("bincau listed");
    assert!(!bincau.synced_this_month);

    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let other = status(&server, &tapin).await;
    assert!(
        other
            .devices
            .iter()
            .all(|d| d.device_id != device.to_string())
    );
    assert!(other.villages.iter().all(|v| v.code != SIPAI));

    let cadre_view = server
        .get(&cadre, "/api/v1/supervision/sync-status")
        .send()
        .await
        .expect("status");
    assert_eq!(cadre_view.status(), 403);
}

/// Two phones edit the same household offline; returns (server, house id).
async fn conflict_setup() -> (TestServer, Uuid) {
    let server = TestServer::start_demo().await.expect("server");
    let cadre = server.login("kader.sipai", "kader123").await;
    let house = id();
    let (a, b) = (id(), id());
    server
        .push(
            &cadre,
            &batch(
                a,
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
    server
        .push(
            &cadre,
            &batch(
                a,
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
    let late = server
        .push(
            &cadre,
            &batch(
                b,
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
    assert_eq!(late.results[0].status, MutationStatus::Conflict);
    (server, house)
}

#[tokio::test]
async fn a_conflict_is_reviewed_with_a_diff_and_resolved_with_a_reason() {
    let (server, house) = conflict_setup().await;
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let list: Vec<ConflictView> = server
        .get(&banjar, "/api/v1/supervision/conflicts")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list.len(), 1);
    let conflict = &list[0];
    let fields: Vec<_> = conflict.diff.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(fields, ["head_name"]);

    let path = format!("/api/v1/supervision/conflicts/{}/resolve", conflict.id);
    let no_reason = server
        .post(
            &banjar,
            &path,
            &json!({"resolution": "take_incoming", "reason": " "}),
        )
        .send()
        .await
        .expect("resolve");
    assert_eq!(no_reason.status(), 422);
    let body: ErrorBody = no_reason.json().await.expect("shape");
    assert_eq!(body.fields[0].field, "reason");

    let done = server
        .post(
            &banjar,
            &path,
            &json!({"resolution": "take_incoming", "reason": "KK baru dicek di lapangan"}),
        )
        .send()
        .await
        .expect("resolve");
    assert_eq!(done.status(), 200);
    let view: ConflictView = done.json().await.expect("json");
    assert!(view.resolved_ms.is_some());

    let cadre = server.login("kader.sipai", "kader123").await;
    let page = server.pull(&cadre, None).await;
    let record = page
        .changes
        .iter()
        .find(|c| c.record_id == house)
        .expect("record");
    assert_eq!(record.version, 3);
    assert_eq!(record.body["head_name"], "Budi S.");
    let conn = rusqlite::Connection::open(&server.database).expect("db");
    let audits: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'resolve_conflict'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audits, 1);
    let again = server
        .post(
            &banjar,
            &path,
            &json!({"resolution": "keep_server", "reason": "again"}),
        )
        .send()
        .await
        .expect("resolve");
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn conflicts_of_another_regency_stay_invisible() {
    let (server, _) = conflict_setup().await;
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let list: Vec<ConflictView> = server
        .get(&tapin, "/api/v1/supervision/conflicts")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert!(list.is_empty());
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let list: Vec<ConflictView> = server
        .get(&banjar, "/api/v1/supervision/conflicts")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let path = format!("/api/v1/supervision/conflicts/{}/resolve", list[0].id);
    let response = server
        .post(
            &tapin,
            &path,
            &json!({"resolution": "keep_server", "reason": "x"}),
        )
        .send()
        .await
        .expect("resolve");
    assert_eq!(response.status(), 404, "out of area looks like missing");
    let missing = server
        .post(
            &tapin,
            "/api/v1/supervision/conflicts/9999/resolve",
            &json!({"resolution": "keep_server", "reason": "x"}),
        )
        .send()
        .await
        .expect("resolve");
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn merging_stores_the_reviewers_body() {
    let (server, house) = conflict_setup().await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let list: Vec<ConflictView> = server
        .get(&province, "/api/v1/supervision/conflicts")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let path = format!("/api/v1/supervision/conflicts/{}/resolve", list[0].id);
    let merged = household(SIPAI, "Budi Santoso S.");
    let response = server
        .post(
            &province,
            &path,
            &json!({"resolution": "merge", "merged_body": merged, "reason": "gabung"}),
        )
        .send()
        .await
        .expect("resolve");
    assert_eq!(response.status(), 200);
    let cadre = server.login("kader.sipai", "kader123").await;
    let page = server.pull(&cadre, None).await;
    let record = page
        .changes
        .iter()
        .find(|c| c.record_id == house)
        .expect("record");
    assert_eq!(record.body["head_name"], "Budi Santoso S.");
}
