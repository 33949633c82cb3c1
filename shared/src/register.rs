//! The register of 1000-HPK households and their members, with validation that the phone
//! runs before saving and the server runs before storing.

use crate::ids::HouseholdId;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::anthro::Sex;
use crate::api::FieldError;
use crate::region::{Level, RegionCode};
use crate::validate::Problems;

/// A household (entity `household`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// Village (desa/kelurahan) code.
    pub village_code: String,
    /// Hamlet.
    #[serde(default)]
    pub dusun: String,
    /// RT (up to 3 digits).
    #[serde(default)]
    pub rt: String,
    /// RW (up to 3 digits).
    #[serde(default)]
    pub rw: String,
    /// Address.
    #[serde(default)]
    pub address: String,
    /// Head of household.
    pub head_name: String,
    /// Family card (KK) number, 16 digits.
    #[serde(default)]
    pub family_card_no: Option<String>,
    /// Access to safe drinking water.
    #[serde(default)]
    pub safe_water: bool,
    /// Proper family latrine.
    #[serde(default)]
    pub proper_latrine: bool,
}

/// Status of a pregnancy on form 2A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PregnancyStatus {
    /// Normal.
    #[default]
    Normal,
    /// Chronic energy deficiency (KEK).
    Kek,
    /// High risk (risiko tinggi).
    Risti,
}

/// A pregnant woman (entity `pregnant_woman`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PregnantWoman {
    /// Her household.
    pub household_id: HouseholdId,
    /// Name.
    pub name: String,
    /// NIK, 16 digits.
    #[serde(default)]
    pub nik: Option<String>,
    /// KIA register number.
    #[serde(default)]
    pub kia_register_no: String,
    /// First day of the last period (HPHT).
    #[serde(default)]
    pub lmp_date: Option<Date>,
    /// Expected delivery date (HPL), when the LMP is not known.
    #[serde(default)]
    pub expected_delivery_date: Option<Date>,
    /// Normal, KEK or risti.
    #[serde(default)]
    pub status: PregnancyStatus,
    /// Day of delivery, once delivered.
    #[serde(default)]
    pub delivery_date: Option<Date>,
}

/// A child 0-23 months (entity `child`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    /// The household.
    pub household_id: HouseholdId,
    /// Name.
    pub name: String,
    /// Sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: Date,
    /// NIK, 16 digits.
    #[serde(default)]
    pub nik: Option<String>,
    /// KIA register number.
    #[serde(default)]
    pub kia_register_no: Option<String>,
    /// Has a birth certificate.
    #[serde(default)]
    pub birth_certificate: bool,
    /// Has health insurance.
    #[serde(default)]
    pub health_insurance: bool,
}

/// A child 2-6 years followed for PAUD (entity `paud_child`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaudChild {
    /// The household.
    pub household_id: HouseholdId,
    /// Name.
    pub name: String,
    /// Sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: Date,
}

/// Days of a full pregnancy counted from the LMP (40 weeks).
const TERM_DAYS: i64 = 280;
/// An LMP further back than this (45 weeks) without a delivery is not plausible.
const MAX_GESTATION_DAYS: i64 = 45 * 7;

impl Household {
    /// Checks the fields.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::default();
        match RegionCode::parse(&self.village_code) {
            Ok(code) if code.level() == Level::Village => {}
            _ => problems.push(
                "village_code",
                "invalid_format",
                "Kode desa tidak valid",
                "Invalid village code",
            ),
        }
        problems.text("head_name", &self.head_name, 100);
        problems.rt_rw("rt", &self.rt);
        problems.rt_rw("rw", &self.rw);
        problems.sixteen_digits("family_card_no", self.family_card_no.as_deref());
        problems.into_result()
    }
}

impl PregnantWoman {
    /// Checks the fields against `today`.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::default();
        problems.text("name", &self.name, 100);
        problems.sixteen_digits("nik", self.nik.as_deref());
        problems.not_future("lmp_date", self.lmp_date, today);
        problems.not_future("delivery_date", self.delivery_date, today);
        if self.lmp_date.is_none() && self.expected_delivery_date.is_none() {
            problems.push(
                "lmp_date",
                "required",
                "Isi HPHT atau HPL",
                "Enter the last period or the expected delivery date",
            );
        }
        let delivered = self.delivery_date.is_some();
        if let Some(lmp) = self.conception_reference() {
            if !delivered && (today - lmp).whole_days() > MAX_GESTATION_DAYS {
                problems.push(
                    "lmp_date",
                    "implausible",
                    "Usia kehamilan lebih dari 45 minggu",
                    "Pregnancy longer than 45 weeks",
                );
            }
            if self.delivery_date.is_some_and(|d| d < lmp) {
                problems.push(
                    "delivery_date",
                    "before_lmp",
                    "Tanggal persalinan sebelum HPHT",
                    "Delivery before the last period",
                );
            }
        }
        problems.into_result()
    }

    /// The LMP, or the one implied by the expected delivery date.
    pub fn conception_reference(&self) -> Option<Date> {
        self.lmp_date.or_else(|| {
            self.expected_delivery_date
                .map(|hpl| hpl - time::Duration::days(TERM_DAYS))
        })
    }

    /// Completed months of pregnancy at `date` (`None` without an LMP/HPL).
    pub fn gestational_months(&self, date: Date) -> Option<i64> {
        self.conception_reference()
            .map(|lmp| ((date - lmp).whole_days() / 30).max(0))
    }

    /// Trimester (1-3) at `date`: months 0-3 → 1, 4-6 → 2, 7 and more → 3.
    pub fn trimester(&self, date: Date) -> Option<u8> {
        self.gestational_months(date).map(|months| match months {
            ..=3 => 1,
            4..=6 => 2,
            _ => 3,
        })
    }

    /// Delivered on or before `date`.
    pub fn delivered_by(&self, date: Date) -> bool {
        self.delivery_date.is_some_and(|d| d <= date)
    }
}

impl Child {
    /// Checks the fields; registration is for children under 24 months.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::default();
        problems.text("name", &self.name, 100);
        problems.sixteen_digits("nik", self.nik.as_deref());
        problems.not_future("birth_date", Some(self.birth_date), today);
        if (today - self.birth_date).whole_days() > 5 * 366 {
            problems.push(
                "birth_date",
                "implausible",
                "Anak lebih dari 5 tahun",
                "Child older than 5 years",
            );
        }
        problems.into_result()
    }

    /// Completed months of age at `date`.
    pub fn age_months(&self, date: Date) -> i64 {
        age_months(self.birth_date, date)
    }
}

impl PaudChild {
    /// Checks the fields.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::default();
        problems.text("name", &self.name, 100);
        problems.not_future("birth_date", Some(self.birth_date), today);
        problems.into_result()
    }
}

/// Completed calendar months between `birth` and `date`.
pub fn age_months(birth: Date, date: Date) -> i64 {
    let months = i64::from(date.year() - birth.year()) * 12 + i64::from(date.month() as u8)
        - i64::from(birth.month() as u8);
    if date.day() < birth.day() {
        months - 1
    } else {
        months
    }
}
