//! The province's overview of a year (#16) through the real API: every regency of Kalimantan
//! Selatan listed, the review status after a submit and a return, completeness per action
//! as counted here from the catalogue, budget totals as the sums of the lines sent, the
//! late parts of the board, and the village figures of `/api/v1/aggregates`.

use std::collections::BTreeSet;

use konvergen_shared::actions::{Catalogue, ItemState, Status, Transition};
use konvergen_shared::aggregates::{AggregateReport, AggregateRow};
use konvergen_shared::anthro::record::MeasurementRecord;
use konvergen_shared::anthro::{Position, Sex};
use konvergen_shared::api::ErrorBody;
use konvergen_shared::district::{
    Board, BudgetLine, Contribution, Deadline, FundingSource, Innovation, Intervention, Overview,
    OverviewRow,
};
use konvergen_shared::ids::{HouseholdId, PersonId};
use konvergen_shared::recap::Quarter;
use konvergen_shared::register::Child;
use konvergen_shared::sync::{EntityKind, MutationStatus};
use konvergen_tests::TestServer;
use time::{Date, Month};

use crate::district::{BANJAR, DINKES, DPMD, TAPIN, body, push_new, submit_year};
use crate::fixtures::{SIPAI, batch, household, id, upsert};

/// Kalimantan Selatan's 13 regencies and cities (`docs/domain.md` §4.2).
const KALSEL: [&str; 13] = [
    "63.01", "63.02", "63.03", "63.04", "63.05", "63.06", "63.07", "63.08", "63.09", "63.10",
    "63.11", "63.71", "63.72",
];

/// The year assessed now: last year's work, whose figures are its last quarter.
fn year() -> i32 {
    crate::district::year() - 1
}

fn line(agency: &str, fiscal_year: i32, allocation_rp: i64, realised: Option<i64>) -> BudgetLine {
    BudgetLine {
        regency_code: BANJAR.into(),
        year: year(),
        agency: agency.into(),
        fiscal_year,
        programme: "Program Pemenuhan Upaya Kesehatan".into(),
        activity: "Penyediaan Layanan Kesehatan".into(),
        sub_activity: String::new(),
        intervention: Intervention::Specific,
        source: FundingSource::Apbd,
        allocation_rp,
        realisation_rp: realised,
        actions: vec![1],
    }
}

/// Who sends which line: the year's money and the next year's, and a line of the year
/// before that must not count.
fn lines() -> Vec<(&'static str, BudgetLine)> {
    let mut earlier = line(DINKES, year() - 1, 999, None);
    earlier.year = year() - 1;
    vec![
        (
            "dinkes",
            line(DINKES, year(), 1_250_000_000, Some(1_100_000_000)),
        ),
        ("dinkes", line(DINKES, year() + 1, 500_000_000, None)),
        ("dpmd", line(DPMD, year(), 300_000_000, Some(250_000_000))),
        ("dinkes", earlier),
    ]
}

/// Tokens of the people of the scenario.
struct People {
    banjar: String,
    tapin: String,
    dinkes: String,
    dpmd: String,
    province: String,
}

impl People {
    async fn login(server: &TestServer) -> Self {
        Self {
            banjar: server.login("supervisor.banjar", "supervisor123").await,
            tapin: server.login("supervisor.tapin", "supervisor123").await,
            dinkes: server.login("dinkes.banjar", "dinkes2026").await,
            dpmd: server.login("dpmd.banjar", "dpmd2026").await,
            province: server.login("provinsi.kalsel", "provinsi123").await,
        }
    }

    fn agency(&self, who: &str) -> &str {
        if who == "dpmd" {
            &self.dpmd
        } else {
            &self.dinkes
        }
    }
}

async fn send(server: &TestServer, token: &str, kind: EntityKind, record: &impl serde::Serialize) {
    let (_, result) = push_new(server, token, kind, body(record)).await;
    assert_eq!(
        result.status,
        MutationStatus::Applied,
        "{:?}",
        result.errors
    );
}

fn contribution() -> Contribution {
    let catalogue = Catalogue::default_for(year());
    Contribution {
        regency_code: BANJAR.into(),
        year: year(),
        agency: DINKES.into(),
        item_key: catalogue.actions[0].evidence[0].key.clone(),
        account: "Analisis situasi bersama Bappeda".into(),
        links: vec!["https://dokumen.example/notulen.pdf".into()],
        files: Vec::new(),
        note: String::new(),
        done_on: None,
    }
}

fn innovation() -> Innovation {
    Innovation {
        regency_code: BANJAR.into(),
        year: year(),
        agency: DPMD.into(),
        title: "Desa Bebas Stunting".into(),
        year_started: 2024,
        target_group: "Keluarga berisiko stunting".into(),
        description: "Pendampingan keluarga oleh kader desa".into(),
        results: String::new(),
        photos: Vec::new(),
    }
}

/// Banjar: a deadline already past, then the agencies' lines, part and innovation (so all
/// of them are late), then the coordinator submits the year.
async fn fill_banjar(server: &TestServer, people: &People) {
    let yesterday = time::OffsetDateTime::now_utc() - time::Duration::DAY;
    let deadline = Deadline {
        regency_code: BANJAR.into(),
        year: year(),
        due_at: yesterday,
    };
    send(server, &people.banjar, EntityKind::Deadline, &deadline).await;
    for (who, budget_line) in lines() {
        send(
            server,
            people.agency(who),
            EntityKind::BudgetLine,
            &budget_line,
        )
        .await;
    }
    send(
        server,
        &people.dinkes,
        EntityKind::Contribution,
        &contribution(),
    )
    .await;
    send(server, &people.dpmd, EntityKind::Innovation, &innovation()).await;
    submit_year(server, &people.banjar, year()).await;
}

/// Tapin: the first required item only, evidenced; nothing submitted.
async fn fill_tapin(server: &TestServer, people: &People) {
    let catalogue = Catalogue::default_for(year());
    let first = catalogue.required_items().next().expect("a required item");
    let item = ItemState {
        done: true,
        links: vec!["https://dokumen.example/tapin.pdf".into()],
        ..ItemState::default()
    };
    let path = format!(
        "/api/v1/actions/checklists/{TAPIN}/{}/items/{}",
        year(),
        first.item.key
    );
    let response = server
        .client
        .put(server.url(&path))
        .bearer_auth(&people.tapin)
        .json(&item)
        .send()
        .await
        .expect("item");
    assert_eq!(response.status(), 200);
}

/// One child of Sungai Sipai measured on `day` (stunted at six months) and a year later
/// (not any more at eighteen): young enough to be registered today, old enough for both.
async fn measure_a_child(server: &TestServer, day: Date) {
    let cadre = server.login("kader.sipai", "kader123").await;
    let (house, child) = (id(), id());
    let record = Child {
        household_id: HouseholdId(house),
        name: "Nur".into(),
        sex: Sex::Female,
        birth_date: months_before(day, 6),
        nik: None,
        kia_register_no: None,
        birth_certificate: true,
        health_insurance: true,
    };
    let measured = |on: Date, length_cm: f64| MeasurementRecord {
        child_id: PersonId(child),
        measured_on: on,
        weight_kg: Some(8.0),
        length_cm: Some(length_cm),
        position: Position::Lying,
        oedema: false,
    };
    let (first, second) = (measured(day, 58.0), measured(months_before(day, -12), 80.0));
    let mutations = vec![
        upsert(1, EntityKind::Household, house, 0, household(SIPAI, "Nur")),
        upsert(2, EntityKind::Child, child, 0, body(&record)),
        upsert(3, EntityKind::Measurement, id(), 0, body(&first)),
        upsert(4, EntityKind::Measurement, id(), 0, body(&second)),
    ];
    let response = server.push(&cadre, &batch(id(), mutations)).await;
    assert!(
        response
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Applied),
        "{response:?}"
    );
}

/// The first day of the month `months` months before `day`'s month (after, when negative).
fn months_before(day: Date, months: i32) -> Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 - months;
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).expect("month");
    Date::from_calendar_date(index.div_euclid(12), month, 1).expect("date")
}

/// Today's quarter in WITA, as the server counts it.
fn current_quarter() -> Quarter {
    let wita = time::UtcOffset::from_hms(8, 0, 0).expect("offset");
    let today = time::OffsetDateTime::now_utc().to_offset(wita).date();
    Quarter::of(konvergen_shared::monitoring::YearMonth::of(today))
}

async fn overview(server: &TestServer, token: &str, year: &str) -> reqwest::Response {
    let path = format!("/api/v1/province/{year}/overview");
    server.get(token, &path).send().await.expect("overview")
}

async fn read(server: &TestServer, token: &str) -> Overview {
    read_year(server, token, year()).await
}

async fn read_year(server: &TestServer, token: &str, year: i32) -> Overview {
    let response = overview(server, token, &year.to_string()).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("overview json")
}

fn row<'a>(overview: &'a Overview, code: &str) -> &'a OverviewRow {
    overview
        .rows
        .iter()
        .find(|row| row.regency_code == code)
        .unwrap_or_else(|| panic!("{code} listed"))
}

async fn aggregate_rows(server: &TestServer, token: &str, quarter: Quarter) -> Vec<AggregateRow> {
    let path = format!(
        "/api/v1/aggregates?year={}&quarter={}&area=63",
        quarter.year, quarter.quarter
    );
    let response = server.get(token, &path).send().await.expect("aggregates");
    assert_eq!(response.status(), 200);
    let report: AggregateReport = response.json().await.expect("json");
    report.rows
}

/// Required items per action of the year's catalogue, counted here.
fn required_per_action() -> Vec<(u8, u64)> {
    Catalogue::default_for(year())
        .actions
        .iter()
        .map(|a| {
            (
                a.number,
                a.evidence.iter().filter(|i| i.required).count() as u64,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_province_sees_every_regency_with_its_status_completeness_and_budget() {
    let server = TestServer::start_demo().await.expect("server");
    let people = People::login(&server).await;
    fill_banjar(&server, &people).await;
    fill_tapin(&server, &people).await;
    let overview = read(&server, &people.province).await;

    let codes: Vec<&str> = overview
        .rows
        .iter()
        .map(|r| r.regency_code.as_str())
        .collect();
    assert_eq!(codes, KALSEL, "every regency, also those with nothing yet");
    assert_eq!(
        (overview.province_code.as_str(), overview.year),
        ("63", year())
    );
    assert_eq!(row(&overview, "63.72").name, "Kota Banjarbaru");

    let banjar = row(&overview, BANJAR);
    assert_eq!(banjar.status, Status::Submitted);
    assert!(banjar.submitted_at.is_some());
    let full: Vec<(u8, u64, u64)> = required_per_action()
        .into_iter()
        .map(|(number, required)| (number, required, required))
        .collect();
    let shown = |row: &OverviewRow| -> Vec<(u8, u64, u64)> {
        row.actions
            .iter()
            .map(|a| (a.number, a.evidenced.num, a.evidenced.den))
            .collect()
    };
    assert_eq!(shown(banjar), full, "every required item evidenced");

    let tapin = row(&overview, TAPIN);
    assert_eq!(tapin.status, Status::Draft);
    let first_only: Vec<(u8, u64, u64)> = required_per_action()
        .into_iter()
        .enumerate()
        .map(|(index, (number, required))| (number, u64::from(index == 0), required))
        .collect();
    assert_eq!(shown(tapin), first_only);
    let nothing = row(&overview, "63.09");
    assert_eq!(
        (nothing.status, nothing.completeness.num),
        (Status::Draft, 0)
    );
    assert_eq!((nothing.evidence, nothing.innovations), (0, 0));

    let of_fiscal = |fiscal: i32| -> (usize, i64, i64) {
        let sent: Vec<BudgetLine> = lines().into_iter().map(|(_, l)| l).collect();
        let of_year = sent
            .iter()
            .filter(|l| l.year == year() && l.fiscal_year == fiscal);
        of_year.fold((0, 0, 0), |(n, a, r), l| {
            (
                n + 1,
                a + l.allocation_rp,
                r + l.realisation_rp.unwrap_or(0),
            )
        })
    };
    let sums = |sum: konvergen_shared::district::BudgetSum| {
        (sum.lines, sum.allocation_rp, sum.realisation_rp)
    };
    assert_eq!(sums(banjar.budget_year), of_fiscal(year()));
    assert_eq!(sums(banjar.budget_next_year), of_fiscal(year() + 1));
    assert_eq!(banjar.budget_year.allocation_rp, 1_550_000_000);
    assert_eq!(banjar.innovations, 1);
    // One link on every item of the submission, one on the agency's part.
    assert_eq!(banjar.evidence, 2);
    assert_eq!(tapin.evidence, 1);
}

#[tokio::test]
async fn late_parts_and_owing_agencies_are_those_of_the_board() {
    let server = TestServer::start_demo().await.expect("server");
    let people = People::login(&server).await;
    fill_banjar(&server, &people).await;
    let overview = read(&server, &people.province).await;
    let path = format!("/api/v1/district/{BANJAR}/{}/board", year());
    let board: Board = server
        .get(&people.banjar, &path)
        .send()
        .await
        .expect("board")
        .json()
        .await
        .expect("json");
    let banjar = row(&overview, BANJAR);
    // Three lines of the year, one part and one innovation, all after the deadline.
    assert_eq!(banjar.late_parts, 5);
    let late: u64 = board.agencies.iter().map(|a| u64::from(a.late)).sum();
    assert_eq!(banjar.late_parts, late);
    let owing = board
        .agencies
        .iter()
        .filter(|a| !a.owes().is_empty())
        .count();
    assert_eq!(banjar.agencies_owing, owing as u64);
    assert_eq!(banjar.agencies, board.agencies.len() as u64);
    assert_eq!(banjar.due_at, board.due_at);
}

#[tokio::test]
async fn the_status_follows_the_review_of_the_province() {
    let server = TestServer::start_demo().await.expect("server");
    let people = People::login(&server).await;
    submit_year(&server, &people.banjar, year()).await;
    let path = format!("/api/v1/actions/checklists/{BANJAR}/{}/transition", year());
    let step = |transition: Transition| {
        let request = server.post(&people.province, &path, &transition);
        async move { request.send().await.expect("step").status() }
    };
    let reason = "Notulen rembuk belum ditandatangani".to_owned();
    assert_eq!(step(Transition::Return { reason }).await, 200);
    assert_eq!(
        row(&read(&server, &people.province).await, BANJAR).status,
        Status::Returned
    );
    submit_year(&server, &people.banjar, year()).await;
    assert_eq!(step(Transition::Verify).await, 200);
    assert_eq!(
        row(&read(&server, &people.province).await, BANJAR).status,
        Status::Verified
    );
}

#[tokio::test]
async fn outcome_figures_are_those_of_the_aggregates_of_the_quarter_and_a_year_earlier() {
    let server = TestServer::start_demo().await.expect("server");
    // This year, still running: its figures are those of the quarter now.
    let quarter = current_quarter();
    let a_year_earlier = Quarter {
        year: quarter.year - 1,
        ..quarter
    };
    let first_day = quarter.months()[0].first_day();
    measure_a_child(&server, months_before(first_day, 12)).await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let overview = read_year(&server, &province, quarter.year).await;
    assert_eq!(overview.quarter, quarter);
    assert_eq!(overview.quarter_before, a_year_earlier);
    let now = aggregate_rows(&server, &province, overview.quarter).await;
    let before = aggregate_rows(&server, &province, overview.quarter_before).await;
    let of = |rows: &[AggregateRow], code: &str| rows.iter().find(|r| r.code == code).cloned();
    for shown in &overview.rows {
        let code = shown.regency_code.as_str();
        let expected = of(&now, code).unwrap_or_else(|| AggregateRow::empty(code, ""));
        assert_eq!(
            shown.households_complete, expected.households_complete,
            "{code}"
        );
        assert_eq!(shown.tkd_total, expected.tkd_total, "{code}");
        assert_eq!(shown.stunting, expected.anthropometry.stunting, "{code}");
        let earlier = of(&before, code)
            .map(|r| r.anthropometry.stunting)
            .unwrap_or_default();
        assert_eq!(shown.stunting_before, earlier, "{code}");
        // The change, from the percentages as a spreadsheet would take it.
        let percents = (shown.stunting.ratio().percent(), earlier.ratio().percent());
        let change = match percents {
            (Some(now), Some(then)) => Some(((now - then) * 10.0).round() as i64),
            _ => None,
        };
        assert_eq!(shown.stunting_change_per_mille, change, "{code}");
    }
    let banjar = row(&overview, BANJAR);
    assert!(banjar.stunting.measured >= 1 && banjar.stunting_before.measured >= 1);
    assert!(banjar.stunting_change_per_mille.is_some());
}

async fn error_of(response: reqwest::Response) -> (u16, ErrorBody) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("the JSON error shape"))
}

#[tokio::test]
async fn only_the_province_reads_the_overview_of_an_assessed_year() {
    let server = TestServer::start_demo().await.expect("server");
    let people = People::login(&server).await;
    let cadre = server.login("kader.sipai", "kader123").await;
    let this_year = year().to_string();
    for token in [&people.banjar, &people.dinkes, &cadre] {
        let (status, error) = error_of(overview(&server, token, &this_year).await).await;
        assert_eq!((status, error.error.as_str()), (403, "forbidden"));
    }
    let (status, _) = error_of(overview(&server, "not-a-token", &this_year).await).await;
    assert_eq!(status, 401);
    for year in ["1999", "3000"] {
        let (status, error) = error_of(overview(&server, &people.province, year).await).await;
        assert_eq!(status, 422, "{year}");
        let field = error
            .fields
            .first()
            .map(|f| (f.field.as_str(), f.code.as_str()));
        assert_eq!(field, Some(("year", "out_of_range")));
    }
    let (status, error) = error_of(overview(&server, &people.province, "lalu").await).await;
    assert_eq!(status, 400, "{error:?}");
    let distinct: BTreeSet<String> = read(&server, &people.province)
        .await
        .rows
        .into_iter()
        .map(|r| r.regency_code)
        .collect();
    assert_eq!(distinct.len(), KALSEL.len());
}

#[tokio::test]
async fn the_workbook_holds_the_same_rows_as_the_screen() {
    use calamine::{Data, DataType, Reader, Xlsx};
    let server = TestServer::start_demo().await.expect("server");
    let people = People::login(&server).await;
    fill_banjar(&server, &people).await;
    let shown = read(&server, &people.province).await;
    let path = format!("/api/v1/province/{}/overview.xlsx", year());
    let response = server
        .get(&people.province, &path)
        .send()
        .await
        .expect("xlsx");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("bytes").to_vec();
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens as xlsx");
    let sheet = workbook.worksheet_range("Ikhtisar").expect("sheet");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let headers: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let codes: Vec<String> = rows[1..].iter().map(|r| r[0].to_string()).collect();
    assert_eq!(codes, KALSEL);
    let banjar = rows[1..]
        .iter()
        .find(|r| r[0].as_string().as_deref() == Some(BANJAR))
        .expect("Banjar");
    let budget = column(&format!("Pagu {} (Rp)", year()));
    assert_eq!(
        banjar[budget].get_float(),
        Some(row(&shown, BANJAR).budget_year.allocation_rp as f64)
    );
    assert_eq!(banjar[column("Status")].to_string(), "Dikirim ke provinsi");
    assert_eq!(banjar[column("Kiriman terlambat")].get_float(), Some(5.0));
    let dinkes = server.login("dinkes.banjar", "dinkes2026").await;
    assert_eq!(
        server
            .get(&dinkes, &path)
            .send()
            .await
            .expect("xlsx")
            .status(),
        403
    );
}
