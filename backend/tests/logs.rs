//! No personal data in the server's logs: the real binary at its most verbose log level
//! registers a household and a pregnant woman, refuses a bad one, a wrong password and an
//! out-of-area edit, and its whole output never holds a name, a NIK, a family card number
//! or a password.

mod common;

use std::path::Path;
use std::process::{Child, Stdio};

use konvergen_shared::api::LoginResponse;
use serde_json::{Value, json};
use uuid::Uuid;

use common::{free_port, server_command, wait_healthy};

const HEAD_NAME: &str = "Rahmawati Nurhaliza Siregar";
const WOMAN_NAME: &str = "Siti Aminah Lubis";
const NIK: &str = "6303054101900001";
const FAMILY_CARD: &str = "6303050101900002";
const PASSWORD: &str = "kader123";
const WRONG_PASSWORD: &str = "tebak-tebakan-rahasia";

fn start(data: &Path, port: u16, log: &Path) -> Child {
    let out = std::fs::File::create(log).expect("log file");
    let err = out.try_clone().expect("log file");
    server_command(data, port)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .expect("start server")
}

async fn login(client: &reqwest::Client, base: &str, password: &str) -> reqwest::Response {
    client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "kader.sipai", "password": password}))
        .send()
        .await
        .expect("login")
}

fn mutation(seq: u64, entity: &str, id: Uuid, body: &Value) -> Value {
    json!({"seq": seq, "entity": entity, "record_id": id, "base_version": 0, "op": "upsert", "body": body})
}

#[tokio::test]
async fn names_nik_and_passwords_never_reach_the_logs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("server.log");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start(dir.path(), port, &log);
    wait_healthy(&client, &base).await;

    assert_eq!(login(&client, &base, WRONG_PASSWORD).await.status(), 401);
    let token = login(&client, &base, PASSWORD)
        .await
        .json::<LoginResponse>()
        .await
        .expect("login body")
        .token;
    let household = Uuid::now_v7();
    let push = json!({
        "device_id": Uuid::now_v7(),
        "mutations": [
            mutation(1, "household", household, &json!({
                "village_code": "63.03.05.2009", "head_name": HEAD_NAME, "family_card_no": FAMILY_CARD})),
            mutation(2, "pregnant_woman", Uuid::now_v7(), &json!({
                "household_id": household, "name": WOMAN_NAME, "nik": NIK, "lmp_date": "2026-09-01"})),
            // Refused: a NIK of the wrong length, and a village outside the cadre's area.
            mutation(3, "pregnant_woman", Uuid::now_v7(), &json!({
                "household_id": household, "name": WOMAN_NAME, "nik": format!("{NIK}9")})),
            mutation(4, "household", Uuid::now_v7(), &json!({
                "village_code": "63.05.01.2003", "head_name": HEAD_NAME})),
        ],
    });
    let answer: Value = client
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(&token)
        .json(&push)
        .send()
        .await
        .expect("push")
        .json()
        .await
        .expect("push body");
    let statuses: Vec<&str> = answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        statuses,
        ["applied", "applied", "rejected", "rejected"],
        "{answer}"
    );
    // A malformed body is logged as refused, not echoed.
    let malformed = client
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!(
            "{{\"device_id\": \"{HEAD_NAME}\", \"nik\": \"{NIK}\""
        ))
        .send()
        .await
        .expect("malformed push");
    assert!(malformed.status().is_client_error());

    server.kill().expect("stop server");
    let _ = server.wait();
    let output = std::fs::read_to_string(&log).expect("log");
    assert!(
        output.contains("/api/v1/sync/push"),
        "the log was written at all:\n{output}"
    );
    for secret in [
        HEAD_NAME,
        WOMAN_NAME,
        NIK,
        FAMILY_CARD,
        PASSWORD,
        WRONG_PASSWORD,
    ] {
        assert!(
            !output.contains(secret),
            "`{secret}` appears in the server log"
        );
    }
}
