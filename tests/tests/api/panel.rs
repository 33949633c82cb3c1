//! The province's panel through the API: three assessors score two districts without seeing
//! each other first, the aggregate and the ranking equal a computation of their own here,
//! districts see nothing until the province publishes, and a published year is frozen.

use std::collections::BTreeMap;

use konvergen_backend::auth::hash_password;
use konvergen_backend::db::NewUser;
use konvergen_shared::actions::panel::Sheet;
use konvergen_shared::actions::panel_views::{
    DistrictPanel, DistrictResult, RankingView, RubricView,
};
use konvergen_shared::actions::rubric::Rubric;
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_tests::TestServer;
use serde_json::json;

const YEAR: i32 = 2026;
const ASSESSORS: [&str; 3] = ["penilai.satu", "penilai.dua", "penilai.tiga"];

/// Fills every required item of a regency's checklist and submits it.
async fn submit_checklist(server: &TestServer, token: &str, regency: &str) {
    super::fixtures::submit_checklist(server, token, regency, YEAR).await;
}

fn sheet(grades: &[(&str, &str)], recommendation: &str) -> Sheet {
    Sheet {
        grades: grades
            .iter()
            .map(|(k, g)| ((*k).to_owned(), (*g).to_owned()))
            .collect(),
        recommendation: recommendation.to_owned(),
    }
}

/// The six indicators of the default rubric, graded `grades` in order.
fn graded(grades: [&str; 6], recommendation: &str) -> Sheet {
    let keys = [
        "documents.complete",
        "documents.quality",
        "documents.data",
        "presentation.mastery",
        "presentation.commitment",
        "field.match",
    ];
    sheet(
        &keys.iter().copied().zip(grades).collect::<Vec<_>>(),
        recommendation,
    )
}

/// The score of a sheet as worked out by hand from the default rubric: A=100 … E=0, the
/// mean per component, weighted 60/20/20, in hundredths rounded half up.
fn expected_total(grades: [&str; 6]) -> u64 {
    let points = |g: &str| -> u64 {
        match g {
            "A" => 10_000,
            "B" => 7_500,
            "C" => 5_000,
            "D" => 2_500,
            _ => 0,
        }
    };
    let mean = |values: &[u64]| {
        (2 * values.iter().sum::<u64>() + values.len() as u64) / (2 * values.len() as u64)
    };
    let documents = mean(&[points(grades[0]), points(grades[1]), points(grades[2])]);
    let presentation = mean(&[points(grades[3]), points(grades[4])]);
    let field = points(grades[5]);
    (documents * 60 + presentation * 20 + field * 20 + 50) / 100
}

async fn district(server: &TestServer, token: &str, regency: &str) -> DistrictPanel {
    let path = format!("/api/v1/assessment/{YEAR}/districts/{regency}");
    let response = server.get(token, &path).send().await.expect("district");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

async fn put_sheet(
    server: &TestServer,
    token: &str,
    regency: &str,
    sheet: &Sheet,
) -> reqwest::Response {
    let path = format!("/api/v1/assessment/{YEAR}/districts/{regency}/sheet");
    server
        .client
        .put(server.url(&path))
        .bearer_auth(token)
        .json(sheet)
        .send()
        .await
        .expect("sheet")
}

async fn submit_sheet(
    server: &TestServer,
    token: &str,
    regency: &str,
    sheet: &Sheet,
) -> reqwest::Response {
    server
        .post(
            token,
            &format!("/api/v1/assessment/{YEAR}/districts/{regency}/sheet/submit"),
            sheet,
        )
        .send()
        .await
        .expect("submit")
}

async fn result(server: &TestServer, token: &str, regency: &str) -> DistrictResult {
    let response = server
        .get(
            token,
            &format!("/api/v1/assessment/{YEAR}/result/{regency}"),
        )
        .send()
        .await
        .expect("result");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn three_assessors_score_two_districts_and_the_province_publishes() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    submit_checklist(&server, &banjar, "63.03").await;
    submit_checklist(&server, &tapin, "63.05").await;
    let mut assessors = Vec::new();
    for name in ASSESSORS {
        assessors.push(server.login(name, "penilai2026").await);
    }
    let grades: BTreeMap<(&str, usize), [&str; 6]> = BTreeMap::from([
        (("63.03", 0), ["A", "B", "B", "A", "C", "B"]),
        (("63.03", 1), ["B", "B", "C", "B", "B", "A"]),
        (("63.03", 2), ["A", "A", "B", "B", "C", "C"]),
        (("63.05", 0), ["B", "C", "C", "B", "B", "B"]),
        (("63.05", 1), ["A", "B", "B", "A", "A", "B"]),
        (("63.05", 2), ["C", "C", "B", "B", "A", "A"]),
    ]);

    // The first assessor's draft: no one else's score in sight.
    let draft = put_sheet(
        &server,
        &assessors[0],
        "63.03",
        &graded(["A", "B", "B", "A", "C", "B"], ""),
    )
    .await;
    assert_eq!(draft.status(), 200);
    // The second submits; the first, still in draft, sees neither that sheet nor a result.
    let second = graded(grades[&("63.03", 1)], "Perkuat data sasaran per desa");
    assert_eq!(
        submit_sheet(&server, &assessors[1], "63.03", &second)
            .await
            .status(),
        200
    );
    let seen = district(&server, &assessors[0], "63.03").await;
    assert_eq!(
        seen.others, None,
        "others hidden before one's own submission"
    );
    assert_eq!(seen.result, None);
    assert_eq!(seen.sheets_submitted, 1);
    assert!(seen.mine.is_some_and(|m| m.submitted_at_ms.is_none()));

    for ((regency, who), grades) in &grades {
        if (*regency, *who) == ("63.03", 1) {
            continue;
        }
        let recommendation = format!("Rekomendasi penilai {} untuk {regency}", who + 1);
        let response = submit_sheet(
            &server,
            &assessors[*who],
            regency,
            &graded(*grades, &recommendation),
        )
        .await;
        assert_eq!(response.status(), 200, "{regency} by {who}");
    }
    let after = district(&server, &assessors[0], "63.03").await;
    assert_eq!(
        after.others.as_ref().map(Vec::len),
        Some(2),
        "the others' sheets once one's own is in"
    );

    // The aggregate is the mean of the three totals, each worked out here.
    let mean_of = |regency: &str| {
        let totals: Vec<u64> = (0..3)
            .map(|who| expected_total(grades[&(regency, who)]))
            .collect();
        (2 * totals.iter().sum::<u64>() + 3) / 6
    };
    assert_eq!(
        after.result.map(|r| u64::from(r.total)),
        Some(mean_of("63.03"))
    );

    // Before publication the districts see nothing; the province sees the forming ranking.
    let before = result(&server, &banjar, "63.03").await;
    assert!(before.publication.is_none() && before.score.is_none() && before.rank.is_none());
    assert!(before.recommendations.is_empty());
    let hidden = server
        .get(&banjar, &format!("/api/v1/assessment/{YEAR}/ranking"))
        .send()
        .await
        .expect("ranking");
    assert_eq!(hidden.status(), 404);

    let published = server
        .post(
            &province,
            &format!("/api/v1/assessment/{YEAR}/publish"),
            &json!({}),
        )
        .send()
        .await
        .expect("publish");
    assert_eq!(published.status(), 200);
    let ranking: RankingView = published.json().await.expect("json");
    let lines = &ranking.groups[0].lines;
    let (banjar_total, tapin_total) = (mean_of("63.03"), mean_of("63.05"));
    let best = if banjar_total >= tapin_total {
        "63.03"
    } else {
        "63.05"
    };
    assert_eq!(lines[0].regency_code, best);
    assert_eq!(
        lines.iter().map(|l| u64::from(l.score.total)).max(),
        Some(banjar_total.max(tapin_total))
    );
    assert_eq!(
        lines.iter().map(|l| l.assessors).collect::<Vec<_>>(),
        vec![3, 3]
    );

    // After publication: score, rank and the panel's recommendations, without names.
    let after = result(&server, &banjar, "63.03").await;
    assert_eq!(after.score.map(|s| u64::from(s.total)), Some(banjar_total));
    assert_eq!(after.rank.map(|(_, of)| of), Some(2));
    assert_eq!(after.recommendations.len(), 3);
    assert!(
        after
            .recommendations
            .iter()
            .any(|r| r == "Perkuat data sasaran per desa")
    );

    // The published year is frozen.
    let reweighted = {
        let mut rubric = Rubric::default_for(YEAR);
        rubric.components[0].weight = 50;
        rubric.components[1].weight = 30;
        server
            .client
            .put(server.url(&format!("/api/v1/assessment/{YEAR}/rubric")))
            .bearer_auth(&province)
            .json(&rubric)
            .send()
            .await
            .expect("rubric")
    };
    assert_eq!(reweighted.status(), 409);
    let error: ErrorBody = reweighted.json().await.expect("error body");
    assert_eq!(error.fields[0].code, "published");
    assert!(error.message.contains("dibekukan"), "{}", error.message);
    let late = put_sheet(&server, &assessors[0], "63.05", &graded(["E"; 6], "")).await;
    assert_eq!(late.status(), 409);
}

#[tokio::test]
async fn a_district_that_has_not_submitted_is_not_scored() {
    let server = TestServer::start_demo().await.expect("server");
    let assessor = server.login("penilai.satu", "penilai2026").await;
    let response = put_sheet(&server, &assessor, "63.05", &graded(["A"; 6], "")).await;
    assert_eq!(response.status(), 409);
    let error: ErrorBody = response.json().await.expect("error body");
    assert_eq!(error.fields[0].field, "checklist_status");
    assert!(
        error.message.contains("belum mengirim"),
        "{}",
        error.message
    );
    assert!(
        error.message_en.contains("has not submitted"),
        "{}",
        error.message_en
    );
}

#[tokio::test]
async fn a_sheet_is_checked_against_the_rubric_and_final_once_submitted() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    submit_checklist(&server, &banjar, "63.03").await;
    let assessor = server.login("penilai.satu", "penilai2026").await;

    let wrong = put_sheet(
        &server,
        &assessor,
        "63.03",
        &sheet(&[("documents.complete", "Z"), ("no.such", "A")], ""),
    )
    .await;
    assert_eq!(wrong.status(), 422);
    let error: ErrorBody = wrong.json().await.expect("error body");
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["grades.documents.complete", "grades.no.such"]);

    let partial = submit_sheet(
        &server,
        &assessor,
        "63.03",
        &sheet(&[("documents.complete", "A")], ""),
    )
    .await;
    assert_eq!(
        partial.status(),
        422,
        "a submitted sheet grades every indicator"
    );
    let error: ErrorBody = partial.json().await.expect("error body");
    assert_eq!(error.fields.len(), 5);

    assert_eq!(
        submit_sheet(&server, &assessor, "63.03", &graded(["A"; 6], ""))
            .await
            .status(),
        200
    );
    let again = put_sheet(&server, &assessor, "63.03", &graded(["E"; 6], "")).await;
    assert_eq!(again.status(), 409);
    let error: ErrorBody = again.json().await.expect("error body");
    assert_eq!(error.fields[0].code, "already_submitted");

    // The province runs the panel but does not score.
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    assert_eq!(
        put_sheet(&server, &province, "63.03", &graded(["A"; 6], ""))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_rubric_is_versioned_until_the_first_sheet_is_submitted() {
    let server = TestServer::start_demo().await.expect("server");
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let path = format!("/api/v1/assessment/{YEAR}/rubric");
    let put = |rubric: &Rubric| {
        server
            .client
            .put(server.url(&path))
            .bearer_auth(&province)
            .json(rubric)
            .send()
    };

    let mut aspects = Rubric::aspects_for(YEAR);
    aspects
        .district_categories
        .insert("63.03".to_owned(), "lokus".to_owned());
    let saved = put(&aspects).await.expect("rubric");
    assert_eq!(saved.status(), 200);
    let view: RubricView = saved.json().await.expect("json");
    assert_eq!((view.version, view.history.len()), (1, 1));
    assert_eq!(view.rubric, aspects);

    let mut broken = Rubric::default_for(YEAR);
    broken.components[0].weight = 70;
    broken
        .district_categories
        .insert("64.01".to_owned(), "lokus".to_owned());
    let refused = put(&broken).await.expect("rubric");
    assert_eq!(refused.status(), 422);
    let error: ErrorBody = refused.json().await.expect("error body");
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"components"), "{fields:?}");
    assert!(fields.contains(&"district_categories.64.01"), "{fields:?}");

    assert_eq!(
        put(&Rubric::default_for(YEAR))
            .await
            .expect("rubric")
            .status(),
        200
    );
    let view: RubricView = server
        .get(&province, &path)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!((view.version, view.history.len()), (2, 2));

    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    submit_checklist(&server, &banjar, "63.03").await;
    let assessor = server.login("penilai.dua", "penilai2026").await;
    assert_eq!(
        submit_sheet(&server, &assessor, "63.03", &graded(["B"; 6], ""))
            .await
            .status(),
        200
    );
    let in_use = put(&aspects).await.expect("rubric");
    assert_eq!(in_use.status(), 409);
    let error: ErrorBody = in_use.json().await.expect("error body");
    assert_eq!(error.fields[0].code, "in_use");
}

#[tokio::test]
async fn an_assessor_of_another_province_finds_nothing() {
    let server = TestServer::start_demo().await.expect("server");
    let user = NewUser {
        username: "penilai.kaltim".to_owned(),
        display_name: "Penilai Kalimantan Timur".to_owned(),
        role: Role::Assessor,
        password_hash: hash_password("penilai-kaltim-2026").expect("hash"),
        areas: vec!["64".to_owned()],
        agency: None,
    };
    server.store.create_user(user, 1).await.expect("insert");
    let outsider = server.login("penilai.kaltim", "penilai-kaltim-2026").await;
    for path in [
        format!("/api/v1/assessment/{YEAR}/districts/63.03"),
        format!("/api/v1/assessment/{YEAR}/result/63.03"),
        format!("/api/v1/actions/checklists/63.03/{YEAR}"),
    ] {
        let response = server.get(&outsider, &path).send().await.expect("get");
        assert_eq!(response.status(), 404, "{path}");
    }
    let sheet = put_sheet(&server, &outsider, "63.03", &graded(["A"; 6], "")).await;
    assert_eq!(sheet.status(), 404);
    // Their own province's board lists its regencies, none of Kalimantan Selatan.
    let board: konvergen_shared::actions::panel_views::PanelBoard = server
        .get(&outsider, &format!("/api/v1/assessment/{YEAR}/panel"))
        .send()
        .await
        .expect("board")
        .json()
        .await
        .expect("json");
    assert!(
        board
            .rows
            .iter()
            .all(|row| row.regency_code.starts_with("64."))
    );
}

#[tokio::test]
async fn the_ranking_workbook_holds_the_ranking() {
    use calamine::{Data, Reader, Xlsx};
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    submit_checklist(&server, &banjar, "63.03").await;
    let assessor = server.login("penilai.tiga", "penilai2026").await;
    let grades = ["A", "B", "C", "D", "A", "B"];
    assert_eq!(
        submit_sheet(&server, &assessor, "63.03", &graded(grades, ""))
            .await
            .status(),
        200
    );
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let bytes = server
        .get(
            &province,
            &format!("/api/v1/assessment/{YEAR}/ranking.xlsx"),
        )
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = workbook.worksheet_range("Peringkat").expect("sheet");
    let row: Vec<Data> = range.rows().nth(4).expect("first district").to_vec();
    assert_eq!(row[2], Data::String("63.03".to_owned()));
    assert_eq!(row[1], Data::Float(1.0));
    let total = match row[7] {
        Data::Float(value) => value,
        ref other => panic!("total {other:?}"),
    };
    assert!(
        (total * 100.0 - expected_total(grades) as f64).abs() < 1e-6,
        "{total}"
    );
}
