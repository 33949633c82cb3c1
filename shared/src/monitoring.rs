//! Monthly monitoring forms: 2A (pregnant women), 2B (children 0-2 years), 2C (PAUD).
//! Answers are kept raw per person per month; quarterly results are computed from them.
//!
//! On the wire every box is `"Y"` (ya), `"T"` (tidak) or empty (`null` or the key left out),
//! decoded as `Option<Answer>`. Empty means "not recorded", which is not the same as "T":
//! the recap counts only `"Y"` as received, but an empty box is never evidence of a refusal
//! and the app can show it as still to fill in.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use uuid::Uuid;

use crate::ids::PersonId;

/// One box of a monthly form: `"Y"` (ya), `"T"` (tidak); an empty box is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Answer {
    /// Ya: received/done.
    Y,
    /// Tidak: not received.
    T,
}

impl Answer {
    /// Whether a box says `"Y"` (an empty box does not).
    pub fn is_yes(answer: Option<Self>) -> bool {
        answer == Some(Self::Y)
    }
}

/// A calendar month, written `2026-03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    /// Year.
    pub year: i32,
    /// Month 1-12.
    pub month: u8,
}

impl YearMonth {
    /// A month, `None` when `month` is not 1-12.
    pub fn new(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// The month containing `date`.
    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            month: date.month() as u8,
        }
    }

    /// Quarter 1-4.
    pub fn quarter(self) -> u8 {
        (self.month - 1) / 3 + 1
    }

    /// First day of the month.
    pub fn first_day(self) -> Date {
        let month = Month::try_from(self.month).unwrap_or(Month::January);
        Date::from_calendar_date(self.year, month, 1).unwrap_or(Date::MIN)
    }

    /// The month before.
    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Last day of the month.
    pub fn last_day(self) -> Date {
        let month = Month::try_from(self.month).unwrap_or(Month::January);
        let first = self.first_day();
        first.replace_day(month.length(self.year)).unwrap_or(first)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let (year, month) = text
            .split_once('-')
            .ok_or_else(|| format!("expected YYYY-MM, got {text}"))?;
        let year = year.parse().map_err(|_| format!("bad year in {text}"))?;
        let month = month.parse().map_err(|_| format!("bad month in {text}"))?;
        Self::new(year, month).ok_or_else(|| format!("bad month in {text}"))
    }
}

impl From<YearMonth> for String {
    fn from(month: YearMonth) -> Self {
        month.to_string()
    }
}

/// Form 2A: one pregnant woman, one month (entity `form2a`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form2a {
    /// The pregnant woman.
    pub person_id: PersonId,
    /// The month.
    pub month: YearMonth,
    /// Antenatal care visit (pemeriksaan kehamilan).
    #[serde(default)]
    pub anc_visit: Option<Answer>,
    /// Received and took iron tablets (pil Fe / TTD).
    #[serde(default)]
    pub iron_tablet: Option<Answer>,
    /// Postnatal check (pemeriksaan nifas).
    #[serde(default)]
    pub postnatal_check: Option<Answer>,
    /// Nutrition counselling / pregnancy class (kelas ibu hamil).
    #[serde(default)]
    pub nutrition_counselling: Option<Answer>,
    /// Home visit (kunjungan rumah).
    #[serde(default)]
    pub home_visit: Option<Answer>,
    /// Access to clean water.
    #[serde(default)]
    pub clean_water: Option<Answer>,
    /// Healthy latrine.
    #[serde(default)]
    pub latrine: Option<Answer>,
    /// Health insurance.
    #[serde(default)]
    pub health_insurance: Option<Answer>,
}

/// Nutrition status on form 2B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NutritionStatus {
    /// Normal.
    N,
    /// Gizi kurang (undernourished).
    GK,
    /// Gizi buruk (severely undernourished).
    GB,
    /// Stunting.
    S,
}

/// Growth-mat screening result (tikar pertumbuhan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthMat {
    /// Not measured.
    NotMeasured,
    /// Red: indicated stunted.
    Red,
    /// Yellow: stunting risk.
    Yellow,
    /// Green: normal.
    Green,
}

/// Form 2B: one child 0-2 years, one month (entity `form2b`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form2b {
    /// The child.
    pub person_id: PersonId,
    /// The month.
    pub month: YearMonth,
    /// Nutrition status.
    #[serde(default)]
    pub nutrition_status: Option<NutritionStatus>,
    /// Growth-mat result.
    #[serde(default)]
    pub growth_mat: Option<GrowthMat>,
    /// Basic immunisation complete for age.
    #[serde(default)]
    pub basic_immunisation: Option<Answer>,
    /// Measles immunisation (from 9 months).
    #[serde(default)]
    pub measles_immunisation: Option<Answer>,
    /// Weighed at the posyandu.
    #[serde(default)]
    pub weighed: Option<Answer>,
    /// Length/height measured.
    #[serde(default)]
    pub length_measured: Option<Answer>,
    /// Father attended counselling.
    #[serde(default)]
    pub father_counselled: Option<Answer>,
    /// Mother attended counselling.
    #[serde(default)]
    pub mother_counselled: Option<Answer>,
    /// Integrated home visit.
    #[serde(default)]
    pub home_visit: Option<Answer>,
    /// Access to clean water.
    #[serde(default)]
    pub clean_water: Option<Answer>,
    /// Healthy latrine.
    #[serde(default)]
    pub latrine: Option<Answer>,
    /// Has a birth certificate.
    #[serde(default)]
    pub birth_certificate: Option<Answer>,
    /// Has health insurance.
    #[serde(default)]
    pub health_insurance: Option<Answer>,
    /// Parent attended a parenting class (kelas pengasuhan / PAUD).
    #[serde(default)]
    pub parenting_class: Option<Answer>,
}

/// PAUD attendance on form 2C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaudAttendance {
    /// Not yet enrolled (too young or no service).
    NotYet,
    /// Attending.
    Attending,
    /// Enrolled but not attending.
    NotAttending,
}

/// Form 2C: one child 2-6 years, one month (entity `form2c`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form2c {
    /// The child.
    pub person_id: PersonId,
    /// The month.
    pub month: YearMonth,
    /// Attendance.
    #[serde(default)]
    pub attendance: Option<PaudAttendance>,
}

/// The record id of a person's form for a month: derived, so two phones filling the same
/// month write the same record (a reviewable conflict) instead of two competing facts.
pub fn monthly_record_id(person_id: PersonId, month: YearMonth) -> Uuid {
    let text = format!("{person_id}/{month}");
    let high = crate::sync::checksum::fnv1a(text.bytes());
    let low = crate::sync::checksum::fnv1a(text.bytes().rev());
    let mut bytes = [0_u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    // A version-8 (custom) UUID with the RFC 4122 variant.
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_round_trip_and_know_their_quarter() {
        let month: YearMonth = serde_json::from_str("\"2026-08\"").expect("parse");
        assert_eq!(month.quarter(), 3);
        assert_eq!(serde_json::to_string(&month).expect("json"), "\"2026-08\"");
        assert_eq!(month.last_day().day(), 31);
        assert!(serde_json::from_str::<YearMonth>("\"2026-13\"").is_err());
    }

    #[test]
    fn forms_read_y_t_and_empty() {
        let form: Form2a = serde_json::from_str(
            r#"{"person_id":"00000000-0000-0000-0000-000000000001","month":"2026-01","anc_visit":"Y","iron_tablet":"T"}"#,
        )
        .expect("form");
        assert_eq!(form.anc_visit, Some(Answer::Y));
        assert_eq!(form.iron_tablet, Some(Answer::T));
        assert_eq!(form.home_visit, None);
        assert!(
            serde_json::from_str::<Form2a>(
                r#"{"person_id":"00000000-0000-0000-0000-000000000001","month":"2026-01","x":"Y"}"#
            )
            .is_err()
        );
    }

    #[test]
    fn monthly_ids_are_stable_and_distinct() {
        let person = PersonId(Uuid::from_u128(42));
        let january = YearMonth::new(2026, 1).expect("month");
        let february = YearMonth::new(2026, 2).expect("month");
        assert_eq!(
            monthly_record_id(person, january),
            monthly_record_id(person, january)
        );
        assert_ne!(
            monthly_record_id(person, january),
            monthly_record_id(person, february)
        );
        assert_eq!(monthly_record_id(person, january).get_version_num(), 8);
    }
}
