//! Collecting field problems with messages in Bahasa Indonesia and English, the same on the
//! phone and on the server.
//!
//! Every check adds at most one problem per call and returns whether the value passed, so a
//! caller can skip follow-up checks on a value that is already wrong (one message per field
//! is easier for a cadre to act on than three).

use time::Date;

use crate::api::FieldError;

/// Longest name accepted (people, heads of household).
pub const MAX_NAME_CHARS: usize = 100;

/// Problems found in one record, each naming its field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

/// The former name of [`ValidationErrors`], kept for existing callers.
pub type Problems = ValidationErrors;

impl ValidationErrors {
    /// Adds one problem.
    pub fn push(&mut self, field: &str, code: &str, message_id: &str, message_en: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_id: message_id.to_owned(),
            message_en: message_en.to_owned(),
        });
    }

    /// Adds an already built problem (e.g. from a region code error).
    pub fn add(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems found so far.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// Fields with at least one problem, in the order they were found.
    pub fn fields(&self) -> Vec<&str> {
        self.0.iter().map(|e| e.field.as_str()).collect()
    }

    /// A text that must not be blank.
    pub fn required(&mut self, field: &str, value: &str) -> bool {
        let ok = !value.trim().is_empty();
        if !ok {
            self.push(field, "required", "Wajib diisi", "Required");
        }
        ok
    }

    /// A text of at most `max` characters (not bytes: names carry accents and apostrophes).
    pub fn max_len(&mut self, field: &str, value: &str, max: usize) -> bool {
        let ok = value.chars().count() <= max;
        if !ok {
            let id = format!("Maksimal {max} karakter");
            let en = format!("At most {max} characters");
            self.push(field, "too_long", &id, &en);
        }
        ok
    }

    /// A required text of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> bool {
        self.required(field, value) && self.max_len(field, value, max)
    }

    /// An optional number of exactly 16 digits (family card); empty counts as absent.
    pub fn sixteen_digits(&mut self, field: &str, value: Option<&str>) -> bool {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return true;
        };
        let ok = value.len() == 16 && value.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            self.push(
                field,
                "invalid_format",
                "Harus 16 digit angka",
                "Must be 16 digits",
            );
        }
        ok
    }

    /// An optional NIK: 16 digits whose 7th-12th digits are a birth date `DDMMYY`, with 40
    /// added to the day for women. Returns the decoded sex when the NIK is present and valid.
    pub fn nik(&mut self, field: &str, value: Option<&str>) -> Option<NikSex> {
        let value = value.filter(|v| !v.is_empty())?;
        if !self.sixteen_digits(field, Some(value)) {
            return None;
        }
        let sex = nik_sex(value);
        if sex.is_none() {
            let id = "Digit 7-12 NIK harus tanggal lahir (DDMMYY)";
            let en = "Digits 7-12 of a NIK must be a birth date (DDMMYY)";
            self.push(field, "invalid_nik", id, en);
        }
        sex
    }

    /// An optional RT/RW: up to three digits.
    pub fn rt_rw(&mut self, field: &str, value: &str) -> bool {
        let ok =
            value.is_empty() || (value.len() <= 3 && value.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            let (id, en) = ("Harus angka, maksimal 3 digit", "Up to 3 digits");
            self.push(field, "invalid_format", id, en);
        }
        ok
    }

    /// A date that must not lie after `today`.
    pub fn date_not_in_future(&mut self, field: &str, date: Date, today: Date) -> bool {
        let ok = date <= today;
        if !ok {
            let id = "Tanggal tidak boleh di masa depan";
            self.push(field, "in_future", id, "Date cannot be in the future");
        }
        ok
    }

    /// An optional date that must not lie after `today`.
    pub fn not_future(&mut self, field: &str, date: Option<Date>, today: Date) -> bool {
        date.is_none_or(|date| self.date_not_in_future(field, date, today))
    }

    /// `Ok` when nothing was found, otherwise the problems as they go on the wire.
    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

impl From<ValidationErrors> for Vec<FieldError> {
    fn from(errors: ValidationErrors) -> Self {
        errors.0
    }
}

/// Sex encoded in a NIK (day of birth plus 40 for women).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NikSex {
    /// Day of birth 01-31.
    Male,
    /// Day of birth 41-71.
    Female,
}

/// Decodes the sex from a 16-digit NIK, `None` when digits 7-12 are not a `DDMMYY` date.
pub fn nik_sex(nik: &str) -> Option<NikSex> {
    let two = |from: usize| nik.get(from..from + 2)?.parse::<u8>().ok();
    let (day, month) = (two(6)?, two(8)?);
    if !(1..=12).contains(&month) {
        return None;
    }
    match day {
        1..=31 => Some(NikSex::Male),
        41..=71 => Some(NikSex::Female),
        _ => None,
    }
}
