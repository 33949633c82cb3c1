//! A measurement as the app stores and syncs it: raw values only (z-scores are always
//! recomputed from them, so a corrected table or rule never leaves stale results behind).

use crate::api::FieldError;
use crate::ids::PersonId;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{Anthro, Measurement, Position, Sex, compute};

/// One weighing/measuring of a child (entity `measurement`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementRecord {
    /// The child (entity `child`).
    pub child_id: PersonId,
    /// Day of measurement.
    #[serde(with = "crate::date::serde_iso")]
    pub measured_on: Date,
    /// Weight in kg.
    #[serde(default)]
    pub weight_kg: Option<f64>,
    /// Length or height in cm, as read on the board.
    #[serde(default)]
    pub length_cm: Option<f64>,
    /// Lying (length board) or standing (height board).
    #[serde(default)]
    pub position: Position,
    /// Bilateral pitting oedema.
    #[serde(default)]
    pub oedema: bool,
}

impl MeasurementRecord {
    /// Age in days on the measurement day, `None` if measured before birth (invalid).
    pub fn age_days(&self, birth_date: Date) -> Option<f64> {
        let days = (self.measured_on - birth_date).whole_days();
        (days >= 0).then_some(days as f64)
    }

    /// The z-scores of this measurement for a child of `sex` born on `birth_date`.
    pub fn anthro(&self, sex: Sex, birth_date: Date) -> Anthro {
        compute(&Measurement {
            sex,
            age_days: self.age_days(birth_date),
            weight_kg: self.weight_kg,
            length_cm: self.length_cm,
            position: self.position,
            oedema: self.oedema,
        })
    }

    /// The checks of a measurement before it is stored: [`Self::problems`] as field errors.
    /// `birth_date` is the child's when known (the phone knows it; the server checks a body
    /// without looking the child up).
    pub fn validate(&self, birth_date: Option<Date>, today: Date) -> Result<(), Vec<FieldError>> {
        let errors: Vec<FieldError> = self
            .problems(birth_date.unwrap_or(Date::MIN), today)
            .into_iter()
            .map(|(field, message_id, message_en)| FieldError {
                field: field.to_owned(),
                code: "invalid".to_owned(),
                message_id: message_id.to_owned(),
                message_en: message_en.to_owned(),
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Plausible-input checks before saving: (field, Indonesian message, English message).
    pub fn problems(
        &self,
        birth_date: Date,
        today: Date,
    ) -> Vec<(&'static str, &'static str, &'static str)> {
        let mut problems = Vec::new();
        if self.measured_on > today {
            problems.push((
                "measured_on",
                "Tanggal tidak boleh di masa depan",
                "Date cannot be in the future",
            ));
        }
        if self.measured_on < birth_date {
            problems.push((
                "measured_on",
                "Tanggal ukur sebelum tanggal lahir",
                "Measured before the birth date",
            ));
        }
        if self.weight_kg.is_none() && self.length_cm.is_none() {
            problems.push((
                "weight_kg",
                "Isi berat atau panjang badan",
                "Enter weight or length",
            ));
        }
        if self.weight_kg.is_some_and(|w| !(0.5..=40.0).contains(&w)) {
            problems.push((
                "weight_kg",
                "Berat harus antara 0,5 dan 40 kg",
                "Weight must be between 0.5 and 40 kg",
            ));
        }
        if self.length_cm.is_some_and(|l| !(35.0..=130.0).contains(&l)) {
            problems.push((
                "length_cm",
                "Panjang harus antara 35 dan 130 cm",
                "Length must be between 35 and 130 cm",
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn computes_from_dates() {
        let record = MeasurementRecord {
            child_id: PersonId(uuid::Uuid::nil()),
            measured_on: date!(2026 - 01 - 01),
            weight_kg: Some(7.0),
            length_cm: Some(64.0),
            position: Position::Lying,
            oedema: false,
        };
        // 365 days old: the README's first worked example.
        let anthro = record.anthro(Sex::Female, date!(2025 - 01 - 01));
        assert_eq!(anthro.haz.map(|z| z.text).as_deref(), Some("-3.89"));
        assert!(
            record
                .problems(date!(2025 - 01 - 01), date!(2026 - 01 - 02))
                .is_empty()
        );
        assert_eq!(
            record
                .problems(date!(2026 - 02 - 01), date!(2025 - 12 - 01))
                .len(),
            2
        );
    }
}
