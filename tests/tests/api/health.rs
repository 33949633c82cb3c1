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
        konvergen_backend::db::latest_schema_version()
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

#[tokio::test]
async fn built_subresources_carry_only_nosniff_and_documents_the_full_policy() {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><script type=\"module\">import x;</script>",
    )
    .expect("index");
    let wasm = "konvergen-frontend-0123456789abcdef_bg.wasm";
    std::fs::write(site.path().join(wasm), b"\0asm").expect("wasm");
    let dir = site.path().to_path_buf();
    let server = TestServer::start_with(|config| config.static_dir = dir)
        .await
        .expect("server starts");
    let get = |path: String| {
        let request = server.client.get(server.url(&path));
        async move { request.send().await.expect("request") }
    };

    let module = get(format!("/{wasm}")).await;
    assert_eq!(module.status(), 200);
    assert_eq!(module.headers()["x-content-type-options"], "nosniff");
    assert!(module.headers().get("content-security-policy").is_none());
    assert!(module.headers().get("x-frame-options").is_none());

    let page = get("/".to_owned()).await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers()["x-frame-options"], "DENY");

    // A hashed name that does not exist falls back to index.html: a document, fully covered.
    let fallback = get("/gone-fedcba9876543210.js".to_owned()).await;
    assert!(
        fallback.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert!(fallback.headers().get("content-security-policy").is_some());
    assert_eq!(fallback.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn built_files_are_sent_in_the_precompressed_encoding_the_browser_asks_for() {
    let site = tempfile::tempdir().expect("temp dir");
    let wasm = "konvergen-frontend-0123456789abcdef_bg.wasm";
    let copies = [("", "plain"), (".br", "brotli"), (".gz", "gzip")];
    for (suffix, body) in copies {
        std::fs::write(site.path().join(format!("{wasm}{suffix}")), body).expect("write");
    }
    std::fs::write(site.path().join("index.html"), "<!doctype html>").expect("index");
    let dir = site.path().to_path_buf();
    let server = TestServer::start_with(|config| config.static_dir = dir)
        .await
        .expect("server starts");

    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli"),
        ("gzip", Some("gzip"), "gzip"),
        ("br;q=0.5, gzip", Some("gzip"), "gzip"),
        ("identity", None, "plain"),
    ] {
        let response = server
            .client
            .get(server.url(&format!("/{wasm}")))
            .header("accept-encoding", accept)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "{accept}");
        let sent = response
            .headers()
            .get("content-encoding")
            .map(|value| value.to_str().expect("ascii").to_owned());
        assert_eq!(sent.as_deref(), encoding, "{accept}");
        assert_eq!(response.headers()["content-type"], "application/wasm");
        assert!(
            response.headers()["vary"]
                .to_str()
                .expect("ascii")
                .contains("accept-encoding"),
            "{accept}"
        );
        assert_eq!(response.text().await.expect("body"), body, "{accept}");
    }
}
