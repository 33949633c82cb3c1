//! Checks run before anything is saved, so the cadre sees each problem next to its field.

use time::Date;

use crate::i18n::Key;

/// Collected problems: (field, message).
pub type Problems = Vec<(&'static str, Key)>;

/// The value trimmed, or a "required" problem.
pub fn required(problems: &mut Problems, field: &'static str, value: &str) -> String {
    let value = value.trim().to_owned();
    if value.is_empty() {
        problems.push((field, Key::Required));
    }
    value
}

/// Empty, or exactly 16 digits (NIK, KK number).
pub fn sixteen_digits(problems: &mut Problems, field: &'static str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.len() != 16 || !value.bytes().all(|b| b.is_ascii_digit()) {
        problems.push((field, Key::MustBe16Digits));
    }
    Some(value.to_owned())
}

/// Empty or up to three digits (RT, RW), zero-padded.
pub fn rt_rw(problems: &mut Problems, field: &'static str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        return String::new();
    }
    match value.parse::<u16>() {
        Ok(n) if n < 1000 => format!("{n:03}"),
        _ => {
            problems.push((field, Key::NotANumber));
            value.to_owned()
        }
    }
}

/// A date (yyyy-mm-dd from a date input), required, not after `today`.
pub fn past_date(
    problems: &mut Problems,
    field: &'static str,
    value: &str,
    today: Date,
) -> Option<Date> {
    let value = value.trim();
    if value.is_empty() {
        problems.push((field, Key::Required));
        return None;
    }
    match konvergen_shared::date::parse_iso(value) {
        Some(date) if date > today => {
            problems.push((field, Key::NotInFuture));
            None
        }
        Some(date) => Some(date),
        None => {
            problems.push((field, Key::NotADate));
            None
        }
    }
}

/// An optional decimal number (comma or point) within `range`.
pub fn decimal(
    problems: &mut Problems,
    field: &'static str,
    value: &str,
    range: std::ops::RangeInclusive<f64>,
) -> Option<f64> {
    let value = value.trim().replace(',', ".");
    if value.is_empty() {
        return None;
    }
    match value.parse::<f64>() {
        Ok(n) if range.contains(&n) => Some(n),
        Ok(_) => {
            problems.push((field, Key::OutOfRange));
            None
        }
        Err(_) => {
            problems.push((field, Key::NotANumber));
            None
        }
    }
}

/// Today by the phone's clock (local time).
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month = time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January);
    Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8)
        .unwrap_or(Date::MIN)
}

/// `yyyy-mm-dd` of a date, for date inputs.
pub fn iso(date: Date) -> String {
    konvergen_shared::date::iso(date)
}
