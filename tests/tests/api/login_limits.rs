//! The sign-in limits under attack (issue #13, findings 1 to 3): parallel guessing, lockout by
//! strangers, password spraying, oversized names. Each test failed on the limiter that checked
//! before verifying and counted after, per account name only.

use konvergen_shared::api::{ErrorBody, LoginRequest};
use konvergen_tests::TestServer;
use reqwest::StatusCode;
use tokio::task::JoinSet;

/// A server with the demo logins that believes `X-Forwarded-For` from 127.0.0.1, so a test
/// can speak from many client addresses.
async fn behind_proxy() -> TestServer {
    TestServer::start_with(|config| {
        config.demo = true;
        config.client_ip_header = Some("X-Forwarded-For".to_owned());
    })
    .await
    .expect("server")
}

async fn sign_in(
    server: &TestServer,
    from: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let body = LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    server
        .client
        .post(server.url("/api/v1/auth/login"))
        .header("x-forwarded-for", from)
        .json(&body)
        .send()
        .await
        .expect("login request")
}

/// Sends every (password) at once for one account from one address; returns the statuses.
async fn burst(server: &TestServer, username: &str, passwords: Vec<String>) -> Vec<StatusCode> {
    let mut attempts = JoinSet::new();
    for password in passwords {
        let (client, url) = (server.client.clone(), server.url("/api/v1/auth/login"));
        let body = LoginRequest {
            username: username.to_owned(),
            password,
        };
        attempts.spawn(async move {
            let response = client.post(url).json(&body).send().await;
            response.expect("login request").status()
        });
    }
    attempts.join_all().await
}

#[tokio::test]
async fn parallel_guesses_get_no_more_verifications_than_the_limit() {
    let server = TestServer::start_demo().await.expect("server");
    let mut passwords: Vec<String> = (0..60).map(|i| format!("tebakan-{i}")).collect();
    passwords.insert(30, "kader123".to_owned());
    let statuses = burst(&server, "kader.sipai", passwords).await;
    let verified = statuses
        .iter()
        .filter(|s| **s != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        verified <= 5,
        "{verified} of 61 were verified: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [
            StatusCode::OK,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
        .contains(s)),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_success_does_not_wipe_earlier_failures() {
    let server = TestServer::start_demo().await.expect("server");
    for _ in 0..4 {
        let wrong = sign_in(&server, "", "kader.sipai", "salah").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let right = sign_in(&server, "", "kader.sipai", "kader123").await;
    assert_eq!(right.status(), StatusCode::OK);
    let fifth = sign_in(&server, "", "kader.sipai", "salah").await;
    assert_eq!(fifth.status(), StatusCode::UNAUTHORIZED);
    let refused = sign_in(&server, "", "kader.sipai", "kader123").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_stranger_cannot_lock_an_account_out() {
    let server = behind_proxy().await;
    for _ in 0..5 {
        let guess = sign_in(&server, "203.0.113.9", "supervisor.tapin", "salah").await;
        assert_eq!(guess.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = sign_in(&server, "203.0.113.9", "supervisor.tapin", "supervisor123").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    let body: ErrorBody = limited.json().await.expect("error shape");
    assert_eq!(body.error, "too_many_requests");

    let owner = sign_in(&server, "198.51.100.2", "supervisor.tapin", "supervisor123").await;
    assert_eq!(
        owner.status(),
        StatusCode::OK,
        "the owner's address is not locked"
    );
}

#[tokio::test]
async fn one_address_cannot_spray_a_password_over_every_account() {
    let server = behind_proxy().await;
    for index in 0..30 {
        let guess = sign_in(
            &server,
            "203.0.113.50",
            &format!("akun.{index}"),
            "kader123",
        )
        .await;
        assert_eq!(guess.status(), StatusCode::UNAUTHORIZED);
    }
    let next = sign_in(&server, "203.0.113.50", "kader.tapin", "kader123").await;
    assert_eq!(next.status(), StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = sign_in(&server, "192.0.2.1", "kader.tapin", "kader123").await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_client_cannot_pick_its_address_without_a_trusted_proxy() {
    // No header configured: X-Forwarded-For is ignored and every guess counts for 127.0.0.1.
    let server = TestServer::start_demo().await.expect("server");
    for index in 0..5 {
        let from = format!("198.51.100.{index}");
        let guess = sign_in(&server, &from, "kader.tapin", "salah").await;
        assert_eq!(guess.status(), StatusCode::UNAUTHORIZED);
    }
    let next = sign_in(&server, "198.51.100.99", "kader.tapin", "kader123").await;
    assert_eq!(next.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn oversized_names_and_passwords_are_refused_before_any_work() {
    let server = TestServer::start_demo().await.expect("server");
    let long_name = sign_in(&server, "", &"a".repeat(65), "kader123").await;
    assert_eq!(long_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ErrorBody = long_name.json().await.expect("error shape");
    assert_eq!(body.fields[0].field, "username");
    assert_eq!(body.fields[0].code, "too_long");

    let long_password = sign_in(&server, "", "kader.sipai", &"x".repeat(257)).await;
    assert_eq!(long_password.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let huge = sign_in(&server, "", &"a".repeat(1024 * 1024), "kader123").await;
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: ErrorBody = huge.json().await.expect("error shape");
    assert_eq!(body.error, "payload_too_large");

    // None of them counted against the account.
    let right = sign_in(&server, "", "kader.sipai", "kader123").await;
    assert_eq!(right.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_ins_beyond_the_verification_queue_are_told_to_come_back() {
    let server = behind_proxy().await;
    let mut attempts = JoinSet::new();
    for index in 0..150_u32 {
        let (client, url) = (server.client.clone(), server.url("/api/v1/auth/login"));
        let from = format!("10.{}.{}.1", index / 200, index % 200);
        attempts.spawn(async move {
            let body = LoginRequest {
                username: format!("bukan.akun.{index}"),
                password: "tebakan-salah".to_owned(),
            };
            let response = client.post(url).header("x-forwarded-for", from).json(&body);
            let response = response.send().await.expect("login request");
            let retry = response.headers().contains_key("retry-after");
            (response.status(), retry)
        });
    }
    let answers = attempts.join_all().await;
    let busy = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(
        busy > 0,
        "150 at once should overflow the queue: {answers:?}"
    );
    for (status, retry) in &answers {
        match *status {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => assert!(retry, "503 without Retry-After"),
            other => panic!("unexpected {other}"),
        }
    }
}
