//! CSV and XLSX versions of the aggregate report: Indonesian headers, numbers as numbers,
//! one sheet per table.

use konvergen_shared::actions::panel_views::RankingView;
use konvergen_shared::aggregates::{AggregateReport, AggregateRow};
use konvergen_shared::recap::{Indicator, Ratio};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Columns of the summary table: header and how to read it from a row.
type Column = (&'static str, fn(&AggregateRow) -> Option<f64>);

/// A ratio as a percentage with one decimal, as every export writes it.
pub(crate) fn percent(ratio: Ratio) -> Option<f64> {
    ratio.percent().map(|p| (p * 10.0).round() / 10.0)
}

const SUMMARY: &[Column] = &[
    ("Jumlah desa", |r| Some(r.villages as f64)),
    ("RT 1000 HPK", |r| Some(r.households_1000hpk as f64)),
    ("TKD ibu hamil (%)", |r| percent(r.tkd_pregnant)),
    ("TKD anak 0-23 bln (%)", |r| percent(r.tkd_children)),
    ("TKD total (%)", |r| percent(r.tkd_total)),
    ("RT paket lengkap (%)", |r| percent(r.households_complete)),
    ("Anak diukur", |r| {
        Some(r.anthropometry.children_measured as f64)
    }),
    ("Stunting (%)", |r| {
        percent(r.anthropometry.stunting.ratio())
    }),
    ("Underweight (%)", |r| {
        percent(r.anthropometry.underweight.ratio())
    }),
    ("Wasting (%)", |r| percent(r.anthropometry.wasting.ratio())),
    ("Nilai tidak wajar dikecualikan (TB/U)", |r| {
        Some(r.anthropometry.stunting.flagged_excluded as f64)
    }),
    ("Perangkat", |r| Some(r.freshness.devices as f64)),
    ("Perangkat sinkron setelah triwulan", |r| {
        Some(r.freshness.synced_since_quarter_end as f64)
    }),
    ("Data tertunda di ponsel", |r| {
        Some(r.freshness.pending_reported as f64)
    }),
];

/// All rows then the area total.
fn lines(report: &AggregateReport) -> Vec<&AggregateRow> {
    report
        .rows
        .iter()
        .chain(std::iter::once(&report.area))
        .collect()
}

fn coverage_value(row: &AggregateRow, indicator: Indicator) -> Option<f64> {
    row.coverage
        .iter()
        .find(|c| c.indicator == indicator)
        .and_then(|c| percent(c.ratio()))
}

/// The summary and the coverage of every indicator as one CSV table.
pub fn csv(report: &AggregateReport) -> String {
    let mut header = vec!["Kode wilayah".to_owned(), "Wilayah".to_owned()];
    header.extend(SUMMARY.iter().map(|(name, _)| (*name).to_owned()));
    header.extend(Indicator::ALL.iter().map(|i| format!("{} (%)", i.code())));
    let mut out = csv_line(&header);
    for row in lines(report) {
        let mut cells = vec![text_cell(&row.code), text_cell(&row.name)];
        cells.extend(SUMMARY.iter().map(|(_, read)| number(read(row))));
        cells.extend(
            Indicator::ALL
                .iter()
                .map(|i| number(coverage_value(row, *i))),
        );
        out.push_str(&csv_line(&cells));
    }
    out
}

/// User-typed text as a CSV cell that a spreadsheet will not run: a cell starting with
/// `= + - @`, a tab or a carriage return is read as a formula by Excel and LibreOffice, so it
/// gets a leading apostrophe (OWASP's advice on CSV injection).
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|v| format!("{v}")).unwrap_or_default()
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

/// A workbook with the sheets "Ringkasan" (summary) and "Cakupan" (coverage, received and
/// applicable per indicator).
pub fn xlsx(report: &AggregateReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let summary = workbook.add_worksheet().set_name("Ringkasan")?;
    summary.write_string_with_format(0, 0, "Kode wilayah", &bold)?;
    summary.write_string_with_format(0, 1, "Wilayah", &bold)?;
    for (col, (name, _)) in SUMMARY.iter().enumerate() {
        summary.write_string_with_format(0, col as u16 + 2, *name, &bold)?;
    }
    for (index, row) in lines(report).into_iter().enumerate() {
        let line = index as u32 + 1;
        summary.write_string(line, 0, &row.code)?;
        summary.write_string(line, 1, &row.name)?;
        for (col, (_, read)) in SUMMARY.iter().enumerate() {
            if let Some(value) = read(row) {
                summary.write_number(line, col as u16 + 2, value)?;
            }
        }
    }
    let coverage = workbook.add_worksheet().set_name("Cakupan")?;
    for (col, name) in [
        "Kode wilayah",
        "Wilayah",
        "Indikator",
        "Keterangan",
        "Menerima",
        "Sasaran",
        "Cakupan (%)",
    ]
    .iter()
    .enumerate()
    {
        coverage.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    let mut line = 1;
    for row in lines(report) {
        for item in &row.coverage {
            coverage.write_string(line, 0, &row.code)?;
            coverage.write_string(line, 1, &row.name)?;
            coverage.write_string(line, 2, item.indicator.code())?;
            coverage.write_string(line, 3, item.indicator.label_id())?;
            coverage.write_number(line, 4, item.received as f64)?;
            coverage.write_number(line, 5, item.applicable as f64)?;
            if let Some(value) = percent(item.ratio()) {
                coverage.write_number(line, 6, value)?;
            }
            line += 1;
        }
    }
    workbook.save_to_buffer()
}

/// The year's ranking as a workbook ("Peringkat"): a title, whether it is published, then a
/// block per category with rank, district, each component's score, the total and how many
/// assessors scored; scores are numbers with two decimals.
pub fn ranking_xlsx(view: &RankingView) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let score = Format::new().set_num_format("0.00");
    let sheet = workbook.add_worksheet().set_name("Peringkat")?;
    let title = format!(
        "Peringkat Penilaian Kinerja 8 Aksi Konvergensi tahun {} - {}",
        view.year, view.province
    );
    sheet.write_string_with_format(0, 0, &title, &bold)?;
    let state = match &view.publication {
        Some(p) => format!(
            "Diumumkan oleh {} (rubrik versi {})",
            p.published_by, p.rubric_version
        ),
        None => "Sementara: belum diumumkan".to_owned(),
    };
    sheet.write_string(1, 0, &state)?;
    let mut headers = vec![
        "Kategori".to_owned(),
        "Peringkat".to_owned(),
        "Kode".to_owned(),
        "Kabupaten/kota".to_owned(),
    ];
    headers.extend(
        view.rubric
            .components
            .iter()
            .map(|c| format!("{} ({}%)", c.label.id, c.weight)),
    );
    headers.extend(["Nilai akhir".to_owned(), "Jumlah penilai".to_owned()]);
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(3, col as u16, name, &bold)?;
    }
    let mut line = 4;
    for group in &view.groups {
        for entry in &group.lines {
            sheet.write_string(line, 0, text_cell(&group.label.id))?;
            sheet.write_number(line, 1, f64::from(entry.rank))?;
            sheet.write_string(line, 2, &entry.regency_code)?;
            sheet.write_string(line, 3, text_cell(&entry.name))?;
            let mut col = 4;
            for component in &view.rubric.components {
                let value = entry
                    .score
                    .components
                    .get(&component.key)
                    .copied()
                    .unwrap_or(0);
                sheet.write_number_with_format(line, col, f64::from(value) / 100.0, &score)?;
                col += 1;
            }
            sheet.write_number_with_format(
                line,
                col,
                f64::from(entry.score.total) / 100.0,
                &score,
            )?;
            sheet.write_number(line, col + 1, f64::from(entry.assessors))?;
            line += 1;
        }
    }
    sheet.set_column_width(3, 32)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised() {
        for formula in ["=1+1", "+62", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(text_cell(formula), format!("'{formula}"));
        }
        assert_eq!(text_cell("Desa Sungai Sipai"), "Desa Sungai Sipai");
        assert_eq!(
            csv_line(&[text_cell("=HYPERLINK(\"x\")")]),
            "\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        );
    }
}
