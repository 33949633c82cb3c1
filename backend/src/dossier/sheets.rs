//! The dossier workbook: one sheet per part of what the coordinator presents
//! (`docs/penilaian-kinerja.md` §3), in the style of the aggregate export: Indonesian
//! headers, numbers as numbers, amounts in a rupiah number format.

use std::collections::HashSet;

use konvergen_shared::actions::{FileMeta, ItemPosition, ItemState};
use konvergen_shared::aggregates::{AggregateReport, AggregateRow};
use konvergen_shared::district::{BudgetLine, BudgetSum, BudgetTotals, Innovation, budget_totals};
use konvergen_shared::recap::Ratio;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::db::DistrictYear;
use crate::export::percent;

/// The formats every sheet uses.
struct Formats {
    bold: Format,
    rupiah: Format,
    wrapped: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            bold: Format::new().set_bold(),
            rupiah: Format::new().set_num_format("\"Rp\" #,##0"),
            wrapped: Format::new().set_text_wrap(),
        }
    }
}

/// The workbook of `dossier` with the outcome figures of each quarter in `outcomes`.
pub fn workbook(
    dossier: &DistrictYear,
    outcomes: &[AggregateReport],
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    status_sheet(workbook.add_worksheet(), dossier, &formats)?;
    budget_sheet(workbook.add_worksheet(), &dossier.budget_lines, &formats)?;
    innovation_sheet(workbook.add_worksheet(), &dossier.innovations, &formats)?;
    outcome_sheet(workbook.add_worksheet(), outcomes, &formats)?;
    workbook.save_to_buffer()
}

fn header(sheet: &mut Worksheet, row: u32, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *name, bold)?;
    }
    Ok(())
}

fn widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    Ok(())
}

const ITEM_COLUMNS: [&str; 10] = [
    "Aksi",
    "Nama aksi",
    "Kode butir",
    "Butir bukti",
    "Wajib",
    "Status butir",
    "Tautan",
    "Jumlah berkas",
    "Nama berkas",
    "Instansi yang berkontribusi",
];

/// Row of the item table's header; the rows above name the regency, year and status.
const ITEM_HEADER_ROW: u32 = 4;

/// "Status aksi": the checklist's status, then every evidence item of the catalogue.
fn status_sheet(
    sheet: &mut Worksheet,
    dossier: &DistrictYear,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Status aksi")?;
    let regency = format!("{} ({})", dossier.regency_name, dossier.regency_code);
    sheet.write_string_with_format(0, 0, "Kabupaten/kota", &formats.bold)?;
    sheet.write_string(0, 1, &regency)?;
    sheet.write_string_with_format(1, 0, "Tahun", &formats.bold)?;
    sheet.write_number(1, 1, f64::from(dossier.year))?;
    sheet.write_string_with_format(2, 0, "Status daftar periksa", &formats.bold)?;
    sheet.write_string(2, 1, dossier.checklist.status.label_id())?;
    header(sheet, ITEM_HEADER_ROW, &ITEM_COLUMNS, &formats.bold)?;
    for (index, position) in dossier.catalogue.positions().enumerate() {
        item_row(
            sheet,
            ITEM_HEADER_ROW + 1 + index as u32,
            dossier,
            position,
            formats,
        )?;
    }
    widths(
        sheet,
        &[6.0, 30.0, 10.0, 50.0, 7.0, 24.0, 40.0, 8.0, 40.0, 40.0],
    )
}

fn item_row(
    sheet: &mut Worksheet,
    row: u32,
    dossier: &DistrictYear,
    position: ItemPosition<'_>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let (action, item) = (position.action, position.item);
    let state = dossier.checklist.item(&item.key);
    let files = state.map_or(&[][..], |s| s.files.as_slice());
    let links = state.map(|s| s.links.join("\n")).unwrap_or_default();
    sheet.write_number(row, 0, f64::from(action.number))?;
    sheet.write_string(row, 1, &action.name_id)?;
    sheet.write_string(row, 2, &item.key)?;
    sheet.write_string(row, 3, &item.label_id)?;
    sheet.write_string(row, 4, if item.required { "Ya" } else { "Tidak" })?;
    sheet.write_string(row, 5, item_status(state))?;
    sheet.write_string_with_format(row, 6, &links, &formats.wrapped)?;
    sheet.write_number(row, 7, files.len() as f64)?;
    let names = file_names(files, &dossier.present);
    sheet.write_string_with_format(row, 8, &names, &formats.wrapped)?;
    sheet.write_string(row, 9, contributors(dossier, &item.key))?;
    Ok(())
}

/// Whether the item is evidenced (done and backed by a link or file), in Indonesian.
pub fn item_status(state: Option<&ItemState>) -> &'static str {
    match state {
        Some(state) if state.evidenced() => "Selesai, ada bukti",
        Some(state) if state.done => "Selesai, belum ada bukti",
        Some(state) if state.has_evidence() => "Belum selesai, ada bukti",
        _ => "Belum dikerjakan",
    }
}

/// One name a line, marked when the content has not reached the server yet.
fn file_names(files: &[FileMeta], present: &HashSet<String>) -> String {
    let names: Vec<String> = files
        .iter()
        .map(|file| {
            if present.contains(&file.sha256.to_ascii_lowercase()) {
                file.name.clone()
            } else {
                format!("{} (belum tiba)", file.name)
            }
        })
        .collect();
    names.join("\n")
}

/// The agencies with a contribution to the item, each once, by name.
fn contributors(dossier: &DistrictYear, key: &str) -> String {
    let mut agencies: Vec<&str> = dossier
        .contributions
        .iter()
        .filter(|part| part.item_key == key)
        .map(|part| part.agency.as_str())
        .collect();
    agencies.sort_unstable();
    agencies.dedup();
    agencies.join("; ")
}

const BUDGET_COLUMNS: [&str; 10] = [
    "Instansi",
    "Tahun anggaran",
    "Program",
    "Kegiatan",
    "Sub kegiatan",
    "Jenis intervensi",
    "Sumber dana",
    "Pagu (Rp)",
    "Realisasi (Rp)",
    "Aksi",
];

const TOTAL_COLUMNS: [&str; 5] = [
    "Total menurut",
    "Kelompok",
    "Jumlah baris",
    "Pagu (Rp)",
    "Realisasi (Rp)",
];

/// "Anggaran": every budget line, then one row per total, one empty row between.
fn budget_sheet(
    sheet: &mut Worksheet,
    lines: &[BudgetLine],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Anggaran")?;
    header(sheet, 0, &BUDGET_COLUMNS, &formats.bold)?;
    for (index, line) in lines.iter().enumerate() {
        budget_row(sheet, index as u32 + 1, line, formats)?;
    }
    let first = lines.len() as u32 + 2;
    header(sheet, first, &TOTAL_COLUMNS, &formats.bold)?;
    for (index, total) in total_rows(&budget_totals(lines)).iter().enumerate() {
        total_row(sheet, first + 1 + index as u32, total, formats)?;
    }
    widths(
        sheet,
        &[30.0, 10.0, 40.0, 40.0, 40.0, 22.0, 12.0, 18.0, 18.0, 8.0],
    )
}

fn budget_row(
    sheet: &mut Worksheet,
    row: u32,
    line: &BudgetLine,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, &line.agency)?;
    sheet.write_number(row, 1, f64::from(line.fiscal_year))?;
    sheet.write_string(row, 2, &line.programme)?;
    sheet.write_string(row, 3, &line.activity)?;
    sheet.write_string(row, 4, &line.sub_activity)?;
    sheet.write_string(row, 5, line.intervention.label_id())?;
    sheet.write_string(row, 6, line.source.label_id())?;
    sheet.write_number_with_format(row, 7, line.allocation_rp as f64, &formats.rupiah)?;
    // An unknown realisation stays empty rather than showing as zero spent.
    if let Some(realised) = line.realisation_rp {
        sheet.write_number_with_format(row, 8, realised as f64, &formats.rupiah)?;
    }
    let actions: Vec<String> = line.actions.iter().map(u8::to_string).collect();
    sheet.write_string(row, 9, actions.join(", "))?;
    Ok(())
}

/// What a total row is grouped by: a name, or a fiscal year (written as a number).
enum Group {
    Name(String),
    Year(i32),
}

/// Every total in the order the presentation shows them, the whole last.
fn total_rows(totals: &BudgetTotals) -> Vec<(&'static str, Group, BudgetSum)> {
    let mut rows = Vec::new();
    for (agency, sum) in &totals.by_agency {
        rows.push(("Instansi", Group::Name(agency.clone()), *sum));
    }
    for (year, sum) in &totals.by_fiscal_year {
        rows.push(("Tahun anggaran", Group::Year(*year), *sum));
    }
    for (source, sum) in &totals.by_source {
        rows.push(("Sumber dana", Group::Name(source.label_id().into()), *sum));
    }
    for (kind, sum) in &totals.by_intervention {
        rows.push((
            "Jenis intervensi",
            Group::Name(kind.label_id().into()),
            *sum,
        ));
    }
    rows.push(("Semua", Group::Name(String::new()), totals.all));
    rows
}

fn total_row(
    sheet: &mut Worksheet,
    row: u32,
    (by, group, sum): &(&'static str, Group, BudgetSum),
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, *by)?;
    match group {
        Group::Name(name) => sheet.write_string(row, 1, name)?,
        Group::Year(year) => sheet.write_number(row, 1, f64::from(*year))?,
    };
    sheet.write_number(row, 2, sum.lines as f64)?;
    sheet.write_number_with_format(row, 3, sum.allocation_rp as f64, &formats.rupiah)?;
    sheet.write_number_with_format(row, 4, sum.realisation_rp as f64, &formats.rupiah)?;
    Ok(())
}

const INNOVATION_COLUMNS: [&str; 7] = [
    "Judul",
    "Instansi",
    "Tahun mulai",
    "Sasaran",
    "Uraian",
    "Hasil",
    "Jumlah foto",
];

/// "Inovasi": one row per innovation.
fn innovation_sheet(
    sheet: &mut Worksheet,
    innovations: &[Innovation],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Inovasi")?;
    header(sheet, 0, &INNOVATION_COLUMNS, &formats.bold)?;
    for (index, idea) in innovations.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, &idea.title)?;
        sheet.write_string(row, 1, &idea.agency)?;
        sheet.write_number(row, 2, f64::from(idea.year_started))?;
        sheet.write_string(row, 3, &idea.target_group)?;
        sheet.write_string_with_format(row, 4, &idea.description, &formats.wrapped)?;
        sheet.write_string_with_format(row, 5, &idea.results, &formats.wrapped)?;
        sheet.write_number(row, 6, idea.photos.len() as f64)?;
    }
    widths(sheet, &[30.0, 30.0, 10.0, 25.0, 50.0, 50.0, 8.0])
}

const OUTCOME_COLUMNS: [&str; 6] = [
    "Triwulan",
    "Ukuran",
    "Keterangan",
    "Pembilang",
    "Penyebut",
    "Persen (%)",
];

/// One outcome figure: a count, or a ratio with its percentage.
struct Figure<'a> {
    measure: &'a str,
    note: &'a str,
    num: u64,
    den: Option<u64>,
}

fn ratio<'a>(measure: &'a str, note: &'a str, ratio: Ratio) -> Figure<'a> {
    Figure {
        measure,
        note,
        num: ratio.num,
        den: Some(ratio.den),
    }
}

/// The regency's figures of one quarter, read from the aggregate report's area row.
fn figures(area: &AggregateRow) -> Vec<Figure<'_>> {
    let measured = &area.anthropometry;
    let mut rows = vec![
        ratio(
            "TKD ibu hamil",
            "Tingkat konvergensi desa: ibu hamil",
            area.tkd_pregnant,
        ),
        ratio(
            "TKD anak 0-23 bln",
            "Tingkat konvergensi desa: anak 0-23 bulan",
            area.tkd_children,
        ),
        ratio(
            "TKD total",
            "Tingkat konvergensi desa: ibu hamil dan anak 0-23 bulan",
            area.tkd_total,
        ),
        ratio(
            "RT paket lengkap",
            "Rumah tangga 1000 HPK yang menerima paket layanan lengkap",
            area.households_complete,
        ),
        ratio(
            "Stunting",
            "Anak TB/U di bawah -2 SD di antara anak diukur (nilai tidak wajar dikecualikan)",
            measured.stunting.ratio(),
        ),
        Figure {
            measure: "Anak diukur",
            note: "Anak dengan pengukuran dalam triwulan",
            num: measured.children_measured,
            den: None,
        },
    ];
    rows.extend(
        area.coverage
            .iter()
            .map(|c| ratio(c.indicator.code(), c.indicator.label_id(), c.ratio())),
    );
    rows
}

/// "Capaian": the figures of each quarter, from the same report as `/api/v1/aggregates`.
fn outcome_sheet(
    sheet: &mut Worksheet,
    outcomes: &[AggregateReport],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Capaian")?;
    header(sheet, 0, &OUTCOME_COLUMNS, &formats.bold)?;
    let mut row = 1;
    for report in outcomes {
        let quarter = format!("{}-T{}", report.quarter.year, report.quarter.quarter);
        for figure in figures(&report.area) {
            sheet.write_string(row, 0, &quarter)?;
            sheet.write_string(row, 1, figure.measure)?;
            sheet.write_string(row, 2, figure.note)?;
            sheet.write_number(row, 3, figure.num as f64)?;
            if let Some(den) = figure.den {
                sheet.write_number(row, 4, den as f64)?;
                let share = percent(Ratio::new(figure.num, den));
                if let Some(share) = share {
                    sheet.write_number(row, 5, share)?;
                }
            }
            row += 1;
        }
    }
    widths(sheet, &[10.0, 20.0, 60.0, 10.0, 10.0, 10.0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_counts_as_evidenced_only_when_done_with_a_link_or_file() {
        let linked = ItemState {
            links: vec!["https://dokumen.example/sk.pdf".into()],
            ..ItemState::default()
        };
        assert_eq!(item_status(None), "Belum dikerjakan");
        assert_eq!(item_status(Some(&linked)), "Belum selesai, ada bukti");
        let done = ItemState {
            done: true,
            ..ItemState::default()
        };
        assert_eq!(item_status(Some(&done)), "Selesai, belum ada bukti");
        let evidenced = ItemState {
            done: true,
            ..linked
        };
        assert_eq!(item_status(Some(&evidenced)), "Selesai, ada bukti");
    }
}
