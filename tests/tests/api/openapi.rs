//! The OpenAPI document is generated from the code and matches the router: every documented
//! operation exists, and every route of the router is documented.

use konvergen_tests::TestServer;
use serde_json::Value;

/// Every (method, path) the router serves under /api/v1. Adding a route without documenting
/// it (or the reverse) fails `documented_operations_equal_the_routes`.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/auth/me"),
    ("post", "/api/v1/sync/push"),
    ("get", "/api/v1/sync/pull"),
    ("post", "/api/v1/sync/heartbeat"),
    ("get", "/api/v1/supervision/sync-status"),
    ("get", "/api/v1/supervision/conflicts"),
    ("post", "/api/v1/supervision/conflicts/{id}/resolve"),
    ("get", "/api/v1/aggregates"),
    ("get", "/api/v1/aggregates/trend"),
    ("get", "/api/v1/aggregates/households"),
    ("get", "/api/v1/aggregates/export.csv"),
    ("get", "/api/v1/aggregates/export.xlsx"),
    ("get", "/api/v1/actions/catalogue/{year}"),
    ("get", "/api/v1/actions/checklists/{regency}/{year}"),
    (
        "put",
        "/api/v1/actions/checklists/{regency}/{year}/items/{key}",
    ),
    (
        "post",
        "/api/v1/actions/checklists/{regency}/{year}/transition",
    ),
    (
        "put",
        "/api/v1/actions/checklists/{regency}/{year}/reviews/{key}",
    ),
    ("get", "/api/v1/assessment/{year}/rubric"),
    ("put", "/api/v1/assessment/{year}/rubric"),
    ("get", "/api/v1/assessment/{year}/panel"),
    ("get", "/api/v1/assessment/{year}/districts/{regency}"),
    ("put", "/api/v1/assessment/{year}/districts/{regency}/sheet"),
    (
        "post",
        "/api/v1/assessment/{year}/districts/{regency}/sheet/submit",
    ),
    ("post", "/api/v1/assessment/{year}/publish"),
    ("get", "/api/v1/assessment/{year}/ranking"),
    ("get", "/api/v1/assessment/{year}/ranking.xlsx"),
    ("get", "/api/v1/assessment/{year}/result/{regency}"),
    ("put", "/api/v1/blobs/{sha256}"),
    ("head", "/api/v1/blobs/{sha256}"),
    ("get", "/api/v1/blobs/{sha256}"),
    ("get", "/api/v1/district/{regency}/agencies"),
    ("get", "/api/v1/district/{regency}/{year}/board"),
    ("get", "/api/v1/district/{regency}/accounts"),
    ("post", "/api/v1/district/{regency}/accounts"),
    (
        "put",
        "/api/v1/district/{regency}/accounts/{username}/state",
    ),
    (
        "put",
        "/api/v1/district/{regency}/accounts/{username}/password",
    ),
    ("get", "/api/v1/district/{regency}/{year}/dossier.xlsx"),
    ("get", "/api/v1/district/{regency}/{year}/evidence.zip"),
    ("get", "/api/v1/province/{year}/overview"),
    ("get", "/api/v1/province/{year}/overview.xlsx"),
];

async fn document(server: &TestServer) -> Value {
    let response = server
        .client
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("openapi");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            found.push((method.clone(), path.clone()));
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn documented_operations_equal_the_routes() {
    let server = TestServer::start().await.expect("server");
    let doc = document(&server).await;
    let mut expected: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(operations(&doc), expected);
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    assert!(doc["components"]["schemas"]["PushRequest"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("supervisor.banjar", "supervisor123").await;
    for (method, path) in ROUTES {
        let path = path
            .replace("{id}", "1")
            .replace("{regency}", "63.03")
            .replace("{year}", "2026")
            .replace("{key}", "a1.1")
            .replace("{sha256}", &"0".repeat(64));
        let url = server.url(&path);
        let request = match *method {
            "get" => server.client.get(url),
            "head" => server.client.head(url),
            "put" => server.client.put(url).json(&serde_json::json!({})),
            _ => server.client.post(url).json(&serde_json::json!({})),
        };
        let response = request.bearer_auth(&token).send().await.expect("request");
        assert_ne!(response.status(), 405, "{method} {path}");
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_ne!(
            body["error"], "no_such_endpoint",
            "{method} {path} answered {status}"
        );
        assert!(status.as_u16() < 500, "{method} {path} answered {status}");
    }
}
