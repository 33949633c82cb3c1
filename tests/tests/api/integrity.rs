//! Integrity under concurrency and abuse (issue #13, findings 8-10): checklist writes are
//! atomic and versioned, a household with live members cannot be deleted through sync,
//! device reports are capped and repeat conflicts merge into one.

use konvergen_shared::api::ErrorBody;
use konvergen_shared::sync::{EntityKind, Heartbeat, Mutation, MutationStatus, Operation};
use konvergen_tests::TestServer;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::fixtures::{SIPAI, batch, child, count, household, id, upsert};

/// The checklist of Kabupaten Banjar (the demo supervisor's regency) for `year`.
fn checklist_path(year: i32) -> String {
    format!("/api/v1/actions/checklists/63.03/{year}")
}

/// Keys of the catalogue of `year`: all of them, and the required ones.
async fn item_keys(server: &TestServer, token: &str, year: i32) -> (Vec<String>, Vec<String>) {
    let catalogue: Value = server
        .get(token, &format!("/api/v1/actions/catalogue/{year}"))
        .send()
        .await
        .expect("catalogue")
        .json()
        .await
        .expect("json");
    let items: Vec<&Value> = catalogue["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .flat_map(|action| action["evidence"].as_array().expect("evidence"))
        .collect();
    let key = |item: &&Value| item["key"].as_str().expect("key").to_owned();
    let required = items.iter().filter(|i| i["required"] == true).map(key);
    (items.iter().map(key).collect(), required.collect())
}

/// Saves one item as done with `link`; `expected` is sent as `?expected_version=`.
async fn put_item(
    client: reqwest::Client,
    url: String,
    token: String,
    link: String,
    expected: Option<u64>,
) -> reqwest::Response {
    let mut request = client.put(url).bearer_auth(token);
    if let Some(version) = expected {
        request = request.query(&[("expected_version", version)]);
    }
    request
        .json(&json!({"done": true, "links": [link]}))
        .send()
        .await
        .expect("put item")
}

async fn show(server: &TestServer, token: &str, year: i32) -> Value {
    let response = server
        .get(token, &checklist_path(year))
        .send()
        .await
        .expect("show");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

fn link_of(key: &str, tag: &str) -> String {
    format!("https://dokumen.example/{key}/{tag}.pdf")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_saves_of_different_items_are_all_stored() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let (keys, _) = item_keys(&server, &banjar, 2026).await;
    assert!(keys.len() >= 25, "catalogue has {} items", keys.len());
    let mut saves = JoinSet::new();
    for key in keys.iter().take(25) {
        let url = server.url(&format!("{}/items/{key}", checklist_path(2026)));
        let future = put_item(
            server.client.clone(),
            url,
            banjar.clone(),
            link_of(key, "a"),
            None,
        );
        saves.spawn(future);
    }
    while let Some(response) = saves.join_next().await {
        assert_eq!(response.expect("task").status(), 200);
    }
    let view = show(&server, &banjar, 2026).await;
    let items = view["checklist"]["items"].as_object().expect("items");
    let lost: Vec<&String> = keys
        .iter()
        .take(25)
        .filter(|key| items.get(key.as_str()).is_none())
        .collect();
    assert!(lost.is_empty(), "answered 200 but not stored: {lost:?}");
    assert_eq!(view["version"], 25, "every save is one version");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_saves_of_one_item_at_one_version_let_exactly_one_through() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let read = show(&server, &banjar, 2026).await;
    let version = read["version"].as_u64().unwrap_or(0);
    let url = server.url(&format!("{}/items/a1.1", checklist_path(2026)));
    let mut saves = JoinSet::new();
    for n in 0..10 {
        let link = link_of("a1.1", &n.to_string());
        let future = put_item(
            server.client.clone(),
            url.clone(),
            banjar.clone(),
            link.clone(),
            Some(version),
        );
        saves.spawn(async move { (link, future.await) });
    }
    let (mut winners, mut stale) = (Vec::new(), 0);
    while let Some(joined) = saves.join_next().await {
        let (link, response) = joined.expect("task");
        match response.status().as_u16() {
            200 => winners.push(link),
            409 => {
                let body: ErrorBody = response.json().await.expect("error shape");
                assert_eq!(body.error, "conflict");
                assert_eq!(body.fields[0].field, "expected_version");
                assert_eq!(body.fields[0].code, "stale");
                assert!(body.message.contains("a1.1"), "names the item: {body:?}");
                assert!(body.message_en.contains("a1.1"), "names the item: {body:?}");
                stale += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one save wins, {stale} refused");
    let view = show(&server, &banjar, 2026).await;
    assert_eq!(view["checklist"]["items"]["a1.1"]["links"][0], winners[0]);
}

#[tokio::test]
async fn a_stale_version_is_refused_per_item_and_for_the_whole_checklist() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let item_url = |key: &str| server.url(&format!("{}/items/{key}", checklist_path(2026)));
    let put = |key: &str, tag: &str, expected: Option<u64>| {
        put_item(
            server.client.clone(),
            item_url(key),
            banjar.clone(),
            link_of(key, tag),
            expected,
        )
    };
    assert_eq!(show(&server, &banjar, 2026).await["version"], 0);
    let first: Value = put("a1.1", "a", Some(0)).await.json().await.expect("json");
    assert_eq!(first["version"], 1);
    // Another item saved against the version read before: it did not change, so it passes.
    let other = put("a1.2", "a", Some(0)).await;
    assert_eq!(other.status(), 200);
    // The same item against the old version: someone changed it since.
    assert_eq!(put("a1.1", "b", Some(0)).await.status(), 409);
    // A version from the future is stale too.
    assert_eq!(put("a1.3", "a", Some(99)).await.status(), 409);
    // Old clients without a version still save.
    assert_eq!(put("a1.1", "c", None).await.status(), 200);

    let transition = |expected: u64| {
        server
            .post(
                &banjar,
                &format!("{}/transition", checklist_path(2026)),
                &json!({"action": "submit"}),
            )
            .query(&[("expected_version", expected)])
            .send()
    };
    let stale = transition(1).await.expect("submit");
    assert_eq!(stale.status(), 409);
    let body: ErrorBody = stale.json().await.expect("error shape");
    assert!(body.message.contains("63.03/2026"), "{body:?}");
    assert_eq!(body.fields[0].field, "expected_version");
    let current = show(&server, &banjar, 2026).await["version"]
        .as_u64()
        .expect("version");
    assert_eq!(current, 3);
    // At the current version the workflow decides (nothing is evidenced yet: 422).
    assert_eq!(transition(current).await.expect("submit").status(), 422);
    let bad = server
        .client
        .put(item_url("a1.1"))
        .bearer_auth(&banjar)
        .query(&[("expected_version", "abc")])
        .json(&json!({"done": true}))
        .send()
        .await
        .expect("put");
    assert_eq!(bad.status(), 422);
    let body: ErrorBody = bad.json().await.expect("error shape");
    assert_eq!(body.fields[0].field, "expected_version");
}

/// Fills every required item of `year` (one by one), so the checklist can be submitted.
async fn fill_required(server: &TestServer, token: &str, year: i32, required: &[String]) {
    for key in required {
        let url = server.url(&format!("{}/items/{key}", checklist_path(year)));
        let response = put_item(
            server.client.clone(),
            url,
            token.to_owned(),
            link_of(key, "ready"),
            None,
        )
        .await;
        assert_eq!(response.status(), 200, "{key}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_submit_racing_item_saves_never_vanishes() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    // Several rounds (one year each): the race was lost most of the time, not always.
    for year in 2030..2035 {
        let (keys, required) = item_keys(&server, &banjar, year).await;
        fill_required(&server, &banjar, year, &required).await;
        let mut tasks = JoinSet::new();
        for (n, key) in keys.iter().enumerate() {
            let url = server.url(&format!("{}/items/{key}", checklist_path(year)));
            let link = link_of(key, "race");
            let future = put_item(server.client.clone(), url, banjar.clone(), link, None);
            let key = key.clone();
            tasks.spawn(async move { (Some(key), future.await.status().as_u16()) });
            if n == keys.len() / 2 {
                let submit = server
                    .post(
                        &banjar,
                        &format!("{}/transition", checklist_path(year)),
                        &json!({"action": "submit"}),
                    )
                    .send();
                tasks.spawn(async move { (None, submit.await.expect("submit").status().as_u16()) });
            }
        }
        let (mut submitted, mut saved) = (false, Vec::new());
        while let Some(joined) = tasks.join_next().await {
            match joined.expect("task") {
                (None, status) => {
                    assert_eq!(status, 200, "{year}: submit of a ready checklist");
                    submitted = true;
                }
                (Some(key), 200) => saved.push(key),
                (Some(_), status) => assert_eq!(status, 409, "{year}: refused after submit"),
            }
        }
        assert!(submitted);
        let view = show(&server, &banjar, year).await;
        let checklist = &view["checklist"];
        assert_eq!(checklist["status"], "submitted", "{year}: submit vanished");
        let history = checklist["history"].as_array().expect("history");
        assert_eq!(history.len(), 1, "{year}: {history:?}");
        assert_eq!(history[0]["to"], "submitted");
        for key in &saved {
            assert_eq!(
                checklist["items"][key]["links"][0],
                link_of(key, "race"),
                "{year}: save of {key} answered 200 but is not stored"
            );
        }
    }
}

fn delete(seq: u64, entity: EntityKind, record_id: Uuid, base_version: u64) -> Mutation {
    Mutation {
        seq,
        entity,
        record_id,
        base_version,
        op: Operation::Delete,
        body: Value::Null,
        client_time_ms: None,
    }
}

#[tokio::test]
async fn a_household_with_a_live_member_is_not_deleted() {
    let server = TestServer::start_demo().await.expect("server");
    let cadre = server.login("kader.sipai", "kader123").await;
    let (device, house, kid) = (id(), id(), id());
    let created = server
        .push(
            &cadre,
            &batch(
                device,
                vec![
                    upsert(1, EntityKind::Household, house, 0, household(SIPAI, "Budi")),
                    upsert(2, EntityKind::Child, kid, 0, child(house, "Ani")),
                ],
            ),
        )
        .await;
    assert!(
        created
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Applied)
    );
    let audits_before = count(&server, "SELECT count(*) FROM audit");

    let refused = server
        .push(
            &cadre,
            &batch(device, vec![delete(3, EntityKind::Household, house, 1)]),
        )
        .await;
    let result = &refused.results[0];
    assert_eq!(result.status, MutationStatus::Rejected);
    assert_eq!(result.errors[0].field, "record_id");
    assert_eq!(result.errors[0].code, "has_members");
    assert!(result.errors[0].message_id.contains("anggota"));
    // Nothing changed: the household is live at version 1, no write was audited.
    let page = server.pull(&cadre, None).await;
    let stored = page
        .changes
        .iter()
        .find(|c| c.record_id == house)
        .expect("household");
    assert!(!stored.deleted);
    assert_eq!(stored.version, 1);
    assert_eq!(count(&server, "SELECT count(*) FROM audit"), audits_before);

    // Members first, then the household, in one batch and in that order: both applied.
    let ordered = server
        .push(
            &cadre,
            &batch(
                device,
                vec![
                    delete(4, EntityKind::Child, kid, 1),
                    delete(5, EntityKind::Household, house, 1),
                ],
            ),
        )
        .await;
    let statuses: Vec<_> = ordered.results.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [MutationStatus::Applied, MutationStatus::Applied],
        "{ordered:?}"
    );
}

#[tokio::test]
async fn repeat_stale_edits_from_one_device_merge_into_one_conflict() {
    let server = TestServer::start_demo().await.expect("server");
    let cadre = server.login("kader.sipai", "kader123").await;
    let (phone_a, phone_b, house) = (id(), id(), id());
    let edits = vec![
        upsert(1, EntityKind::Household, house, 0, household(SIPAI, "Budi")),
        upsert(
            2,
            EntityKind::Household,
            house,
            1,
            household(SIPAI, "Budi S."),
        ),
    ];
    server.push(&cadre, &batch(phone_a, edits)).await;
    // Phone B still holds version 1 and pushes 1,000 edits of the record based on it.
    let stale: Vec<Mutation> = (1..=1000)
        .map(|seq| {
            let body = household(SIPAI, &format!("Budi B{seq}"));
            upsert(seq, EntityKind::Household, house, 1, body)
        })
        .collect();
    let answer = server.push(&cadre, &batch(phone_b, stale)).await;
    assert!(
        answer
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Conflict)
    );
    let open = count(
        &server,
        "SELECT count(*) FROM conflict WHERE resolved_at IS NULL",
    );
    assert_eq!(open, 1, "one open conflict per device and record");

    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let list: Vec<Value> = server
        .get(&banjar, "/api/v1/supervision/conflicts")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list.len(), 1);
    let conflict = &list[0];
    assert_eq!(conflict["count"], 1000);
    assert_eq!(
        conflict["incoming_body"]["head_name"], "Budi B1000",
        "newest kept"
    );
    assert_eq!(conflict["server_body"]["head_name"], "Budi S.");

    // Lookup by id keeps the scope: another regency's supervisor sees nothing there.
    let path = format!(
        "/api/v1/supervision/conflicts/{}/resolve",
        conflict["id"].as_i64().expect("id")
    );
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let keep = json!({"resolution": "keep_server", "reason": "dicek"});
    let outside = server
        .post(&tapin, &path, &keep)
        .send()
        .await
        .expect("resolve");
    assert_eq!(outside.status(), 404);
    let take = json!({"resolution": "take_incoming", "reason": "dicek di lapangan"});
    let done = server
        .post(&banjar, &path, &take)
        .send()
        .await
        .expect("resolve");
    assert_eq!(done.status(), 200);
    let view: Value = done.json().await.expect("json");
    assert_eq!(view["count"], 1000);
    let page = server.pull(&cadre, None).await;
    let record = page
        .changes
        .iter()
        .find(|c| c.record_id == house)
        .expect("record");
    assert_eq!(record.body["head_name"], "Budi B1000");

    // Once resolved, a new stale edit opens a new conflict of its own.
    let again = vec![upsert(
        1001,
        EntityKind::Household,
        house,
        1,
        household(SIPAI, "X"),
    )];
    server.push(&cadre, &batch(phone_b, again)).await;
    let open = count(
        &server,
        "SELECT count(*) FROM conflict WHERE resolved_at IS NULL AND repeats = 1",
    );
    assert_eq!(open, 1);
}

#[tokio::test]
async fn oversized_device_reports_are_refused_or_capped() {
    let server = TestServer::start_demo().await.expect("server");
    let cadre = server.login("kader.sipai", "kader123").await;
    let device = id();
    let huge = "9".repeat(3 * 1024 * 1024);
    let beat = Heartbeat {
        outbox_size: 1,
        app_version: Some(huge.clone()),
        ..Heartbeat::default()
    };
    let alone = server
        .post(
            &cadre,
            "/api/v1/sync/heartbeat",
            &json!({"device_id": device, "heartbeat": beat}),
        )
        .send()
        .await
        .expect("heartbeat");
    assert_eq!(alone.status(), 422);
    let body: ErrorBody = alone.json().await.expect("error shape");
    assert_eq!(body.fields[0].field, "heartbeat.app_version");
    assert_eq!(body.fields[0].code, "too_long");

    // Inside a push the same report must not block the phone's outbox: it is cut short.
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
    request.heartbeat = Some(beat);
    let pushed = server.push(&cadre, &request).await;
    assert_eq!(pushed.results[0].status, MutationStatus::Applied);

    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let response = server
        .get(&banjar, "/api/v1/supervision/sync-status")
        .send()
        .await
        .expect("status");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("body");
    assert!(
        text.len() < 64 * 1024,
        "sync-status is {} bytes",
        text.len()
    );
    let status: Value = serde_json::from_str(&text).expect("json");
    let row = status["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .find(|d| d["device_id"] == device.to_string())
        .expect("device listed");
    let stored = row["app_version"].as_str().expect("app version");
    assert!(stored.len() <= 64 && huge.starts_with(stored), "{stored}");

    // An ordinary report still goes through on its own.
    let normal =
        json!({"device_id": device, "heartbeat": {"outbox_size": 0, "app_version": "0.1.0"}});
    let ok = server
        .post(&cadre, "/api/v1/sync/heartbeat", &normal)
        .send()
        .await
        .expect("heartbeat");
    assert_eq!(ok.status(), 204);
}
