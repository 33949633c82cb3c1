//! Collecting field problems with messages in Bahasa Indonesia and English, the same on the
//! phone and on the server.

use time::Date;

use crate::api::FieldError;

/// Problems found in one record, each naming its field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    /// Adds one problem.
    pub fn push(&mut self, field: &str, code: &str, message_id: &str, message_en: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_id: message_id.to_owned(),
            message_en: message_en.to_owned(),
        });
    }

    /// A required text must not be blank and must fit `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.push(field, "required", "Wajib diisi", "Required");
        } else if value.chars().count() > max {
            self.push(
                field,
                "too_long",
                &format!("Maksimal {max} karakter"),
                &format!("At most {max} characters"),
            );
        }
    }

    /// An optional number of exactly 16 digits (NIK, family card).
    pub fn sixteen_digits(&mut self, field: &str, value: Option<&str>) {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return;
        };
        if value.len() != 16 || !value.bytes().all(|b| b.is_ascii_digit()) {
            self.push(
                field,
                "invalid_format",
                "Harus 16 digit angka",
                "Must be 16 digits",
            );
        }
    }

    /// An optional RT/RW: up to three digits.
    pub fn rt_rw(&mut self, field: &str, value: &str) {
        if !value.is_empty() && (value.len() > 3 || !value.bytes().all(|b| b.is_ascii_digit())) {
            self.push(
                field,
                "invalid_format",
                "Harus angka, maksimal 3 digit",
                "Up to 3 digits",
            );
        }
    }

    /// A date that must not lie after `today`.
    pub fn not_future(&mut self, field: &str, date: Option<Date>, today: Date) {
        if date.is_some_and(|d| d > today) {
            self.push(
                field,
                "in_future",
                "Tanggal tidak boleh di masa depan",
                "Date cannot be in the future",
            );
        }
    }

    /// `Ok` when nothing was found.
    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
