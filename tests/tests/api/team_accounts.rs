//! The coordinator manages the team's accounts from the desk (issue #15): adds agency
//! accounts, disables and enables them, gives them new passwords; nobody else may, and only
//! agency accounts of the coordinator's own regency can be changed.

use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::district::{AccountState, NewTeamAccount, PasswordReset, TeamAccount};
use konvergen_tests::TestServer;

const ACCOUNTS: &str = "/api/v1/district/63.03/accounts";

fn new_account(username: &str, password: &str) -> NewTeamAccount {
    NewTeamAccount {
        username: username.into(),
        display_name: "Rina Gizi".into(),
        agency: "Dinas Kesehatan".into(),
        password: password.into(),
    }
}

async fn add(server: &TestServer, token: &str, account: &NewTeamAccount) -> reqwest::Response {
    server
        .post(token, ACCOUNTS, account)
        .send()
        .await
        .expect("add")
}

async fn sign_in_status(server: &TestServer, username: &str, password: &str) -> u16 {
    let body = serde_json::json!({ "username": username, "password": password });
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&body)
        .send()
        .await
        .expect("login");
    response.status().as_u16()
}

async fn me_status(server: &TestServer, token: &str) -> u16 {
    let response = server
        .get(token, "/api/v1/auth/me")
        .send()
        .await
        .expect("me");
    response.status().as_u16()
}

async fn put<T: serde::Serialize>(
    server: &TestServer,
    token: &str,
    path: &str,
    body: &T,
) -> reqwest::Response {
    server
        .client
        .put(server.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("put")
}

async fn team_of(server: &TestServer, token: &str) -> Vec<TeamAccount> {
    let response = server.get(token, ACCOUNTS).send().await.expect("list");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn the_coordinator_adds_disables_enables_and_resets_an_agency_account() {
    let server = TestServer::start_demo().await.expect("server");
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    let team = team_of(&server, &coordinator).await;
    assert!(
        team.iter()
            .any(|a| a.username == "dinkes.banjar" && a.role == Role::Agency)
    );
    assert!(
        team.iter().all(|a| a.username != "dinkes.tapin"),
        "Tapin's team is not Banjar's"
    );

    let short = add(&server, &coordinator, &new_account("gizi.banjar", "pendek")).await;
    assert_eq!(short.status(), 422);
    let error: ErrorBody = short.json().await.expect("error");
    assert_eq!(error.fields[0].field, "password");
    let unknown = NewTeamAccount {
        agency: "Dinas Pariwisata".into(),
        ..new_account("gizi.banjar", "rahasia-gizi")
    };
    assert_eq!(add(&server, &coordinator, &unknown).await.status(), 422);

    let added = add(
        &server,
        &coordinator,
        &new_account("gizi.banjar", "rahasia-gizi"),
    )
    .await;
    assert_eq!(added.status(), 201);
    let account: TeamAccount = added.json().await.expect("account");
    assert_eq!(
        (account.role, account.agency.as_deref()),
        (Role::Agency, Some("Dinas Kesehatan"))
    );
    assert_eq!(
        add(
            &server,
            &coordinator,
            &new_account("gizi.banjar", "rahasia-lain")
        )
        .await
        .status(),
        409
    );
    let token = server.login("gizi.banjar", "rahasia-gizi").await;

    // Disabled: its session ends at once and it cannot sign in; enabled again, it can.
    let state = format!("{ACCOUNTS}/gizi.banjar/state");
    let disabled = put(
        &server,
        &coordinator,
        &state,
        &AccountState { disabled: true },
    )
    .await;
    assert_eq!(disabled.status(), 200);
    assert!(disabled.json::<TeamAccount>().await.expect("json").disabled);
    assert_eq!(me_status(&server, &token).await, 401);
    assert_eq!(
        sign_in_status(&server, "gizi.banjar", "rahasia-gizi").await,
        401
    );
    let enabled = put(
        &server,
        &coordinator,
        &state,
        &AccountState { disabled: false },
    )
    .await;
    assert_eq!(enabled.status(), 200);
    let token = server.login("gizi.banjar", "rahasia-gizi").await;

    // A new password ends its sessions; the old password no longer works.
    let password = format!("{ACCOUNTS}/gizi.banjar/password");
    let weak = put(
        &server,
        &coordinator,
        &password,
        &PasswordReset {
            password: "1234".into(),
        },
    )
    .await;
    assert_eq!(weak.status(), 422);
    let reset = put(
        &server,
        &coordinator,
        &password,
        &PasswordReset {
            password: "kata-sandi-baru".into(),
        },
    )
    .await;
    assert_eq!(reset.status(), 204);
    assert_eq!(me_status(&server, &token).await, 401);
    assert_eq!(
        sign_in_status(&server, "gizi.banjar", "rahasia-gizi").await,
        401
    );
    server.login("gizi.banjar", "kata-sandi-baru").await;
}

#[tokio::test]
async fn only_the_regency_coordinator_manages_and_only_agency_accounts() {
    let server = TestServer::start_demo().await.expect("server");
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    assert_eq!(
        server
            .get(&dinkes, ACCOUNTS)
            .send()
            .await
            .expect("list")
            .status(),
        403
    );
    assert_eq!(
        server
            .get(&tapin, ACCOUNTS)
            .send()
            .await
            .expect("list")
            .status(),
        404
    );
    let account = new_account("tamu.banjar", "rahasia-tamu");
    assert_eq!(add(&server, &tapin, &account).await.status(), 404);
    // Not an agency account of this regency: not there to be changed.
    for username in ["supervisor.banjar", "dinkes.tapin", "kader.sipai"] {
        let path = format!("{ACCOUNTS}/{username}/state");
        let response = put(
            &server,
            &coordinator,
            &path,
            &AccountState { disabled: true },
        )
        .await;
        assert_eq!(response.status(), 404, "{username}");
    }
    assert_eq!(
        sign_in_status(&server, "dinkes.tapin", "dinkes2026").await,
        200
    );
}

#[tokio::test]
async fn fifty_adds_at_once_make_each_account_once() {
    let server = TestServer::start_demo().await.expect("server");
    let coordinator = server.login("supervisor.banjar", "supervisor123").await;
    // The same account fifty times over: one is made, the others are told it exists.
    let same = new_account("serentak.banjar", "rahasia-serentak");
    let mut adds = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let request = server
            .client
            .post(server.url(ACCOUNTS))
            .bearer_auth(&coordinator)
            .json(&same);
        adds.spawn(async move { request.send().await.expect("add").status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = adds.join_next().await {
        statuses.push(status.expect("task"));
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    let team = team_of(&server, &coordinator).await;
    assert_eq!(
        team.iter()
            .filter(|a| a.username == "serentak.banjar")
            .count(),
        1
    );
}
