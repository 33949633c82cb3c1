//! The province's aggregates on the demo data equal figures the test computes itself from
//! the raw rows of the server's database file, and the XLSX export holds the same numbers.
//!
//! Independent of the server's report code: the test reads the `record` table directly,
//! groups rows by village itself, runs each village's scorecard from the domain crate (the
//! recap rules are tested against hand-worked villages in `shared/tests`), picks each child's
//! latest measurement and computes its z-scores itself, and sums everything per regency.

use std::collections::{BTreeMap, HashMap};

use calamine::{DataType, Reader, Xlsx};
use konvergen_shared::aggregates::AggregateReport;
use konvergen_shared::anthro::{self, Measurement, Position};
use konvergen_shared::ids::PersonId;
use konvergen_shared::recap::{Quarter, Ratio, RuleSet};
use konvergen_shared::scorecard::{AreaData, scorecard};
use konvergen_tests::TestServer;
use serde_json::Value;
use time::Date;

/// What the test expects for one regency.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    villages: u64,
    households_1000hpk: u64,
    /// (indicator code, received, applicable) per indicator.
    coverage: BTreeMap<String, (u64, u64)>,
    tkd_total: (u64, u64),
    households_complete: (u64, u64),
    children_measured: u64,
    /// (measured, flagged, cases) for stunting.
    stunting: (u64, u64, u64),
}

/// A measurement row, decoded by hand.
struct Weighing {
    child: String,
    on: Date,
    body: Value,
}

/// The last complete quarter: the demo data covers the six months up to today, so all of it.
fn last_quarter() -> Quarter {
    let today = konvergen_backend::util::today_wita(konvergen_backend::util::now_ms());
    let current = Quarter::of(konvergen_shared::monitoring::YearMonth::of(today));
    match current.quarter {
        1 => Quarter {
            year: current.year - 1,
            quarter: 4,
        },
        n => Quarter {
            quarter: n - 1,
            ..current
        },
    }
}

fn raw_rows(database: &std::path::Path) -> Vec<(String, String, String, Value)> {
    let conn = rusqlite::Connection::open(database).expect("open the server's file");
    let mut stmt = conn
        .prepare("SELECT entity, id, village_code, body FROM record WHERE deleted = 0")
        .expect("query");
    stmt.query_map([], |row| {
        let body: String = row.get(3)?;
        Ok((
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            serde_json::from_str(&body).expect("stored JSON"),
        ))
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn typed<T: serde::de::DeserializeOwned>(body: &Value) -> T {
    serde_json::from_value(body.clone()).expect("typed body")
}

fn date(value: &Value) -> Date {
    let parts: Vec<i32> = value
        .as_str()
        .expect("date text")
        .split('-')
        .map(|part| part.parse().expect("number"))
        .collect();
    let month = time::Month::try_from(parts[1] as u8).expect("month");
    Date::from_calendar_date(parts[0], month, parts[2] as u8).expect("date")
}

/// Every village's data, grouped by the test.
fn villages(
    rows: Vec<(String, String, String, Value)>,
) -> BTreeMap<String, (AreaData, Vec<Weighing>)> {
    let mut villages: BTreeMap<String, (AreaData, Vec<Weighing>)> = BTreeMap::new();
    for (entity, id, village, body) in rows {
        let (data, weighings) = villages.entry(village).or_default();
        let person = || PersonId(id.parse().expect("uuid"));
        match entity.as_str() {
            "pregnant_woman" => data.pregnant.push((person(), typed(&body))),
            "child" => data.children.push((person(), typed(&body))),
            "paud_child" => data.paud.push((person(), typed(&body))),
            "form2a" => data.form2a.push(typed(&body)),
            "form2b" => data.form2b.push(typed(&body)),
            "form2c" => data.form2c.push(typed(&body)),
            "measurement" => weighings.push(Weighing {
                child: body["child_id"].as_str().expect("child id").to_owned(),
                on: date(&body["measured_on"]),
                body,
            }),
            _ => {}
        }
    }
    villages
}

/// Stunting from each child's latest measurement in the quarter, z-scores computed here.
fn stunting(quarter: Quarter, data: &AreaData, weighings: &[Weighing]) -> (u64, (u64, u64, u64)) {
    let (first, last) = (quarter.first_day(), quarter.last_day());
    let mut latest: HashMap<&str, &Weighing> = HashMap::new();
    for w in weighings.iter().filter(|w| w.on >= first && w.on <= last) {
        if latest.get(w.child.as_str()).is_none_or(|l| w.on > l.on) {
            latest.insert(&w.child, w);
        }
    }
    let (mut measured_children, mut measured, mut flagged, mut cases) = (0, 0, 0, 0);
    for (child_id, weighing) in latest {
        let Some((_, child)) = data
            .children
            .iter()
            .find(|(id, _)| id.0.to_string() == child_id)
        else {
            continue;
        };
        measured_children += 1;
        let body = &weighing.body;
        let position = if body["position"] == "standing" {
            Position::Standing
        } else {
            Position::Lying
        };
        let z = anthro::compute(&Measurement {
            sex: child.sex,
            age_days: Some((weighing.on - child.birth_date).whole_days() as f64),
            weight_kg: body["weight_kg"].as_f64(),
            length_cm: body["length_cm"].as_f64(),
            position,
            oedema: body["oedema"].as_bool().unwrap_or(false),
        });
        if let Some(haz) = z.haz {
            measured += 1;
            if haz.flagged {
                flagged += 1;
            } else if haz.centi < -200 {
                cases += 1;
            }
        }
    }
    (measured_children, (measured, flagged, cases))
}

fn add(total: &mut (u64, u64), ratio: Ratio) {
    total.0 += ratio.num;
    total.1 += ratio.den;
}

/// The test's own figures per regency.
fn expected_by_regency(database: &std::path::Path, quarter: Quarter) -> BTreeMap<String, Expected> {
    let rules = RuleSet::default();
    let mut regencies: BTreeMap<String, Expected> = BTreeMap::new();
    for (code, (data, weighings)) in villages(raw_rows(database)) {
        let card = scorecard(&rules, quarter, &data, Vec::new());
        let expected = regencies.entry(code[..5].to_owned()).or_default();
        expected.villages += 1;
        expected.households_1000hpk += card.targets.households_1000hpk;
        for c in &card.coverage {
            let entry = expected
                .coverage
                .entry(c.indicator.code().to_owned())
                .or_default();
            entry.0 += c.received;
            entry.1 += c.applicable;
        }
        add(&mut expected.tkd_total, card.convergence.total);
        add(&mut expected.households_complete, card.households_complete);
        let (children, (measured, flagged, cases)) = stunting(quarter, &data, &weighings);
        expected.children_measured += children;
        expected.stunting.0 += measured;
        expected.stunting.1 += flagged;
        expected.stunting.2 += cases;
    }
    regencies
}

fn reported(row: &konvergen_shared::aggregates::AggregateRow) -> Expected {
    let stunting = row.anthropometry.stunting;
    Expected {
        villages: row.villages,
        households_1000hpk: row.households_1000hpk,
        coverage: row
            .coverage
            .iter()
            .map(|c| (c.indicator.code().to_owned(), (c.received, c.applicable)))
            .collect(),
        tkd_total: (row.tkd_total.num, row.tkd_total.den),
        households_complete: (row.households_complete.num, row.households_complete.den),
        children_measured: row.anthropometry.children_measured,
        stunting: (stunting.measured, stunting.flagged_excluded, stunting.cases),
    }
}

async fn demo_server() -> TestServer {
    let server = TestServer::start_demo().await.expect("server");
    let today = konvergen_backend::util::today_wita(konvergen_backend::util::now_ms());
    let households = konvergen_backend::demo::DEMO_HOUSEHOLDS;
    konvergen_backend::demo::seed_records(&server.store, today, households)
        .await
        .expect("demo records");
    server
}

#[tokio::test]
async fn province_figures_equal_an_independent_recomputation_and_the_xlsx() {
    let server = demo_server().await;
    let token = server.login("provinsi.kalsel", "provinsi123").await;
    let quarter = last_quarter();
    let query = format!("year={}&quarter={}&area=63", quarter.year, quarter.quarter);
    let report: AggregateReport = server
        .get(&token, &format!("/api/v1/aggregates?{query}"))
        .send()
        .await
        .expect("aggregates")
        .json()
        .await
        .expect("json");
    let expected = expected_by_regency(&server.database, quarter);
    assert_eq!(expected.len(), 2, "demo data lies in Banjar and Tapin");
    assert!(
        expected
            .values()
            .all(|e| e.households_1000hpk > 0 && e.stunting.0 > 0)
    );
    let rows: BTreeMap<String, Expected> = report
        .rows
        .iter()
        .map(|row| (row.code.clone(), reported(row)))
        .collect();
    assert_eq!(rows, expected);

    let xlsx = server
        .get(&token, &format!("/api/v1/aggregates/export.xlsx?{query}"))
        .send()
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).expect("xlsx");
    let summary = workbook
        .worksheet_range("Ringkasan")
        .expect("summary sheet");
    for (code, figures) in &expected {
        let row = summary
            .rows()
            .find(|r| r[0].get_string() == Some(code.as_str()))
            .unwrap_or_else(|| panic!("regency {code} in the workbook"));
        assert_eq!(
            row[2].get_float(),
            Some(figures.villages as f64),
            "{code} villages"
        );
        assert_eq!(
            row[3].get_float(),
            Some(figures.households_1000hpk as f64),
            "{code} households"
        );
    }
    let coverage = workbook.worksheet_range("Cakupan").expect("coverage sheet");
    for (code, figures) in &expected {
        for (indicator, (received, applicable)) in &figures.coverage {
            let row = coverage
                .rows()
                .find(|r| {
                    r[0].get_string() == Some(code.as_str())
                        && r[2].get_string() == Some(indicator.as_str())
                })
                .unwrap_or_else(|| panic!("{code} {indicator} in the coverage sheet"));
            assert_eq!(
                (row[4].get_float(), row[5].get_float()),
                (Some(*received as f64), Some(*applicable as f64)),
                "{code} {indicator}"
            );
        }
    }
}
