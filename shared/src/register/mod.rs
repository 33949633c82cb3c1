//! The register of 1000-HPK households and their members, with validation that the phone
//! runs before saving and the server runs before storing.
//!
//! Record ids are not part of these bodies: the sync envelope carries them (`record_id`), so
//! an id can never disagree with the record it names. Dates are calendar dates (`YYYY-MM-DD`).

mod age;
mod validation;

pub(crate) use validation::village_code;

pub use age::{STANDARD_TRIMESTER_WEEKS, TERM_DAYS, age_days, age_months, trimester_for_weeks};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::anthro::Sex;
use crate::ids::HouseholdId;

/// A household (entity `household`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// Village (desa/kelurahan) code, dotted (`63.03.05.2009`) or 10 digits.
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
    /// Access to safe drinking water; `None` until the cadre has asked (a task reminds her).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_water: Option<bool>,
    /// Proper family latrine; `None` until asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proper_latrine: Option<bool>,
}

/// Status of a pregnancy on form 2A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PregnancyStatus {
    /// Normal.
    #[default]
    Normal,
    /// Chronic energy deficiency (KEK, kurang energi kronis).
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
    /// KIA register number (OpenSID keys monitoring rows on it; optional here).
    #[serde(default)]
    pub kia_register_no: String,
    /// First day of the last period (HPHT).
    #[serde(default, with = "crate::date::serde_iso::option")]
    pub lmp_date: Option<Date>,
    /// Expected delivery date (HPL), when the LMP is not known.
    #[serde(default, with = "crate::date::serde_iso::option")]
    pub expected_delivery_date: Option<Date>,
    /// Normal, KEK or risti.
    #[serde(default)]
    pub status: PregnancyStatus,
    /// Day of delivery, once delivered.
    #[serde(default, with = "crate::date::serde_iso::option")]
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
    /// Sex (`"M"` or `"F"`).
    pub sex: Sex,
    /// Birth date.
    #[serde(with = "crate::date::serde_iso")]
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
    /// Sex (`"M"` or `"F"`).
    pub sex: Sex,
    /// Birth date.
    #[serde(with = "crate::date::serde_iso")]
    pub birth_date: Date,
}

/// Age group of form 2C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaudAgeGroup {
    /// 2 to under 3 years (parenting services for the under-threes).
    From2To3,
    /// 3 to 6 years (PAUD/TK services).
    From3To6,
}

impl PregnantWoman {
    /// The LMP, or the one implied by the expected delivery date (HPL − 280 days).
    pub fn effective_lmp(&self) -> Option<Date> {
        self.lmp_date.or_else(|| {
            self.expected_delivery_date
                .map(|hpl| hpl - time::Duration::days(TERM_DAYS))
        })
    }

    /// Days since the (effective) LMP at `date`; `None` without an LMP or HPL.
    pub fn gestational_age_days(&self, date: Date) -> Option<i64> {
        self.effective_lmp()
            .map(|lmp| (date - lmp).whole_days().max(0))
    }

    /// Completed weeks of pregnancy at `date`.
    pub fn gestational_weeks(&self, date: Date) -> Option<i64> {
        self.gestational_age_days(date).map(|days| days / 7)
    }

    /// Completed calendar months of pregnancy at `date` (as form 2A records it).
    pub fn gestational_months(&self, date: Date) -> Option<i64> {
        self.effective_lmp().map(|lmp| age_months(lmp, date).max(0))
    }

    /// Trimester (1-3) at `date` by the standard week boundaries (14 and 28 weeks).
    pub fn trimester(&self, date: Date) -> Option<u8> {
        self.gestational_weeks(date)
            .map(|weeks| trimester_for_weeks(weeks, STANDARD_TRIMESTER_WEEKS))
    }

    /// Delivered on or before `date`.
    pub fn delivered_by(&self, date: Date) -> bool {
        self.delivery_date.is_some_and(|d| d <= date)
    }
}

impl Child {
    /// Days of age at `date`.
    pub fn age_days(&self, date: Date) -> i64 {
        age_days(self.birth_date, date)
    }

    /// Completed months of age at `date`.
    pub fn age_months(&self, date: Date) -> i64 {
        age_months(self.birth_date, date)
    }
}

impl PaudChild {
    /// Completed months of age at `date`.
    pub fn age_months(&self, date: Date) -> i64 {
        age_months(self.birth_date, date)
    }

    /// Form 2C age group at `date`; `None` under 2 or from 7 years.
    pub fn age_group(&self, date: Date) -> Option<PaudAgeGroup> {
        match self.age_months(date) {
            24..=35 => Some(PaudAgeGroup::From2To3),
            36..=83 => Some(PaudAgeGroup::From3To6),
            _ => None,
        }
    }
}
