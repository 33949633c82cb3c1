//! Bad input gets a 4xx with the one error shape and a message naming the field; never a 5xx.

use konvergen_shared::api::ErrorBody;
use konvergen_tests::TestServer;
use serde_json::json;

async fn expect_error(response: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(response.status(), status);
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("not the error shape ({err}): {text}"))
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let response = server
        .client
        .post(server.url("/api/v1/sync/push"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"device_id\": ")
        .send()
        .await
        .expect("push");
    let body = expect_error(response, 400).await;
    assert_eq!(body.error, "bad_request");
}

#[tokio::test]
async fn wrong_types_and_unknown_fields_name_the_field() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let wrong_type = json!({"device_id": 42, "mutations": []});
    let body = expect_error(
        server
            .post(&token, "/api/v1/sync/push", &wrong_type)
            .send()
            .await
            .expect("push"),
        422,
    )
    .await;
    assert_eq!(body.fields[0].field, "device_id", "{body:?}");
    let unknown = json!({"device_id": uuid::Uuid::now_v7(), "mutations": [], "surprise": 1});
    let body = expect_error(
        server
            .post(&token, "/api/v1/sync/push", &unknown)
            .send()
            .await
            .expect("push"),
        422,
    )
    .await;
    assert_eq!(body.fields[0].field, "surprise", "{body:?}");
    let login = json!({"username": "x", "password": "y", "remember": true});
    let body = expect_error(
        server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&login)
            .send()
            .await
            .expect("login"),
        422,
    )
    .await;
    assert_eq!(body.fields[0].field, "remember", "{body:?}");
}

#[tokio::test]
async fn a_missing_content_type_is_refused_in_the_shape() {
    let server = TestServer::start_demo().await.expect("server");
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .body("{}")
        .send()
        .await
        .expect("login");
    let body = expect_error(response, 415).await;
    assert_eq!(body.error, "unsupported_media_type");
}

#[tokio::test]
async fn oversized_bodies_are_a_413() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.body_limit = 64 * 1024;
    })
    .await
    .expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let huge = json!({"device_id": uuid::Uuid::now_v7(), "mutations": [], "padding": "x".repeat(100 * 1024)});
    let body = expect_error(
        server
            .post(&token, "/api/v1/sync/push", &huge)
            .send()
            .await
            .expect("push"),
        413,
    )
    .await;
    assert_eq!(body.error, "payload_too_large");
}

#[tokio::test]
async fn invalid_region_codes_are_named() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let request = json!({
        "device_id": uuid::Uuid::now_v7(),
        "mutations": [{"seq": 1, "entity": "household", "record_id": uuid::Uuid::now_v7(), "base_version": 0,
                       "body": {"village_code": "63.03", "head_name": "A"}}],
    });
    let response = server
        .post(&token, "/api/v1/sync/push", &request)
        .send()
        .await
        .expect("push");
    assert_eq!(
        response.status(),
        200,
        "a bad record is rejected inside an acknowledged push"
    );
    let body: konvergen_shared::sync::PushResponse = response.json().await.expect("json");
    assert_eq!(body.results[0].errors[0].field, "body.village_code");
    assert_eq!(body.results[0].errors[0].code, "unknown_village");
}

#[tokio::test]
async fn unknown_entity_kinds_and_bad_sequences_are_refused() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let unknown_kind = json!({
        "device_id": uuid::Uuid::now_v7(),
        "mutations": [{"seq": 1, "entity": "spaceship", "record_id": uuid::Uuid::now_v7(), "base_version": 0, "body": {}}],
    });
    let body = expect_error(
        server
            .post(&token, "/api/v1/sync/push", &unknown_kind)
            .send()
            .await
            .expect("push"),
        422,
    )
    .await;
    assert_eq!(body.fields[0].field, "mutations[0].entity", "{body:?}");
    assert!(body.fields[0].message_en.contains("spaceship"), "{body:?}");
    let unordered = json!({
        "device_id": uuid::Uuid::now_v7(),
        "mutations": [
            {"seq": 2, "entity": "household", "record_id": uuid::Uuid::now_v7(), "base_version": 0, "body": {}},
            {"seq": 1, "entity": "household", "record_id": uuid::Uuid::now_v7(), "base_version": 0, "body": {}},
        ],
    });
    let body = expect_error(
        server
            .post(&token, "/api/v1/sync/push", &unordered)
            .send()
            .await
            .expect("push"),
        422,
    )
    .await;
    assert_eq!(body.fields[0].field, "mutations[].seq");
    let huge_seq = json!({
        "device_id": uuid::Uuid::now_v7(),
        "mutations": [{"seq": u64::MAX, "entity": "household", "record_id": uuid::Uuid::now_v7(), "base_version": 0, "body": {}}],
    });
    let body = expect_error(
        server
            .post(&token, "/api/v1/sync/push", &huge_seq)
            .send()
            .await
            .expect("push"),
        422,
    )
    .await;
    assert_eq!(body.fields[0].field, "mutations[].seq");
}

#[tokio::test]
async fn bad_query_parameters_are_a_400() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let response = server
        .get(&token, "/api/v1/sync/pull?limit=lots")
        .send()
        .await
        .expect("pull");
    let body = expect_error(response, 400).await;
    assert!(body.message_en.contains("limit"), "{}", body.message_en);
}

#[tokio::test]
async fn record_bodies_are_validated_with_the_shared_rules() {
    use konvergen_shared::monitoring::{YearMonth, monthly_record_id};
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let (house, child) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let month = YearMonth::new(2026, 1).expect("month");
    let request = json!({
        "device_id": uuid::Uuid::now_v7(),
        "mutations": [
            {"seq": 1, "entity": "household", "record_id": house, "base_version": 0,
             "body": {"village_code": "63.03.05.2009", "head_name": "", "family_card_no": "12"}},
            {"seq": 2, "entity": "household", "record_id": house, "base_version": 0,
             "body": {"village_code": "63.03.05.2009", "head_name": "Budi"}},
            {"seq": 3, "entity": "child", "record_id": child, "base_version": 0,
             "body": {"household_id": house, "name": "Ani", "sex": "F", "birth_date": "2999-01-01"}},
            {"seq": 4, "entity": "child", "record_id": child, "base_version": 0,
             "body": {"household_id": house, "name": "Ani", "sex": "F", "birth_date": "2025-06-01"}},
            {"seq": 5, "entity": "form2b", "record_id": uuid::Uuid::now_v7(), "base_version": 0,
             "body": {"person_id": child, "month": "2026-01", "weighed": "Y"}},
            {"seq": 6, "entity": "form2b", "record_id": monthly_record_id(child.into(), month), "base_version": 0,
             "body": {"person_id": child, "month": "2026-01", "weighed": "Y"}},
            {"seq": 7, "entity": "form2b", "record_id": monthly_record_id(child.into(), month), "base_version": 1,
             "body": {"person_id": child, "month": "2026-01", "weighed": "maybe"}},
        ],
    });
    let response: konvergen_shared::sync::PushResponse = server
        .post(&token, "/api/v1/sync/push", &request)
        .send()
        .await
        .expect("push")
        .json()
        .await
        .expect("json");
    let statuses: Vec<_> = response
        .results
        .iter()
        .map(|r| format!("{:?}", r.status))
        .collect();
    assert_eq!(
        statuses,
        [
            "Rejected", "Applied", "Rejected", "Applied", "Rejected", "Applied", "Rejected"
        ]
    );
    let fields = |i: usize| {
        response.results[i]
            .errors
            .iter()
            .map(|e| e.field.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(fields(0), ["body.head_name", "body.family_card_no"]);
    assert_eq!(response.results[0].errors[0].message_id, "Wajib diisi");
    assert_eq!(fields(2), ["body.birth_date"]);
    assert_eq!(fields(4), ["body.record_id"]);
    assert_eq!(fields(6), ["body.weighed"]);
}

/// Found by schemathesis: an extreme device clock made the offset computation overflow (500).
#[tokio::test]
async fn extreme_device_clocks_do_not_break_heartbeats() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    for clock in [i64::MIN, i64::MAX] {
        let body = json!({"device_id": uuid::Uuid::now_v7(), "heartbeat": {"outbox_size": 0, "device_time_ms": clock}});
        let response = server
            .post(&token, "/api/v1/sync/heartbeat", &body)
            .send()
            .await
            .expect("heartbeat");
        assert_eq!(response.status(), 204, "clock {clock}");
    }
}

#[tokio::test]
async fn a_new_child_must_be_under_two_years() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let house = uuid::Uuid::now_v7();
    let request = json!({
        "device_id": uuid::Uuid::now_v7(),
        "mutations": [
            {"seq": 1, "entity": "household", "record_id": house, "base_version": 0,
             "body": {"village_code": "63.03.05.2009", "head_name": "Budi"}},
            {"seq": 2, "entity": "child", "record_id": uuid::Uuid::now_v7(), "base_version": 0,
             "body": {"household_id": house, "name": "Besar", "sex": "M", "birth_date": "2022-01-01"}},
        ],
    });
    let response: konvergen_shared::sync::PushResponse = server
        .post(&token, "/api/v1/sync/push", &request)
        .send()
        .await
        .expect("push")
        .json()
        .await
        .expect("json");
    assert_eq!(format!("{:?}", response.results[1].status), "Rejected");
    assert_eq!(response.results[1].errors[0].field, "body.birth_date");
}
