//! Login, logout, session revocation and the login rate limit.

use konvergen_shared::api::{ErrorBody, Me, Role};
use konvergen_tests::TestServer;
use serde_json::json;

#[tokio::test]
async fn login_returns_a_token_that_identifies_the_user() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let me: Me = server
        .get(&token, "/api/v1/auth/me")
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me.username, "kader.sipai");
    assert_eq!(me.role, Role::Cadre);
    assert_eq!(me.areas.len(), 1);
    assert_eq!(me.areas[0].code, "63.03.05.2009");
    assert_eq!(me.areas[0].name, "Sungai Sipai");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let server = TestServer::start_demo().await.expect("server");
    for (user, password) in [("kader.sipai", "salah"), ("nobody", "kader123")] {
        let response = server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&json!({ "username": user, "password": password }))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), 401);
        let body: ErrorBody = response.json().await.expect("error shape");
        assert_eq!(body.error, "unauthorized");
    }
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let out = server
        .client
        .post(server.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), 204);
    let me = server
        .get(&token, "/api/v1/auth/me")
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn tokens_are_stored_hashed() {
    let server = TestServer::start_demo().await.expect("server");
    let token = server.login("kader.sipai", "kader123").await;
    let conn = rusqlite::Connection::open(&server.database).expect("open db");
    let stored: Vec<u8> = conn
        .query_row("SELECT token_hash FROM session", [], |r| r.get(0))
        .expect("row");
    assert_eq!(stored.len(), 32);
    assert_ne!(stored, token.as_bytes());
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM user WHERE username = 'kader.sipai'",
            [],
            |r| r.get(0),
        )
        .expect("row");
    assert!(hash.starts_with("$argon2id$"));
}

#[tokio::test]
async fn repeated_failures_are_rate_limited() {
    let server = TestServer::start_demo().await.expect("server");
    let attempt = |password: &'static str| {
        server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&json!({ "username": "kader.sipai", "password": password }))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(attempt("salah").await.expect("login").status(), 401);
    }
    // Even the right password is refused while the account is cooling down.
    let blocked = attempt("kader123").await.expect("login");
    assert_eq!(blocked.status(), 429);
    let body: ErrorBody = blocked.json().await.expect("error shape");
    assert_eq!(body.error, "too_many_requests");
}

#[tokio::test]
async fn requests_without_a_token_are_refused() {
    let server = TestServer::start_demo().await.expect("server");
    let response = server
        .client
        .get(server.url("/api/v1/sync/pull"))
        .send()
        .await
        .expect("pull");
    assert_eq!(response.status(), 401);
    let response = server
        .get("not-a-token", "/api/v1/auth/me")
        .send()
        .await
        .expect("me");
    assert_eq!(response.status(), 401);
}
