//! The authorisation matrix: every role against every endpoint, inside and outside its area.

use konvergen_tests::TestServer;
use serde_json::{Value, json};

const ROLES: [&str; 6] = [
    "anonymous",
    "kader.sipai",
    "supervisor.banjar",
    "supervisor.tapin",
    "provinsi.kalsel",
    "admin",
];

fn password(user: &str) -> &'static str {
    match user.split('.').next() {
        Some("kader") => "kader123",
        Some("supervisor") => "supervisor123",
        Some("provinsi") => "provinsi123",
        _ => "admin123",
    }
}

/// (method, path, body, expected status per role in `ROLES` order).
fn cases() -> Vec<(&'static str, &'static str, Value, [u16; 6])> {
    let push = json!({"device_id": uuid::Uuid::now_v7(), "mutations": []});
    let beat = json!({"device_id": uuid::Uuid::now_v7(), "heartbeat": {"outbox_size": 0}});
    let item = json!({"done": true, "links": ["https://dokumen.example/a.pdf"]});
    let rubric = serde_json::to_value(konvergen_shared::actions::rubric::Rubric::default_for(2026))
        .expect("rubric");
    vec![
        //                                                                      anon cadre banjar tapin prov admin
        (
            "GET",
            "/api/v1/auth/me",
            Value::Null,
            [401, 200, 200, 200, 200, 200],
        ),
        // The regency team (supervisors) syncs its own records too; the device id here is
        // the cadre's (one body for every role), so the team's answer is 409.
        (
            "POST",
            "/api/v1/sync/push",
            push,
            [401, 200, 409, 409, 403, 403],
        ),
        (
            "GET",
            "/api/v1/sync/pull",
            Value::Null,
            [401, 200, 200, 200, 403, 403],
        ),
        (
            "POST",
            "/api/v1/sync/heartbeat",
            beat,
            [401, 204, 409, 409, 403, 403],
        ),
        (
            "GET",
            "/api/v1/district/63.03/agencies",
            Value::Null,
            [401, 403, 200, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/district/63.03/2025/board",
            Value::Null,
            [401, 403, 200, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/supervision/sync-status",
            Value::Null,
            [401, 403, 200, 200, 200, 403],
        ),
        (
            "GET",
            "/api/v1/supervision/conflicts",
            Value::Null,
            [401, 403, 200, 200, 200, 403],
        ),
        (
            "POST",
            "/api/v1/supervision/conflicts/1/resolve",
            json!({"resolution": "keep_server", "reason": "x"}),
            [401, 403, 404, 404, 404, 403],
        ),
        (
            "GET",
            "/api/v1/aggregates?year=2026&quarter=1&area=63.03",
            Value::Null,
            [401, 404, 200, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/aggregates?year=2026&quarter=1&area=63.03.05.2009",
            Value::Null,
            [401, 200, 200, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/aggregates/trend?year=2026&quarter=1&area=63.03",
            Value::Null,
            [401, 404, 200, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/aggregates/households?year=2026&quarter=1&village=63.03.05.2009",
            Value::Null,
            [401, 200, 200, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/aggregates/export.csv?year=2026&quarter=1&area=63.05",
            Value::Null,
            [401, 404, 404, 200, 200, 403],
        ),
        (
            "GET",
            "/api/v1/actions/checklists/63.03/2026",
            Value::Null,
            [401, 403, 200, 404, 200, 403],
        ),
        (
            "PUT",
            "/api/v1/actions/checklists/63.03/2026/items/a1.1",
            item,
            [401, 403, 200, 404, 403, 403],
        ),
        (
            "POST",
            "/api/v1/actions/checklists/63.03/2026/transition",
            json!({"action": "submit"}),
            [401, 403, 422, 404, 403, 403],
        ),
        (
            "POST",
            "/api/v1/actions/checklists/63.03/2026/transition",
            json!({"action": "verify"}),
            [401, 403, 403, 403, 409, 403],
        ),
        (
            "GET",
            "/api/v1/assessment/2026/rubric",
            Value::Null,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            "PUT",
            "/api/v1/assessment/2026/rubric",
            rubric,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            "GET",
            "/api/v1/assessment/2026/panel",
            Value::Null,
            [401, 403, 403, 403, 200, 403],
        ),
        // Only assessors score (tests/api/panel.rs); the province runs the panel.
        (
            "PUT",
            "/api/v1/assessment/2026/districts/63.03/sheet",
            json!({"grades": {}}),
            [401, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/v1/assessment/2026/publish",
            Value::Null,
            [401, 403, 403, 403, 409, 403],
        ),
        // Unpublished, the ranking does not exist for districts.
        (
            "GET",
            "/api/v1/assessment/2026/ranking",
            Value::Null,
            [401, 403, 404, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/assessment/2026/result/63.03",
            Value::Null,
            [401, 403, 200, 404, 200, 403],
        ),
    ]
}

#[tokio::test]
async fn every_role_gets_exactly_its_access() {
    let server = TestServer::start_demo().await.expect("server");
    let mut tokens = Vec::new();
    for role in ROLES {
        tokens.push(if role == "anonymous" {
            None
        } else {
            Some(server.login(role, password(role)).await)
        });
    }
    let mut mismatches = Vec::new();
    for (method, path, body, expected) in cases() {
        for ((role, token), want) in ROLES.iter().zip(&tokens).zip(expected) {
            let url = server.url(path);
            let mut request = match method {
                "GET" => server.client.get(url),
                "PUT" => server.client.put(url).json(&body),
                _ => server.client.post(url).json(&body),
            };
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("request");
            let got = response.status().as_u16();
            if got >= 400 {
                let error: Value = response
                    .json()
                    .await
                    .expect("every error has the JSON shape");
                assert!(
                    error["error"].is_string(),
                    "{method} {path} as {role}: {error}"
                );
            }
            if got != want {
                mismatches.push(format!(
                    "{method} {path} as {role}: expected {want}, got {got}"
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
