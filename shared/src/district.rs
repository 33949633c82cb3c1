//! What the agencies of a regency's team send for one assessed year
//! (`docs/penilaian-kinerja.md` §3): their stunting budget lines for two fiscal years, their
//! flagship innovations with photos, and their part of each evidence item. Each is a record
//! of its own that syncs like a cadre's (`EntityKind::BudgetLine`, `Innovation`,
//! `Contribution`), placed at the regency's code, so two agencies never touch the same record
//! and the same record edited twice offline becomes a conflict in the review queue.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::actions::evidence::{
    FileMeta, MAX_ATTACHMENTS, MAX_NOTE_CHARS, check_files, check_links_and_files,
};
use crate::api::FieldError;
use crate::region::{Level, RegionCode};
use crate::validate::ValidationErrors;

mod accounts;
mod assignment;
mod board;
mod budget;
mod ids;
mod overview;

pub use accounts::{
    AccountState, MAX_PASSWORD_BYTES, MAX_USERNAME_BYTES, MIN_PASSWORD_CHARS, NewTeamAccount,
    PasswordReset, TeamAccount, check_password,
};
pub use assignment::{Assignment, MAX_AGENCIES_PER_ITEM, items_of};
pub use board::{AgencyProgress, Board, Part, StoredPart, board};
pub use budget::{BudgetSum, BudgetTotals, budget_totals, totals_by, totals_by_fiscal_year};
pub use ids::{assignment_id, contribution_id, deadline_id};
pub use overview::{
    ActionProgress, Column, Overview, OverviewRow, RowParts, change_per_mille, outcome_quarter,
    overview_row, sort_rows, year_before,
};

/// First year the 8 actions were assessed.
pub const FIRST_YEAR: i32 = 2018;
/// Longest agency name (the full names run to about 120 characters).
pub const MAX_AGENCY_CHARS: usize = 160;
/// Longest programme, activity or sub-activity name of the budget nomenclature.
pub const MAX_NOMENCLATURE_CHARS: usize = 300;
/// Longest title.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest description, result or account text.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Largest amount accepted, in rupiah (10 trillion: far above any regency's whole budget,
/// so a typo of extra zeros is caught).
pub const MAX_RUPIAH: i64 = 10_000_000_000_000;

/// The coordinator's deadline for what the agencies send for one assessed year: a day and
/// hour, kept with its offset (WITA, +08:00, in Kalimantan Selatan). After it an agency can
/// still send; what arrives later is marked late on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// The regency or city.
    pub regency_code: String,
    /// The assessed year.
    pub year: i32,
    /// When the agencies' parts are due.
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: time::OffsetDateTime,
}

impl Deadline {
    /// Checks the regency and the year.
    pub fn validate(&self, current_year: i32) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        check_regency(&mut errors, &self.regency_code);
        year_in_range(&mut errors, "year", self.year, current_year);
        errors.into_result()
    }
}

/// Where a district record belongs: the regency, the assessed year and the sending agency.
/// Every district record starts with these three fields (written out in each: serde's
/// `flatten` does not go with `deny_unknown_fields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement<'a> {
    /// The regency or city, e.g. `63.03`.
    pub regency_code: &'a str,
    /// The assessed year (the work of year N is assessed in N+1).
    pub year: i32,
    /// The agency's name, as on the regency's list.
    pub agency: &'a str,
}

/// The placement fields read from any district record's body (other fields ignored), for
/// the server's rules that do not depend on the kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Head {
    /// The regency or city.
    pub regency_code: String,
    /// The assessed year.
    pub year: i32,
    /// The agency's name.
    pub agency: String,
}

/// The three placement fields of a district record body.
macro_rules! placement_fields {
    ($name:ident) => {
        impl $name {
            /// Regency, assessed year and agency.
            pub fn placement(&self) -> Placement<'_> {
                Placement {
                    regency_code: &self.regency_code,
                    year: self.year,
                    agency: &self.agency,
                }
            }
        }
    };
}

placement_fields!(BudgetLine);
placement_fields!(Innovation);
placement_fields!(Contribution);

/// Kind of intervention a budget line pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intervention {
    /// Specific nutrition intervention (intervensi gizi spesifik).
    Specific,
    /// Sensitive nutrition intervention (intervensi gizi sensitif).
    Sensitive,
    /// Coordination and support (koordinasi dan pendukung).
    Coordination,
}

/// Where the money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// The regency's own budget.
    Apbd,
    /// Special allocation fund.
    Dak,
    /// Village fund.
    DanaDesa,
    /// State budget.
    Apbn,
    /// Companies' social funds and other private money.
    Csr,
    /// Anything else.
    Other,
}

/// One line of an agency's stunting budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    /// The regency or city, e.g. `63.03`.
    pub regency_code: String,
    /// The assessed year.
    pub year: i32,
    /// The agency's name, as on the regency's list.
    pub agency: String,
    /// Fiscal year of the money: the assessed year or the one after.
    pub fiscal_year: i32,
    /// Programme (program) in the regional budget nomenclature.
    pub programme: String,
    /// Activity (kegiatan).
    pub activity: String,
    /// Sub-activity (sub kegiatan).
    #[serde(default)]
    pub sub_activity: String,
    /// Kind of intervention.
    pub intervention: Intervention,
    /// Source of the funds.
    pub source: FundingSource,
    /// Allocation (pagu) in whole rupiah.
    pub allocation_rp: i64,
    /// Realisation in whole rupiah, when known.
    #[serde(default)]
    pub realisation_rp: Option<i64>,
    /// The actions (1-8) it serves.
    #[serde(default)]
    pub actions: Vec<u8>,
}

/// An agency's flagship innovation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Innovation {
    /// The regency or city, e.g. `63.03`.
    pub regency_code: String,
    /// The assessed year.
    pub year: i32,
    /// The agency's name, as on the regency's list.
    pub agency: String,
    /// Its name.
    pub title: String,
    /// Year it started.
    pub year_started: i32,
    /// Who it is for.
    pub target_group: String,
    /// What it does.
    pub description: String,
    /// Results so far (numbers where there are).
    #[serde(default)]
    pub results: String,
    /// Photos of the activity (references; the content goes to the blob store).
    #[serde(default)]
    pub photos: Vec<FileMeta>,
}

/// An agency's part of one evidence item: what it did, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// The regency or city, e.g. `63.03`.
    pub regency_code: String,
    /// The assessed year.
    pub year: i32,
    /// The agency's name, as on the regency's list.
    pub agency: String,
    /// The evidence item of the year's catalogue, e.g. `a1.1`.
    pub item_key: String,
    /// What the agency did for it.
    #[serde(default)]
    pub account: String,
    /// Links to the evidence.
    #[serde(default)]
    pub links: Vec<String>,
    /// Evidence files and photos.
    #[serde(default)]
    pub files: Vec<FileMeta>,
    /// Free note.
    #[serde(default)]
    pub note: String,
    /// Day the work was done.
    #[serde(default)]
    pub done_on: Option<Date>,
}

impl Placement<'_> {
    /// Checks the regency code, the year against `current_year` and the agency name.
    fn check(&self, errors: &mut ValidationErrors, current_year: i32) {
        check_regency(errors, self.regency_code);
        year_in_range(errors, "year", self.year, current_year);
        errors.text("agency", self.agency, MAX_AGENCY_CHARS);
    }
}

pub(crate) fn check_regency(errors: &mut ValidationErrors, text: &str) {
    match RegionCode::parse(text) {
        Ok(code) if code.level() == Level::Regency => {}
        Ok(_) => errors.push(
            "regency_code",
            "not_a_regency",
            "Isi kode kabupaten/kota, mis. 63.03",
            "Enter a regency or city code, e.g. 63.03",
        ),
        Err(err) => errors.add(err.to_field_error("regency_code")),
    }
}

/// Checks an assessed year given on its own (e.g. in a path), by the rule of the records'
/// `year`: from [`FIRST_YEAR`] to `current_year`.
pub fn validate_year(year: i32, current_year: i32) -> Result<(), Vec<FieldError>> {
    let mut errors = ValidationErrors::default();
    year_in_range(&mut errors, "year", year, current_year);
    errors.into_result()
}

/// An assessed year from [`FIRST_YEAR`] to the current one.
pub(crate) fn year_in_range(
    errors: &mut ValidationErrors,
    field: &str,
    year: i32,
    current_year: i32,
) {
    if !(FIRST_YEAR..=current_year).contains(&year) {
        let id = format!("Tahun harus antara {FIRST_YEAR} dan {current_year}");
        let en = format!("The year must be between {FIRST_YEAR} and {current_year}");
        errors.push(field, "out_of_range", &id, &en);
    }
}

pub(crate) fn rupiah(errors: &mut ValidationErrors, field: &str, amount: i64) {
    if amount < 0 {
        errors.push(
            field,
            "negative",
            "Nilai rupiah tidak boleh negatif",
            "An amount in rupiah cannot be negative",
        );
    } else if amount > MAX_RUPIAH {
        errors.push(
            field,
            "too_large",
            "Nilai rupiah terlalu besar: periksa jumlah nolnya",
            "The amount is too large: check the number of zeros",
        );
    }
}

impl BudgetLine {
    /// Checks every field; `current_year` bounds the assessed year.
    pub fn validate(&self, current_year: i32) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        self.placement().check(&mut errors, current_year);
        let year = self.year;
        if self.fiscal_year != year && self.fiscal_year != year + 1 {
            let id = format!("Tahun anggaran {year} atau {}", year + 1);
            let en = format!("Fiscal year {year} or {}", year + 1);
            errors.push("fiscal_year", "out_of_range", &id, &en);
        }
        errors.text("programme", &self.programme, MAX_NOMENCLATURE_CHARS);
        errors.text("activity", &self.activity, MAX_NOMENCLATURE_CHARS);
        errors.max_len("sub_activity", &self.sub_activity, MAX_NOMENCLATURE_CHARS);
        rupiah(&mut errors, "allocation_rp", self.allocation_rp);
        if let Some(realised) = self.realisation_rp {
            rupiah(&mut errors, "realisation_rp", realised);
        }
        if self.actions.iter().any(|n| !(1..=8).contains(n)) {
            errors.push(
                "actions",
                "out_of_range",
                "Nomor aksi 1 sampai 8",
                "Action numbers are 1 to 8",
            );
        }
        errors.into_result()
    }
}

impl Innovation {
    /// Checks every field.
    pub fn validate(&self, current_year: i32) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        self.placement().check(&mut errors, current_year);
        errors.text("title", &self.title, MAX_TITLE_CHARS);
        if !(1945..=current_year).contains(&self.year_started) {
            let id = format!("Tahun mulai paling lambat {current_year}");
            let en = format!("The starting year is {current_year} at the latest");
            errors.push("year_started", "out_of_range", &id, &en);
        }
        errors.text("target_group", &self.target_group, MAX_TITLE_CHARS);
        errors.text("description", &self.description, MAX_TEXT_CHARS);
        errors.max_len("results", &self.results, MAX_TEXT_CHARS);
        check_files(&mut errors, "photos", &self.photos);
        errors.into_result()
    }
}

impl Contribution {
    /// Checks every field (whether `item_key` is in the year's catalogue is the server's
    /// check, which holds the catalogues).
    pub fn validate(&self, current_year: i32, today: Date) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        self.placement().check(&mut errors, current_year);
        errors.text("item_key", &self.item_key, 40);
        errors.max_len("account", &self.account, MAX_TEXT_CHARS);
        errors.max_len("note", &self.note, MAX_NOTE_CHARS);
        if self.links.len() + self.files.len() > MAX_ATTACHMENTS {
            let id = format!("Maksimal {MAX_ATTACHMENTS} tautan dan berkas");
            let en = format!("At most {MAX_ATTACHMENTS} links and files");
            errors.push("links", "too_many", &id, &en);
        }
        check_links_and_files(&mut errors, "", &self.links, &self.files);
        if let Some(done_on) = self.done_on {
            errors.date_not_in_future("done_on", done_on, today + time::Duration::DAY);
        }
        errors.into_result()
    }
}

/// An amount as Indonesians write it: `Rp 1.250.000.000`.
pub fn format_rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}Rp {grouped}")
}

/// Reads an amount typed as `1.250.000.000`, `1250000000` or `Rp 1.250.000`: the digits,
/// with an optional leading minus (refused later by the validation, with its message).
/// `None` when there are no digits or too many.
pub fn parse_rupiah(text: &str) -> Option<i64> {
    let text = text.trim();
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let value: i64 = digits.parse().ok()?;
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> BudgetLine {
        BudgetLine {
            regency_code: "63.03".into(),
            year: 2025,
            agency: "Dinas Kesehatan".into(),
            fiscal_year: 2026,
            programme: "Program Pemenuhan Upaya Kesehatan Perorangan dan Masyarakat".into(),
            activity: "Penyediaan Layanan Kesehatan untuk UKM".into(),
            sub_activity: "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat".into(),
            intervention: Intervention::Specific,
            source: FundingSource::Dak,
            allocation_rp: 1_250_000_000,
            realisation_rp: Some(1_100_000_000),
            actions: vec![1, 8],
        }
    }

    fn fields(result: Result<(), Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_budget_line_as_agencies_send_it_passes() {
        assert_eq!(line().validate(2026), Ok(()));
    }

    #[test]
    fn negative_or_absurd_rupiah_are_refused_with_the_field_named() {
        let mut bad = line();
        bad.allocation_rp = -5;
        bad.realisation_rp = Some(MAX_RUPIAH + 1);
        let errors = bad.validate(2026).unwrap_err();
        assert_eq!(errors[0].field, "allocation_rp");
        assert_eq!(errors[0].message_id, "Nilai rupiah tidak boleh negatif");
        assert_eq!(errors[1].field, "realisation_rp");
    }

    #[test]
    fn the_budget_covers_the_assessed_year_and_the_next() {
        let mut other = line();
        other.fiscal_year = 2024;
        assert_eq!(fields(other.validate(2026)), ["fiscal_year"]);
        other.fiscal_year = 2025;
        assert_eq!(other.validate(2026), Ok(()));
    }

    #[test]
    fn years_out_of_range_and_bad_places_are_named() {
        let mut bad = line();
        bad.year = 2031;
        bad.fiscal_year = 2031;
        bad.regency_code = "63.03.05".into();
        bad.agency = " ".into();
        bad.actions = vec![9];
        assert_eq!(
            fields(bad.validate(2026)),
            ["regency_code", "year", "agency", "actions"]
        );
    }

    #[test]
    fn the_board_counts_each_agencys_parts_and_flags_what_came_after_the_deadline() {
        use crate::sync::EntityKind as K;
        let due = time::macros::datetime!(2026-05-14 23:59 +08:00);
        let due_ms = (due.unix_timestamp_nanos() / 1_000_000) as i64;
        let deadline = serde_json::to_value(Deadline {
            regency_code: "63.03".into(),
            year: 2025,
            due_at: due,
        })
        .expect("json");
        let mut current = line();
        current.fiscal_year = 2025;
        let this_year = serde_json::to_value(current).expect("json");
        let mut next = line();
        next.fiscal_year = 2026;
        let next_year = serde_json::to_value(next).expect("json");
        let mut old = line();
        old.year = 2024;
        old.fiscal_year = 2024;
        let other_year = serde_json::to_value(old).expect("json");
        let parts = [
            StoredPart {
                kind: K::Deadline,
                body: &deadline,
                updated_at_ms: 1,
            },
            StoredPart {
                kind: K::BudgetLine,
                body: &this_year,
                updated_at_ms: due_ms - 1,
            },
            StoredPart {
                kind: K::BudgetLine,
                body: &next_year,
                updated_at_ms: due_ms + 1,
            },
            StoredPart {
                kind: K::BudgetLine,
                body: &other_year,
                updated_at_ms: due_ms + 5,
            },
        ];
        let agencies = ["Dinas Kesehatan".to_owned(), "Dinas Pendidikan".to_owned()];
        let board = board("63.03", 2025, &agencies, &parts);
        assert_eq!(board.due_at, Some(due));
        let dinkes = &board.agencies[0];
        assert_eq!(
            (
                dinkes.budget_lines_year,
                dinkes.budget_lines_next_year,
                dinkes.late
            ),
            (1, 1, 1)
        );
        assert_eq!(dinkes.last_sent_ms, Some(due_ms + 1));
        assert_eq!(dinkes.owes(), [Part::Innovation, Part::Evidence]);
        assert_eq!(
            board.agencies[1].owes(),
            [Part::Budget, Part::Innovation, Part::Evidence]
        );
        assert_eq!(board.agencies[1].last_sent_ms, None);
    }

    #[test]
    fn rupiah_are_written_and_read_the_indonesian_way() {
        assert_eq!(format_rupiah(1_250_000_000), "Rp 1.250.000.000");
        assert_eq!(format_rupiah(999), "Rp 999");
        assert_eq!(format_rupiah(0), "Rp 0");
        assert_eq!(format_rupiah(-1_000), "-Rp 1.000");
        assert_eq!(parse_rupiah("Rp 1.250.000"), Some(1_250_000));
        assert_eq!(parse_rupiah("-5"), Some(-5));
        assert_eq!(parse_rupiah("satu juta"), None);
        assert_eq!(parse_rupiah(&"9".repeat(30)), None);
    }

    #[test]
    fn totals_add_up_per_fiscal_year() {
        let mut next = line();
        next.fiscal_year = 2025;
        next.realisation_rp = None;
        let totals = totals_by_fiscal_year([&line(), &line(), &next]);
        assert_eq!(
            totals[&2026],
            BudgetSum {
                lines: 2,
                allocation_rp: 2_500_000_000,
                realisation_rp: 2_200_000_000
            }
        );
        assert_eq!(totals[&2025].realisation_rp, 0);
    }

    #[test]
    fn budget_lines_travel_as_flat_json() {
        let json = serde_json::to_value(line()).expect("json");
        assert_eq!(json["regency_code"], "63.03");
        assert_eq!(json["source"], "dak");
        assert_eq!(
            serde_json::from_value::<BudgetLine>(json).expect("back"),
            line()
        );
    }

    #[test]
    fn innovations_and_contributions_check_their_texts() {
        let innovation = Innovation {
            regency_code: "63.03".into(),
            year: 2025,
            agency: "Dinas Kesehatan".into(),
            title: "Gerakan Makan Telur".into(),
            year_started: 2023,
            target_group: "Balita dan ibu hamil".into(),
            description: "Telur dua butir sehari untuk balita gizi kurang".into(),
            results: String::new(),
            photos: Vec::new(),
        };
        assert_eq!(innovation.validate(2026), Ok(()));
        let future = Innovation {
            year_started: 2030,
            ..innovation
        };
        assert_eq!(fields(future.validate(2026)), ["year_started"]);
        let today = Date::from_calendar_date(2026, time::Month::March, 1).expect("date");
        let contribution = Contribution {
            regency_code: "63.03".into(),
            year: 2025,
            agency: "Dinas Kesehatan".into(),
            item_key: "a1.1".into(),
            account: "Analisis situasi bersama Bappeda".into(),
            links: vec!["ftp://x".into()],
            files: Vec::new(),
            note: String::new(),
            done_on: Some(today + time::Duration::days(2)),
        };
        assert_eq!(
            fields(contribution.validate(2026, today)),
            ["links[0]", "done_on"]
        );
    }
}
