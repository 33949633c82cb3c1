//! Scores as people type and read them: `83.33` or `83,33` (Indonesian decimal comma),
//! at most two decimals, kept as hundredths.

use super::assessment::MAX_SCORE;
use crate::api::FieldError;

/// Formats hundredths as `83.33`.
pub fn format_score(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Parses a score of 0-100 with at most two decimals (`80`, `83.5`, `83,33`) into hundredths.
pub fn parse_score(field: &str, text: &str) -> Result<u32, FieldError> {
    let text = text.trim().replace(',', ".");
    let (whole, decimals) = match text.split_once('.') {
        Some((whole, decimals)) => (whole, Some(decimals)),
        None => (text.as_str(), None),
    };
    let is_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || !decimals.is_none_or(is_digits) {
        let (id, en) = (
            "Nilai harus angka, mis. 83,33",
            "A score must be a number, e.g. 83.33",
        );
        return Err(problem(field, "invalid_format", id, en));
    }
    let decimals = decimals.unwrap_or_default();
    if decimals.len() > 2 {
        let (id, en) = ("Paling banyak dua angka desimal", "At most two decimals");
        return Err(problem(field, "too_precise", id, en));
    }
    // Only digits are left, so parsing fails only on overflow, which is out of range too.
    let hundredths = whole
        .parse::<u32>()
        .ok()
        .and_then(|whole| whole.checked_mul(100))
        .zip(format!("{decimals:0<2}").parse::<u32>().ok())
        .and_then(|(whole, fraction)| whole.checked_add(fraction));
    match hundredths {
        Some(value) if value <= MAX_SCORE => Ok(value),
        _ => Err(problem(
            field,
            "out_of_range",
            "Nilai harus 0-100",
            "A score must be 0-100",
        )),
    }
}

fn problem(field: &str, code: &str, message_id: &str, message_en: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        message_id: message_id.to_owned(),
        message_en: message_en.to_owned(),
    }
}
