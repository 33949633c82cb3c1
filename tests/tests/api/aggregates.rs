//! Aggregates per area: figures on a small hand-made dataset, scopes, and the CSV/XLSX
//! exports holding the same numbers.

use calamine::{DataType, Reader, Xlsx};
use konvergen_shared::aggregates::{AggregateReport, HouseholdReport, TrendReport};
use konvergen_shared::monitoring::{YearMonth, monthly_record_id};
use konvergen_shared::sync::{EntityKind, MutationStatus};
use konvergen_tests::TestServer;
use serde_json::json;

use crate::fixtures::{BINCAU, SIPAI, batch, household, id, upsert};

/// Q1 2026: in Sungai Sipai two households with one child each (one stunted, one normal,
/// both weighed every month); in Bincau one household with a child who missed February.
pub(crate) async fn seed(server: &TestServer) {
    let sipai = server.login("kader.sipai", "kader123").await;
    let bincau = server.login("kader.bincau", "kader123").await;
    let mut mutations = Vec::new();
    let mut seq = 0;
    let mut next = || {
        seq += 1;
        seq
    };
    for (head, length) in [("A", 66.0), ("B", 74.0)] {
        let (house, child) = (id(), id());
        mutations.push(upsert(
            next(),
            EntityKind::Household,
            house,
            0,
            household(SIPAI, head),
        ));
        mutations.push(upsert(
            next(),
            EntityKind::Child,
            child,
            0,
            json!({"household_id": house, "name": head, "sex": "F", "birth_date": "2025-03-01"}),
        ));
        for m in 1..=3 {
            let month = YearMonth::new(2026, m).expect("month");
            mutations.push(upsert(
                next(),
                EntityKind::Form2b,
                monthly_record_id(child.into(), month),
                0,
                json!({"person_id": child, "month": month, "weighed": "Y", "clean_water": "Y"}),
            ));
        }
        mutations.push(upsert(next(), EntityKind::Measurement, id(), 0,
            json!({"child_id": child, "measured_on": "2026-03-01", "weight_kg": 8.5, "length_cm": length, "position": "lying"})));
    }
    let response = server.push(&sipai, &batch(id(), mutations)).await;
    assert!(
        response
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Applied),
        "{response:?}"
    );

    let (house, child) = (id(), id());
    let mut mutations = vec![
        upsert(1, EntityKind::Household, house, 0, household(BINCAU, "C")),
        upsert(
            2,
            EntityKind::Child,
            child,
            0,
            json!({"household_id": house, "name": "C", "sex": "M", "birth_date": "2025-01-01"}),
        ),
    ];
    for (seq, (m, weighed)) in [(1, "Y"), (2, "T"), (3, "Y")].into_iter().enumerate() {
        let month = YearMonth::new(2026, m).expect("month");
        mutations.push(upsert(
            seq as u64 + 3,
            EntityKind::Form2b,
            monthly_record_id(child.into(), month),
            0,
            json!({"person_id": child, "month": month, "weighed": weighed, "clean_water": "T"}),
        ));
    }
    let response = server.push(&bincau, &batch(id(), mutations)).await;
    assert!(
        response
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Applied),
        "{response:?}"
    );
}

async fn report(server: &TestServer, token: &str, query: &str) -> reqwest::Response {
    server
        .get(
            token,
            &format!("/api/v1/aggregates?year=2026&quarter=1{query}"),
        )
        .send()
        .await
        .expect("aggregates")
}

#[tokio::test]
async fn regency_figures_match_the_hand_computation() {
    let server = TestServer::start_demo().await.expect("server");
    seed(&server).await;
    let token = server.login("supervisor.banjar", "supervisor123").await;
    let response = report(&server, &token, "&area=63.03.05").await;
    assert_eq!(response.status(), 200);
    let body: AggregateReport = response.json().await.expect("json");
    assert_eq!(body.area.code, "63.03.05");
    assert_eq!(body.area.name, "Martapura");
    let codes: Vec<_> = body.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, [SIPAI, BINCAU]);
    let area = &body.area;
    assert_eq!(area.households_1000hpk, 3);
    let weighed = area
        .coverage
        .iter()
        .find(|c| c.indicator.code() == "AN-2")
        .expect("AN-2");
    // Sipai: both children weighed every month (Y, Y); Bincau's child missed February (T).
    assert_eq!((weighed.received, weighed.applicable), (2, 3));
    let water = area
        .coverage
        .iter()
        .find(|c| c.indicator.code() == "AN-6")
        .expect("AN-6");
    assert_eq!((water.received, water.applicable), (2, 3));
    // 66 cm at one year is below -2 SD (stunted); 74 cm is normal. Bincau measured nobody.
    let stunting = area.anthropometry.stunting;
    assert_eq!(
        (stunting.measured, stunting.flagged_excluded, stunting.cases),
        (2, 0, 1)
    );
    assert_eq!(stunting.ratio().percent_1dp().as_deref(), Some("50.0"));
    assert_eq!(body.rows[1].anthropometry.children_measured, 0);
    // Two cadres (three devices pushed) in Martapura; all synced after the quarter ended.
    assert!(area.freshness.devices >= 2);
    assert_eq!(
        area.freshness.synced_since_quarter_end,
        area.freshness.devices
    );
}

#[tokio::test]
async fn areas_outside_the_callers_scope_are_not_found() {
    let server = TestServer::start_demo().await.expect("server");
    seed(&server).await;
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    assert_eq!(report(&server, &tapin, "&area=63.03").await.status(), 404);
    assert_eq!(report(&server, &tapin, "&area=63.05").await.status(), 200);
    let cadre = server.login("kader.sipai", "kader123").await;
    assert_eq!(report(&server, &cadre, "").await.status(), 200);
    assert_eq!(
        report(&server, &cadre, &format!("&area={BINCAU}"))
            .await
            .status(),
        404
    );
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let body: AggregateReport = report(&server, &province, "")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body.area.code, "63");
    assert!(body.rows.iter().any(|r| r.code == "63.03"));
    let admin = server.login("admin", "admin123").await;
    assert_eq!(report(&server, &admin, "").await.status(), 403);
    let bad_quarter = server
        .get(&province, "/api/v1/aggregates?year=2026&quarter=5")
        .send()
        .await
        .expect("request");
    assert_eq!(bad_quarter.status(), 422);
}

#[tokio::test]
async fn exports_hold_the_same_numbers() {
    let server = TestServer::start_demo().await.expect("server");
    seed(&server).await;
    let token = server.login("supervisor.banjar", "supervisor123").await;
    let csv = server
        .get(
            &token,
            "/api/v1/aggregates/export.csv?year=2026&quarter=1&area=63.03.05",
        )
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Kode wilayah,Wilayah,Jumlah desa,RT 1000 HPK"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("63.03.05,Martapura,2,3,")),
        "{text}"
    );
    assert!(
        lines[3].contains(",50,"),
        "stunting 50 % in the total line: {}",
        lines[3]
    );

    let xlsx = server
        .get(
            &token,
            "/api/v1/aggregates/export.xlsx?year=2026&quarter=1&area=63.03.05",
        )
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    let mut workbook: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).expect("opens as xlsx");
    assert_eq!(workbook.sheet_names(), ["Ringkasan", "Cakupan"]);
    let summary = workbook.worksheet_range("Ringkasan").expect("summary");
    let header: Vec<String> = summary
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let stunting_col = header
        .iter()
        .position(|h| h == "Stunting (%)")
        .expect("stunting column");
    let total = summary
        .rows()
        .find(|r| r[0].get_string() == Some("63.03.05"))
        .expect("total row");
    assert_eq!(total[3].get_float(), Some(3.0), "households as a number");
    assert_eq!(total[stunting_col].get_float(), Some(50.0));
    let coverage = workbook.worksheet_range("Cakupan").expect("coverage");
    let an2 = coverage
        .rows()
        .find(|r| r[0].get_string() == Some("63.03.05") && r[2].get_string() == Some("AN-2"))
        .expect("AN-2 of the total");
    assert_eq!(
        (an2[4].get_float(), an2[5].get_float()),
        (Some(2.0), Some(3.0))
    );
}

#[tokio::test]
async fn figures_follow_new_records_and_the_trend_holds_every_quarter() {
    let server = TestServer::start_demo().await.expect("server");
    seed(&server).await;
    let token = server.login("supervisor.banjar", "supervisor123").await;
    let before: AggregateReport = report(&server, &token, "&area=63.03.05")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(before.area.households_1000hpk, 3);

    // A fourth household in Sipai after the first report: the kept village figures must
    // not hide it.
    let sipai = server.login("kader.sipai", "kader123").await;
    let (house, child) = (id(), id());
    let month = YearMonth::new(2026, 2).expect("month");
    let mutations = vec![
        upsert(1, EntityKind::Household, house, 0, household(SIPAI, "D")),
        upsert(
            2,
            EntityKind::Child,
            child,
            0,
            json!({"household_id": house, "name": "D", "sex": "M", "birth_date": "2025-06-01"}),
        ),
        upsert(
            3,
            EntityKind::Form2b,
            monthly_record_id(child.into(), month),
            0,
            json!({"person_id": child, "month": month, "weighed": "Y", "clean_water": "Y"}),
        ),
    ];
    let response = server.push(&sipai, &batch(id(), mutations)).await;
    assert!(
        response
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Applied)
    );
    let after: AggregateReport = report(&server, &token, "&area=63.03.05")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(after.area.households_1000hpk, 4);
    assert_eq!(after.rows[0].households_1000hpk, 3, "Sipai now has three");

    let trend: TrendReport = server
        .get(
            &token,
            "/api/v1/aggregates/trend?year=2026&quarter=2&quarters=3&area=63.03.05",
        )
        .send()
        .await
        .expect("trend")
        .json()
        .await
        .expect("json");
    let quarters: Vec<(i32, u8)> = trend
        .points
        .iter()
        .map(|p| (p.quarter.year, p.quarter.quarter))
        .collect();
    assert_eq!(quarters, [(2025, 4), (2026, 1), (2026, 2)]);
    let q1 = &trend.points[1];
    assert_eq!(q1.households_1000hpk, after.area.households_1000hpk);
    assert_eq!(q1.tkd_total, after.area.tkd_total);
    assert_eq!(q1.stunting, after.area.anthropometry.stunting);
    assert_eq!(trend.points[0].households_1000hpk, 0, "nothing before 2026");
    let too_many = server
        .get(&token, "/api/v1/aggregates/trend?quarters=13")
        .send()
        .await
        .expect("trend");
    assert_eq!(too_many.status(), 422);
}

#[tokio::test]
async fn household_drill_down_names_what_each_member_missed() {
    let server = TestServer::start_demo().await.expect("server");
    seed(&server).await;
    let token = server.login("supervisor.banjar", "supervisor123").await;
    let response = server
        .get(
            &token,
            &format!("/api/v1/aggregates/households?year=2026&quarter=1&village={BINCAU}"),
        )
        .send()
        .await
        .expect("households");
    assert_eq!(response.status(), 200);
    let body: HouseholdReport = response.json().await.expect("json");
    assert_eq!(body.village_code, BINCAU);
    let house = body
        .households
        .iter()
        .find(|h| h.head_name == "C")
        .expect("household C");
    assert!(!house.complete, "missed weighing in February");
    let member = &house.members[0];
    assert_eq!(member.name, "C");
    assert!(
        member.missing.iter().any(|code| code == "AN-2"),
        "{member:?}"
    );
    assert!(
        member.missing.iter().any(|code| code == "AN-6"),
        "{member:?}"
    );
    assert!(member.completeness.num < member.completeness.den);

    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let hidden = server
        .get(
            &tapin,
            &format!("/api/v1/aggregates/households?village={BINCAU}"),
        )
        .send()
        .await
        .expect("households");
    assert_eq!(hidden.status(), 404);
    let district = server
        .get(&token, "/api/v1/aggregates/households?village=63.03.05")
        .send()
        .await
        .expect("households");
    assert_eq!(district.status(), 404, "a district is not a village");
}
