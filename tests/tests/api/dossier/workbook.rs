//! The dossier workbook read back with calamine: every evidence item of the catalogue, the
//! budget lines with totals that add up to them, and the figures of `/api/v1/aggregates`.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use konvergen_shared::actions::Catalogue;
use konvergen_shared::aggregates::AggregateReport;
use konvergen_shared::district::{BudgetLine, budget_totals};
use konvergen_tests::TestServer;

use super::{BANJAR, DINKES, DPMD, Files, Team, YEAR, download, files, fill};

fn text(row: &[Data], col: usize) -> String {
    row.get(col).map(ToString::to_string).unwrap_or_default()
}

fn number(row: &[Data], col: usize) -> Option<f64> {
    row.get(col).and_then(DataType::get_float)
}

fn rows(sheet: &calamine::Range<Data>) -> Vec<&[Data]> {
    sheet.rows().collect()
}

#[tokio::test]
async fn the_workbook_holds_every_item_the_budget_with_its_totals_and_the_aggregate_figures() {
    let server = TestServer::start_demo().await.expect("server");
    crate::aggregates::seed(&server).await;
    let team = Team::login(&server).await;
    let files = files();
    let lines = fill(&server, &team, &files).await;
    let response = download(&server, &team.coordinator, BANJAR, YEAR, "dossier.xlsx").await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("bytes").to_vec();
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("opens as xlsx");
    assert_eq!(
        workbook.sheet_names(),
        ["Status aksi", "Anggaran", "Inovasi", "Capaian"]
    );

    check_status(
        &workbook.worksheet_range("Status aksi").expect("sheet"),
        &files,
    );
    check_budget(
        &workbook.worksheet_range("Anggaran").expect("sheet"),
        &lines,
    );
    let ideas = workbook.worksheet_range("Inovasi").expect("sheet");
    let idea = rows(&ideas)[1];
    assert_eq!(
        (text(idea, 0), text(idea, 1)),
        ("Desa Bebas Stunting".into(), DPMD.into())
    );
    assert_eq!(
        (number(idea, 2), number(idea, 6)),
        (Some(2024.0), Some(2.0))
    );
    let outcomes = workbook.worksheet_range("Capaian").expect("sheet");
    check_outcomes(&server, &team.coordinator, &rows(&outcomes)).await;
}

fn check_status(sheet: &calamine::Range<Data>, files: &Files) {
    let rows = rows(sheet);
    let status = rows
        .iter()
        .find(|r| text(r, 0) == "Status daftar periksa")
        .expect("status row");
    assert_eq!(text(status, 1), "Draf");
    let header = rows
        .iter()
        .position(|r| text(r, 0) == "Aksi")
        .expect("header");
    let items = &rows[header + 1..];
    let catalogue = Catalogue::default_for(YEAR);
    let expected: Vec<String> = catalogue.positions().map(|p| p.item.key.clone()).collect();
    let listed: Vec<String> = items.iter().map(|r| text(r, 2)).collect();
    assert_eq!(
        listed, expected,
        "every evidence item of the catalogue, in order"
    );
    let first = items[0];
    assert_eq!(
        (text(first, 4), text(first, 5)),
        ("Ya".into(), "Selesai, ada bukti".into())
    );
    assert_eq!(number(first, 7), Some(2.0));
    assert!(
        text(first, 8).contains(&files.analysis.0.name),
        "{}",
        text(first, 8)
    );
    assert_eq!(text(first, 9), DINKES);
    let second = items
        .iter()
        .find(|r| text(r, 2) == catalogue.actions[1].evidence[0].key)
        .expect("second item");
    assert_eq!(text(second, 5), "Belum selesai, ada bukti");
    assert_eq!(number(second, 7), Some(3.0));
    assert!(
        text(second, 8).contains("belum.pdf (belum tiba)"),
        "{}",
        text(second, 8)
    );
    assert_eq!(text(items[2], 5), "Belum dikerjakan");
}

/// (agency, fiscal year, allocation, realisation) of each line, then the total rows as
/// (grouped by, group, lines, allocation, realisation).
type Totals = Vec<(String, String, f64, f64, f64)>;

fn read_budget(sheet: &calamine::Range<Data>) -> (Vec<(String, f64, f64, f64)>, Totals) {
    let rows = rows(sheet);
    let gap = rows
        .iter()
        .position(|r| text(r, 0).is_empty())
        .expect("a gap after the lines");
    let lines = rows[1..gap]
        .iter()
        .map(|r| {
            (
                text(r, 0),
                number(r, 1).expect("year"),
                number(r, 7).expect("number"),
                number(r, 8).unwrap_or(0.0),
            )
        })
        .collect();
    assert_eq!(text(rows[gap + 1], 0), "Total menurut");
    let totals = rows[gap + 2..]
        .iter()
        .map(|r| {
            (
                text(r, 0),
                text(r, 1),
                number(r, 2).expect("n"),
                number(r, 3).expect("rp"),
                number(r, 4).expect("rp"),
            )
        })
        .collect();
    (lines, totals)
}

fn check_budget(sheet: &calamine::Range<Data>, sent: &[BudgetLine]) {
    let (lines, totals) = read_budget(sheet);
    assert_eq!(
        lines.len(),
        sent.len(),
        "the year before is not in this dossier"
    );
    let allocated: f64 = lines.iter().map(|l| l.2).sum();
    let realised: f64 = lines.iter().map(|l| l.3).sum();
    let whole = budget_totals(sent).all;
    assert_eq!(
        (allocated, realised),
        (whole.allocation_rp as f64, whole.realisation_rp as f64)
    );
    for by in [
        "Instansi",
        "Tahun anggaran",
        "Sumber dana",
        "Jenis intervensi",
        "Semua",
    ] {
        let group: Vec<_> = totals.iter().filter(|t| t.0 == by).collect();
        assert!(!group.is_empty(), "totals by {by}");
        let sum = |pick: fn(&(String, String, f64, f64, f64)) -> f64| {
            group.iter().map(|t| pick(t)).sum::<f64>()
        };
        assert_eq!(sum(|t| t.2), lines.len() as f64, "{by}");
        assert_eq!(
            (sum(|t| t.3), sum(|t| t.4)),
            (allocated, realised),
            "totals by {by} add up to the lines"
        );
    }
    let dinkes = totals
        .iter()
        .find(|t| t.0 == "Instansi" && t.1 == DINKES)
        .expect("dinkes");
    let own: f64 = lines.iter().filter(|l| l.0 == DINKES).map(|l| l.2).sum();
    assert_eq!(dinkes.3, own);
    let next_year = totals
        .iter()
        .find(|t| t.0 == "Tahun anggaran" && t.1 == (YEAR + 1).to_string())
        .expect("next year");
    let planned: f64 = lines
        .iter()
        .filter(|l| l.1 == f64::from(YEAR + 1))
        .map(|l| l.2)
        .sum();
    assert_eq!((next_year.3, next_year.4), (planned, 0.0));
}

/// (numerator, denominator) of a figure of the sheet.
fn figure(rows: &[&[Data]], quarter: &str, measure: &str) -> (Option<f64>, Option<f64>) {
    let row = rows
        .iter()
        .find(|r| text(r, 0) == quarter && text(r, 1) == measure);
    let row = row.unwrap_or_else(|| panic!("{measure} of {quarter}"));
    (number(row, 3), number(row, 4))
}

async fn check_outcomes(server: &TestServer, token: &str, rows: &[&[Data]]) {
    assert_eq!(text(rows[0], 0), "Triwulan");
    let mut quarters: Vec<String> = rows[1..].iter().map(|r| text(r, 0)).collect();
    quarters.dedup();
    assert_eq!(quarters.first().map(String::as_str), Some("2026-T1"));
    for (index, label) in quarters.iter().enumerate() {
        let path = format!(
            "/api/v1/aggregates?area={BANJAR}&year={YEAR}&quarter={}",
            index + 1
        );
        let report: AggregateReport = server
            .get(token, &path)
            .send()
            .await
            .expect("aggregates")
            .json()
            .await
            .expect("json");
        assert_eq!(*label, format!("{YEAR}-T{}", report.quarter.quarter));
        let area = &report.area;
        let pair = |num: u64, den: u64| (Some(num as f64), Some(den as f64));
        assert_eq!(
            figure(rows, label, "TKD total"),
            pair(area.tkd_total.num, area.tkd_total.den)
        );
        let complete = area.households_complete;
        assert_eq!(
            figure(rows, label, "RT paket lengkap"),
            pair(complete.num, complete.den)
        );
        let stunting = area.anthropometry.stunting.ratio();
        assert_eq!(
            figure(rows, label, "Stunting"),
            pair(stunting.num, stunting.den)
        );
        let measured = area.anthropometry.children_measured as f64;
        assert_eq!(figure(rows, label, "Anak diukur"), (Some(measured), None));
        for coverage in &area.coverage {
            let code = coverage.indicator.code();
            assert_eq!(
                figure(rows, label, code),
                pair(coverage.received, coverage.applicable),
                "{code}"
            );
        }
    }
    // The seed's two measured children, one stunted, are in the first quarter.
    assert_eq!(figure(rows, "2026-T1", "Stunting"), (Some(1.0), Some(2.0)));
}
