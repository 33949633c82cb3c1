//! Field rules of the register. Each rule names its field, gives a machine code and speaks
//! both languages; a field gets at most one problem so the cadre sees one thing to fix.

use time::{Date, Duration};

use super::{Child, Household, PaudChild, PregnantWoman, TERM_DAYS};
use crate::anthro::Sex;
use crate::api::FieldError;
use crate::region::{Level, RegionCode};
use crate::validate::{MAX_NAME_CHARS, NikSex, ValidationErrors};

/// Longest dusun name.
const MAX_DUSUN_CHARS: usize = 60;
/// Longest address.
const MAX_ADDRESS_CHARS: usize = 200;
/// Longest KIA register number.
const MAX_KIA_CHARS: usize = 30;
/// An LMP further back than this (45 weeks) without a delivery is not plausible.
const MAX_GESTATION_DAYS: i64 = 45 * 7;
/// How far the HPL may lie from LMP + 280 days when both are given (ultrasound corrections).
const HPL_TOLERANCE_DAYS: i64 = 28;
/// Oldest plausible child on the 0-23 month register: records stay editable after the
/// child ages out, so this only catches typing mistakes in the year.
const MAX_CHILD_MONTHS: i64 = 60;
/// Oldest plausible PAUD child, for the same reason.
const MAX_PAUD_MONTHS: i64 = 96;

impl Household {
    /// Checks the fields.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        village_code(&mut errors, &self.village_code);
        errors.text("head_name", &self.head_name, MAX_NAME_CHARS);
        errors.max_len("dusun", &self.dusun, MAX_DUSUN_CHARS);
        errors.rt_rw("rt", &self.rt);
        errors.rt_rw("rw", &self.rw);
        errors.max_len("address", &self.address, MAX_ADDRESS_CHARS);
        errors.sixteen_digits("family_card_no", self.family_card_no.as_deref());
        errors.into_result()
    }
}

pub(crate) fn village_code(errors: &mut ValidationErrors, text: &str) {
    match RegionCode::parse(text) {
        Ok(code) if code.level() == Level::Village => {}
        Ok(_) => errors.push(
            "village_code",
            "not_a_village",
            "Isi kode desa/kelurahan lengkap, mis. 63.03.05.2009",
            "Enter a full village code, e.g. 63.03.05.2009",
        ),
        Err(err) => errors.add(err.to_field_error("village_code")),
    }
}

/// A NIK whose encoded sex contradicts the person's.
fn nik_of(errors: &mut ValidationErrors, nik: Option<&str>, sex: Sex) {
    let expected = match sex {
        Sex::Male => NikSex::Male,
        Sex::Female => NikSex::Female,
    };
    if errors
        .nik("nik", nik)
        .is_some_and(|found| found != expected)
    {
        errors.push(
            "nik",
            "nik_sex_mismatch",
            "NIK tidak sesuai jenis kelamin (perempuan: tanggal lahir + 40)",
            "The NIK does not match the sex (women: day of birth + 40)",
        );
    }
}

fn implausible(errors: &mut ValidationErrors, field: &str, message_id: &str, message_en: &str) {
    errors.push(field, "implausible", message_id, message_en);
}

impl PregnantWoman {
    /// Checks the fields against `today`.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        errors.text("name", &self.name, MAX_NAME_CHARS);
        nik_of(&mut errors, self.nik.as_deref(), Sex::Female);
        errors.max_len("kia_register_no", &self.kia_register_no, MAX_KIA_CHARS);
        self.check_pregnancy_dates(&mut errors, today);
        self.check_delivery(&mut errors, today);
        errors.into_result()
    }

    /// LMP and HPL: at least one, neither impossible, and consistent with each other.
    fn check_pregnancy_dates(&self, errors: &mut ValidationErrors, today: Date) {
        if self.lmp_date.is_none() && self.expected_delivery_date.is_none() {
            let id = "Isi HPHT atau HPL";
            errors.push(
                "lmp_date",
                "required",
                id,
                "Enter the last period or the due date",
            );
            return;
        }
        let lmp_ok = errors.not_future("lmp_date", self.lmp_date, today);
        let latest_hpl = today + Duration::days(TERM_DAYS + 14);
        if self
            .expected_delivery_date
            .is_some_and(|hpl| hpl > latest_hpl)
        {
            let (id, en) = (
                "HPL lebih dari 42 minggu lagi",
                "Due date more than 42 weeks ahead",
            );
            implausible(errors, "expected_delivery_date", id, en);
            return;
        }
        self.check_hpl_matches_lmp(errors);
        let too_long = self
            .gestational_age_days(today)
            .is_some_and(|days| days > MAX_GESTATION_DAYS);
        if lmp_ok && too_long && self.delivery_date.is_none() {
            let field = if self.lmp_date.is_some() {
                "lmp_date"
            } else {
                "expected_delivery_date"
            };
            let (id, en) = (
                "Usia kehamilan lebih dari 45 minggu",
                "Pregnancy longer than 45 weeks",
            );
            implausible(errors, field, id, en);
        }
    }

    /// With both dates given, the HPL lies within four weeks of LMP + 280 days.
    fn check_hpl_matches_lmp(&self, errors: &mut ValidationErrors) {
        let (Some(lmp), Some(hpl)) = (self.lmp_date, self.expected_delivery_date) else {
            return;
        };
        let gap = (hpl - (lmp + Duration::days(TERM_DAYS))).whole_days().abs();
        if gap > HPL_TOLERANCE_DAYS {
            let id = "HPL tidak sesuai HPHT (HPL = HPHT + 280 hari)";
            let en = "Due date does not match the last period (LMP + 280 days)";
            errors.push("expected_delivery_date", "inconsistent", id, en);
        }
    }

    /// The delivery date lies between the LMP and 45 weeks after it, and not in the future.
    fn check_delivery(&self, errors: &mut ValidationErrors, today: Date) {
        let Some(delivered) = self.delivery_date else {
            return;
        };
        if !errors.date_not_in_future("delivery_date", delivered, today) {
            return;
        }
        let Some(lmp) = self.effective_lmp() else {
            return;
        };
        if delivered < lmp {
            let (id, en) = (
                "Tanggal persalinan sebelum HPHT",
                "Delivery before the last period",
            );
            errors.push("delivery_date", "before_lmp", id, en);
        } else if (delivered - lmp).whole_days() > MAX_GESTATION_DAYS {
            let id = "Persalinan lebih dari 45 minggu setelah HPHT";
            let en = "Delivery more than 45 weeks after the last period";
            implausible(errors, "delivery_date", id, en);
        }
    }
}

/// A birth date not in the future and at most `max_months` ago.
fn birth_date(errors: &mut ValidationErrors, born: Date, today: Date, max_months: i64) -> bool {
    if !errors.date_not_in_future("birth_date", born, today) {
        return false;
    }
    let ok = super::age_months(born, today) <= max_months;
    if !ok {
        let id = format!("Umur lebih dari {max_months} bulan, periksa tahun lahir");
        let en = format!("Older than {max_months} months, check the year of birth");
        implausible(errors, "birth_date", &id, &en);
    }
    ok
}

/// Registration age: `min..=max` completed months at `today`.
fn registration_age(errors: &mut ValidationErrors, months: i64, range: (i64, i64)) {
    if months < range.0 || months > range.1 {
        let id = format!("Saat didaftarkan umur harus {}-{} bulan", range.0, range.1);
        let en = format!(
            "At registration the age must be {}-{} months",
            range.0, range.1
        );
        errors.push("birth_date", "age_out_of_range", &id, &en);
    }
}

impl Child {
    /// Checks the fields against `today`; any record that was once valid stays valid as the
    /// child grows (see [`Child::validate_registration`] for the age range).
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        self.errors(today).into_result()
    }

    /// [`Child::validate`] plus the 0-23 month age range, for a new registration.
    pub fn validate_registration(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut errors = self.errors(today);
        if !errors.fields().contains(&"birth_date") {
            registration_age(&mut errors, self.age_months(today), (0, 23));
        }
        errors.into_result()
    }

    fn errors(&self, today: Date) -> ValidationErrors {
        let mut errors = ValidationErrors::default();
        errors.text("name", &self.name, MAX_NAME_CHARS);
        nik_of(&mut errors, self.nik.as_deref(), self.sex);
        birth_date(&mut errors, self.birth_date, today, MAX_CHILD_MONTHS);
        let kia = self.kia_register_no.as_deref().unwrap_or_default();
        errors.max_len("kia_register_no", kia, MAX_KIA_CHARS);
        errors
    }
}

impl PaudChild {
    /// Checks the fields against `today` (see [`PaudChild::validate_registration`]).
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        self.errors(today).into_result()
    }

    /// [`PaudChild::validate`] plus the 2-6 year (24-83 month) range, for a new registration.
    pub fn validate_registration(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut errors = self.errors(today);
        if !errors.fields().contains(&"birth_date") {
            registration_age(&mut errors, self.age_months(today), (24, 83));
        }
        errors.into_result()
    }

    fn errors(&self, today: Date) -> ValidationErrors {
        let mut errors = ValidationErrors::default();
        errors.text("name", &self.name, MAX_NAME_CHARS);
        birth_date(&mut errors, self.birth_date, today, MAX_PAUD_MONTHS);
        errors
    }
}
