//! The province's overview as an Excel workbook: one row per regency, the same figures as
//! the screen (`konvergen_shared::district::overview_row`), numbers as numbers so the
//! province can sort and sum them itself.

use konvergen_shared::actions::Status;
use konvergen_shared::district::{Overview, OverviewRow};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::export::percent;

/// A cell of a row: text, a number, or nothing (no figure).
enum Cell {
    Text(String),
    Number(Option<f64>),
}

/// The headers and cells of one row, in the same order.
fn cells(overview: &Overview, row: &OverviewRow) -> Vec<(String, Cell)> {
    let year = overview.year;
    let number = |value: u64| Cell::Number(Some(value as f64));
    let rupiah = |value: i64| Cell::Number(Some(value as f64));
    let mut cells = vec![
        ("Kode".to_owned(), Cell::Text(row.regency_code.clone())),
        ("Kabupaten/kota".to_owned(), Cell::Text(row.name.clone())),
        (
            "Status".to_owned(),
            Cell::Text(status_label(row.status).to_owned()),
        ),
        (
            "Kelengkapan (%)".to_owned(),
            Cell::Number(percent(row.completeness)),
        ),
    ];
    for action in &row.actions {
        let ratio = action.evidenced;
        let header = format!("Aksi {} (butir wajib berbukti)", action.number);
        cells.push((header, Cell::Text(format!("{}/{}", ratio.num, ratio.den))));
    }
    cells.extend([
        ("Bukti (tautan dan berkas)".to_owned(), number(row.evidence)),
        ("Kiriman terlambat".to_owned(), number(row.late_parts)),
        (
            "Instansi belum lengkap".to_owned(),
            number(row.agencies_owing),
        ),
        (
            format!("Pagu {year} (Rp)"),
            rupiah(row.budget_year.allocation_rp),
        ),
        (
            format!("Realisasi {year} (Rp)"),
            rupiah(row.budget_year.realisation_rp),
        ),
        (
            format!("Pagu {} (Rp)", year + 1),
            rupiah(row.budget_next_year.allocation_rp),
        ),
        ("Inovasi".to_owned(), number(row.innovations)),
        (
            "RT paket lengkap (%)".to_owned(),
            Cell::Number(percent(row.households_complete)),
        ),
        (
            "TKD total (%)".to_owned(),
            Cell::Number(percent(row.tkd_total)),
        ),
        (
            "Stunting (%)".to_owned(),
            Cell::Number(percent(row.stunting.ratio())),
        ),
        (
            format!("Stunting {} (%)", overview.quarter_before.year),
            Cell::Number(percent(row.stunting_before.ratio())),
        ),
        (
            "Perubahan stunting (poin persen)".to_owned(),
            Cell::Number(row.stunting_change_per_mille.map(|v| v as f64 / 10.0)),
        ),
    ]);
    cells
}

/// The status in the words of the overview: a draft has not been sent yet.
fn status_label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Belum dikirim",
        other => other.label_id(),
    }
}

/// A workbook with one sheet, "Ikhtisar", one row per regency by code.
pub fn xlsx(overview: &Overview) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Ikhtisar")?;
    let bold = Format::new().set_bold();
    for (index, row) in overview.rows.iter().enumerate() {
        let line = index as u32 + 1;
        for (col, (header, cell)) in cells(overview, row).into_iter().enumerate() {
            if index == 0 {
                sheet.write_string_with_format(0, col as u16, header, &bold)?;
            }
            write(sheet, line, col as u16, cell)?;
        }
    }
    workbook.save_to_buffer()
}

fn write(sheet: &mut Worksheet, line: u32, col: u16, cell: Cell) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => {
            sheet.write_string(line, col, text)?;
        }
        Cell::Number(Some(value)) => {
            sheet.write_number(line, col, value)?;
        }
        Cell::Number(None) => {}
    }
    Ok(())
}
