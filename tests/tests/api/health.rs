//! API tests against a real server on 127.0.0.1 with a real SQLite file.

use konvergen_shared::api::{ErrorBody, Health};
use konvergen_tests::TestServer;

#[tokio::test]
async fn health_reports_database_and_schema() {
    let server = TestServer::start().await.expect("server starts");
    let response = server
        .client
        .get(server.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let health: Health = response.json().await.expect("json");
    assert_eq!(health.status, "ok");
    assert!(health.database_ok);
    assert_eq!(health.version, konvergen_shared::APP_VERSION);
    assert_eq!(
        health.schema_version,
        konvergen_backend::db::migrations::latest_version()
    );
}

#[tokio::test]
async fn unknown_api_path_answers_the_error_shape() {
    let server = TestServer::start().await.expect("server starts");
    let response = server
        .client
        .get(server.url("/api/v1/nope"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 404);
    let body: ErrorBody = response.json().await.expect("error shape");
    assert_eq!(body.error, "no_such_endpoint");
    assert!(!body.message.is_empty());
}

#[tokio::test]
async fn wrong_method_answers_the_error_shape() {
    let server = TestServer::start().await.expect("server starts");
    let response = server
        .client
        .post(server.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 405);
    let body: ErrorBody = response.json().await.expect("error shape");
    assert_eq!(body.error, "method_not_allowed");
}

#[tokio::test]
async fn security_headers_are_set() {
    let server = TestServer::start().await.expect("server starts");
    let response = server
        .client
        .get(server.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}
