//! The 8-action workflow through the API: the district submits, the province returns with a
//! reason, the district resubmits, the province verifies (the panel's scoring: panel.rs).

use konvergen_tests::TestServer;
use serde_json::{Value, json};

const CHECKLIST: &str = "/api/v1/actions/checklists/63.03/2026";

async fn fill_required(server: &TestServer, token: &str) {
    let catalogue: Value = server
        .get(token, "/api/v1/actions/catalogue/2026")
        .send()
        .await
        .expect("catalogue")
        .json()
        .await
        .expect("json");
    assert_eq!(catalogue["actions"].as_array().map(Vec::len), Some(8));
    for action in catalogue["actions"].as_array().expect("actions") {
        for item in action["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .filter(|i| i["required"] == true)
        {
            let key = item["key"].as_str().expect("key");
            let body = json!({"done": true, "links": [format!("https://dokumen.example/{key}.pdf")], "done_on": "2026-05-02"});
            let response = server
                .client
                .put(server.url(&format!("{CHECKLIST}/items/{key}")))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("put");
            assert_eq!(response.status(), 200, "{key}");
        }
    }
}

async fn step(server: &TestServer, token: &str, body: Value) -> reqwest::Response {
    server
        .post(token, &format!("{CHECKLIST}/transition"), &body)
        .send()
        .await
        .expect("transition")
}

#[tokio::test]
async fn submit_return_resubmit_verify() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;

    // Submitting an empty checklist lists what is missing.
    let early = step(&server, &banjar, json!({"action": "submit"})).await;
    assert_eq!(early.status(), 422);
    let body: Value = early.json().await.expect("json");
    assert!(body["fields"].as_array().is_some_and(|f| f.len() > 10));

    fill_required(&server, &banjar).await;
    assert_eq!(
        step(&server, &banjar, json!({"action": "submit"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        step(&server, &banjar, json!({"action": "verify"}))
            .await
            .status(),
        403,
        "districts cannot verify"
    );
    let returned = step(
        &server,
        &province,
        json!({"action": "return", "reason": "Notulen rembuk belum ditandatangani"}),
    )
    .await;
    assert_eq!(returned.status(), 200);

    let view: Value = server
        .get(&banjar, CHECKLIST)
        .send()
        .await
        .expect("show")
        .json()
        .await
        .expect("json");
    assert_eq!(view["checklist"]["status"], "returned");
    let history = view["checklist"]["history"].as_array().expect("history");
    assert_eq!(
        history.last().expect("entry")["reason"],
        "Notulen rembuk belum ditandatangani"
    );

    assert_eq!(
        step(&server, &banjar, json!({"action": "submit"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        step(&server, &province, json!({"action": "verify"}))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn other_regencies_and_roles_are_kept_out() {
    let server = TestServer::start_demo().await.expect("server");
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    assert_eq!(
        server
            .get(&tapin, CHECKLIST)
            .send()
            .await
            .expect("show")
            .status(),
        404
    );
    let cadre = server.login("kader.sipai", "kader123").await;
    assert_eq!(
        server
            .get(&cadre, CHECKLIST)
            .send()
            .await
            .expect("show")
            .status(),
        403
    );
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    assert_eq!(
        step(&server, &province, json!({"action": "submit"}))
            .await
            .status(),
        403
    );
    let not_a_regency = server
        .get(&province, "/api/v1/actions/checklists/63.03.05/2026")
        .send()
        .await
        .expect("show");
    assert_eq!(not_a_regency.status(), 404);
}
