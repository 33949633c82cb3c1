//! Records and batches for the sync tests.

use konvergen_shared::sync::{EntityKind, Mutation, Operation, PushRequest};
use konvergen_tests::TestServer;
use serde_json::{Value, json};
use uuid::Uuid;

/// Sungai Sipai, the village of the demo cadre `kader.sipai`.
pub const SIPAI: &str = "63.03.05.2009";
/// Bincau, a village of `kader.bincau` (same regency, other cadre).
pub const BINCAU: &str = "63.03.05.2012";

/// A household body in `village`.
pub fn household(village: &str, head: &str) -> Value {
    json!({
        "village_code": village,
        "dusun": "Dusun 1",
        "rt": "001",
        "rw": "002",
        "address": "Jl. Sungai Sipai",
        "head_name": head,
        "safe_water": true,
        "proper_latrine": false,
    })
}

/// A child body in `household`.
pub fn child(household: Uuid, name: &str) -> Value {
    json!({
        "household_id": household,
        "name": name,
        "sex": "F",
        "birth_date": "2026-03-01",
        "birth_certificate": false,
        "health_insurance": true,
    })
}

/// An upsert mutation.
pub fn upsert(
    seq: u64,
    entity: EntityKind,
    record_id: Uuid,
    base_version: u64,
    body: Value,
) -> Mutation {
    Mutation {
        seq,
        entity,
        record_id,
        base_version,
        op: Operation::Upsert,
        body,
        client_time_ms: None,
    }
}

/// A push of `mutations` from `device`.
pub fn batch(device: Uuid, mutations: Vec<Mutation>) -> PushRequest {
    PushRequest {
        device_id: device,
        mutations,
        heartbeat: None,
    }
}

/// A new random id.
pub fn id() -> Uuid {
    Uuid::now_v7()
}

/// A single number from the test server's database (`SELECT count(*) ...`), read directly.
pub fn count(server: &konvergen_tests::TestServer, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(&server.database).expect("open db");
    conn.query_row(sql, [], |row| row.get(0)).expect("count")
}

/// Marks every required item of a regency's checklist done with a link, then submits it.
pub async fn submit_checklist(server: &TestServer, token: &str, regency: &str, year: i32) {
    let catalogue = konvergen_shared::actions::Catalogue::default_for(year);
    let base = format!("/api/v1/actions/checklists/{regency}/{year}");
    for item in catalogue
        .actions
        .iter()
        .flat_map(|a| &a.evidence)
        .filter(|i| i.required)
    {
        let response = server
            .client
            .put(server.url(&format!("{base}/items/{}", item.key)))
            .bearer_auth(token)
            .json(&json!({"done": true, "links": ["https://dokumen.example/bukti.pdf"]}))
            .send()
            .await
            .expect("item");
        assert_eq!(response.status(), 200);
    }
    let submitted = server
        .post(
            token,
            &format!("{base}/transition"),
            &json!({"action": "submit"}),
        )
        .send()
        .await
        .expect("submit");
    assert_eq!(
        submitted.status(),
        200,
        "{}",
        submitted.text().await.unwrap_or_default()
    );
}
