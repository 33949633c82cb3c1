//! Tabel 5 (Dana Desa) as a synced record: one per village and year at a derived id, checked
//! by the shared rules, placed in its village and pulled only there.

use konvergen_shared::aggregates::AggregateReport;
use konvergen_shared::api::FieldError;
use konvergen_shared::scorecard::{Allocation, VillageFund, village_fund_id};
use konvergen_shared::sync::{EntityKind, MutationStatus, PushResponse};
use konvergen_tests::TestServer;
use uuid::Uuid;

use crate::fixtures::{BINCAU, SIPAI, batch, id, upsert};

fn this_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

fn fund(village: &str, development: (i64, i64), empowerment: (i64, i64)) -> VillageFund {
    VillageFund {
        village_code: village.to_owned(),
        year: this_year(),
        development: Allocation {
            total_rupiah: development.0,
            stunting_rupiah: development.1,
        },
        empowerment: Allocation {
            total_rupiah: empowerment.0,
            stunting_rupiah: empowerment.1,
        },
    }
}

/// Pushes `fund` from a new device at `record_id` as a first version.
async fn push_at(
    server: &TestServer,
    token: &str,
    record_id: Uuid,
    fund: &VillageFund,
) -> PushResponse {
    let body = serde_json::to_value(fund).expect("body");
    let mutation = upsert(1, EntityKind::VillageFund, record_id, 0, body);
    server.push(token, &batch(id(), vec![mutation])).await
}

/// Pushes `fund` at the id its village and year give.
async fn push(server: &TestServer, token: &str, fund: &VillageFund) -> PushResponse {
    push_at(
        server,
        token,
        village_fund_id(&fund.village_code, fund.year),
        fund,
    )
    .await
}

fn refused(response: &PushResponse) -> Vec<(String, String)> {
    assert_eq!(response.results[0].status, MutationStatus::Rejected);
    let errors: &[FieldError] = &response.results[0].errors;
    errors
        .iter()
        .map(|e| (e.field.clone(), e.code.clone()))
        .collect()
}

#[tokio::test]
async fn a_villages_dana_desa_is_pulled_by_its_devices_and_no_other_village() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let entry = fund(SIPAI, (500_000_000, 75_000_000), (200_000_000, 50_000_000));
    let pushed = push(&server, &sipai, &entry).await;
    assert_eq!(pushed.results[0].status, MutationStatus::Applied);

    // Another phone of the same village (a second sign-in, its own device) pulls it.
    let other_phone = server.login("kader.sipai", "kader123").await;
    let page = server.pull(&other_phone, None).await;
    let pulled: Vec<_> = page
        .changes
        .iter()
        .filter(|c| c.entity == EntityKind::VillageFund)
        .collect();
    assert_eq!(pulled.len(), 1);
    assert_eq!(pulled[0].record_id, village_fund_id(SIPAI, this_year()));
    assert_eq!(pulled[0].village_code, SIPAI);
    let body = pulled[0].body.clone();
    assert_eq!(
        serde_json::from_value::<VillageFund>(body).expect("typed"),
        entry
    );

    // Bincau's cadre never sees it.
    let bincau = server.login("kader.bincau", "kader123").await;
    let page = server.pull(&bincau, None).await;
    assert!(
        page.changes
            .iter()
            .all(|c| c.entity != EntityKind::VillageFund)
    );
}

#[tokio::test]
async fn bad_amounts_are_refused_naming_the_field() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let negative = push(&server, &sipai, &fund(SIPAI, (-1, 0), (0, 0))).await;
    assert_eq!(
        refused(&negative),
        [("body.development.total_rupiah".into(), "negative".into())]
    );
    let above_total = push(&server, &sipai, &fund(SIPAI, (10, 5), (100, 101))).await;
    assert_eq!(
        refused(&above_total),
        [(
            "body.empowerment.stunting_rupiah".into(),
            "exceeds_total".into()
        )]
    );
    let mut far_year = fund(SIPAI, (10, 5), (0, 0));
    far_year.year = 2010;
    assert_eq!(
        refused(&push(&server, &sipai, &far_year).await),
        [("body.year".into(), "out_of_range".into())]
    );
    // Messages come in both languages.
    assert!(!negative.results[0].errors[0].message_id.is_empty());
    assert!(!negative.results[0].errors[0].message_en.is_empty());
}

#[tokio::test]
async fn the_record_lives_at_its_derived_id_in_the_cadres_own_village() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let entry = fund(SIPAI, (10, 5), (0, 0));
    let random_id = push_at(&server, &sipai, id(), &entry).await;
    assert_eq!(
        refused(&random_id),
        [("body.record_id".into(), "record_id_mismatch".into())]
    );
    let other_village = push(&server, &sipai, &fund(BINCAU, (10, 5), (0, 0))).await;
    assert_eq!(
        refused(&other_village),
        [("body.village_code".into(), "out_of_scope".into())]
    );
}

#[tokio::test]
async fn two_phones_entering_the_same_year_meet_as_a_conflict() {
    let server = TestServer::start_demo().await.expect("server");
    let first = server.login("kader.sipai", "kader123").await;
    let second = server.login("kader.sipai", "kader123").await;
    let applied = push(&server, &first, &fund(SIPAI, (100, 10), (0, 0))).await;
    assert_eq!(applied.results[0].status, MutationStatus::Applied);
    let met = push(&server, &second, &fund(SIPAI, (100, 20), (0, 0))).await;
    assert_eq!(met.results[0].status, MutationStatus::Conflict);
    let page = server.pull(&first, None).await;
    let funds = page
        .changes
        .iter()
        .filter(|c| c.entity == EntityKind::VillageFund)
        .count();
    assert_eq!(funds, 1);
}

#[tokio::test]
async fn the_districts_aggregates_pool_the_villages_dana_desa() {
    let server = TestServer::start_demo().await.expect("server");
    let sipai = server.login("kader.sipai", "kader123").await;
    let bincau = server.login("kader.bincau", "kader123").await;
    push(&server, &sipai, &fund(SIPAI, (500, 75), (200, 50))).await;
    push(&server, &bincau, &fund(BINCAU, (300, 0), (0, 0))).await;
    let supervisor = server.login("supervisor.banjar", "supervisor123").await;
    let path = format!(
        "/api/v1/aggregates?year={}&quarter=1&area=63.03.05",
        this_year()
    );
    let response = server
        .get(&supervisor, &path)
        .send()
        .await
        .expect("aggregates");
    assert_eq!(response.status(), 200);
    let report: AggregateReport = response.json().await.expect("report");
    let village = |code: &str| {
        let row = report
            .rows
            .iter()
            .find(|r| r.code == code)
            .expect("village row");
        (row.dana_desa.num, row.dana_desa.den)
    };
    // Every demo village keeps its own figures; the two entered add their rupiah.
    assert_eq!(village(SIPAI), (125, 700));
    assert_eq!(village(BINCAU), (0, 300));
    assert_eq!(
        (report.area.dana_desa.num, report.area.dana_desa.den),
        (125, 1000)
    );
}
