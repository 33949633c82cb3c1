//! Tabel 5 (Dana Desa): what the village budgets in one year per field (bidang), and how
//! much of it goes to stunting prevention. The cadre enters it once per village and year;
//! it syncs as one record (`EntityKind::VillageFund`) whose id follows from village and
//! year, so two phones entering the same year meet as a conflict instead of two records
//! that both look current.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::DanaDesaLine;
use crate::api::FieldError;
use crate::region::RegionCode;
use crate::validate::ValidationErrors;

/// First budget year accepted: Dana Desa was first paid out in 2015.
pub const FIRST_FUND_YEAR: i32 = 2015;

/// The namespace of village-fund record ids (fixed: changing it would orphan every record
/// made so far).
const NAMESPACE: Uuid = Uuid::from_u128(0x5c1e_7a0d_93b4_4f2e_8d61_0a7f_c3e2_9b14);

/// A field (bidang) of the village budget that Tabel 5 reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bidang {
    /// Bidang Pembangunan Desa (village development: works, water, latrines, posyandu).
    Development,
    /// Bidang Pemberdayaan Masyarakat Desa (community empowerment: cadres, classes, PMT).
    Empowerment,
}

impl Bidang {
    /// Both fields, in the order of the scorecard.
    pub const ALL: [Self; 2] = [Self::Development, Self::Empowerment];

    /// The name of the field's object in a [`VillageFund`] body (and its error paths).
    pub fn key(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Empowerment => "empowerment",
        }
    }

    /// The name in Bahasa Indonesia, as on the scorecard.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Development => "Bidang Pembangunan Desa",
            Self::Empowerment => "Bidang Pemberdayaan Masyarakat Desa",
        }
    }

    /// The name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Development => "Village development",
            Self::Empowerment => "Community empowerment",
        }
    }
}

/// The allocation of one field, in whole rupiah. Signed, so a negative amount arrives as a
/// field error naming it rather than as a decoding failure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// Everything the field is given in the year's budget (APBDes).
    pub total_rupiah: i64,
    /// Of which for stunting prevention.
    pub stunting_rupiah: i64,
}

/// The body of a village-fund record: one village, one budget year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillageFund {
    /// Village (desa/kelurahan) code, dotted (`63.03.05.2009`).
    pub village_code: String,
    /// Budget year.
    pub year: i32,
    /// Bidang Pembangunan Desa.
    pub development: Allocation,
    /// Bidang Pemberdayaan Masyarakat Desa.
    pub empowerment: Allocation,
}

impl VillageFund {
    /// An empty entry for a village and year.
    pub fn empty(village_code: &str, year: i32) -> Self {
        Self {
            village_code: village_code.to_owned(),
            year,
            development: Allocation::default(),
            empowerment: Allocation::default(),
        }
    }

    /// The allocation of `bidang`.
    pub fn allocation(&self, bidang: Bidang) -> Allocation {
        match bidang {
            Bidang::Development => self.development,
            Bidang::Empowerment => self.empowerment,
        }
    }

    /// The allocation of `bidang`, to change.
    pub fn allocation_mut(&mut self, bidang: Bidang) -> &mut Allocation {
        match bidang {
            Bidang::Development => &mut self.development,
            Bidang::Empowerment => &mut self.empowerment,
        }
    }

    /// Checks village, year and amounts; `current_year` bounds the year (next year's
    /// budget is drawn up before the year starts, so one year ahead is allowed).
    pub fn validate(&self, current_year: i32) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        crate::register::village_code(&mut errors, &self.village_code);
        let last = current_year + 1;
        if !(FIRST_FUND_YEAR..=last).contains(&self.year) {
            let id = format!("Tahun anggaran harus antara {FIRST_FUND_YEAR} dan {last}");
            let en = format!("The budget year must be between {FIRST_FUND_YEAR} and {last}");
            errors.push("year", "out_of_range", &id, &en);
        }
        for bidang in Bidang::ALL {
            check_allocation(&mut errors, bidang.key(), self.allocation(bidang));
        }
        errors.into_result()
    }

    /// The two lines of Tabel 5.
    pub fn lines(&self) -> Vec<DanaDesaLine> {
        let rupiah = |amount: i64| u64::try_from(amount).unwrap_or(0);
        Bidang::ALL
            .into_iter()
            .map(|field| {
                let allocation = self.allocation(field);
                DanaDesaLine {
                    field,
                    total_rupiah: rupiah(allocation.total_rupiah),
                    stunting_rupiah: rupiah(allocation.stunting_rupiah),
                }
            })
            .collect()
    }
}

fn check_allocation(errors: &mut ValidationErrors, key: &str, allocation: Allocation) {
    let total = format!("{key}.total_rupiah");
    let stunting = format!("{key}.stunting_rupiah");
    let before = errors.errors().len();
    crate::district::rupiah(errors, &total, allocation.total_rupiah);
    crate::district::rupiah(errors, &stunting, allocation.stunting_rupiah);
    // Only once both amounts are valid: one message per field.
    if errors.errors().len() == before && allocation.stunting_rupiah > allocation.total_rupiah {
        errors.push(
            &stunting,
            "exceeds_total",
            "Alokasi stunting tidak boleh melebihi total alokasi bidang",
            "The stunting allocation cannot exceed the field's total allocation",
        );
    }
}

/// The id of the village-fund record of `village_code` for `year`. A code typed as its 10
/// digits names the same record as its dotted form.
pub fn village_fund_id(village_code: &str, year: i32) -> Uuid {
    let code = RegionCode::parse(village_code)
        .map_or_else(|_| village_code.to_owned(), |c| c.as_str().to_owned());
    Uuid::new_v5(&NAMESPACE, format!("village-fund/{code}/{year}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecard::dana_desa_total;

    const SIPAI: &str = "63.03.05.2009";

    fn fund(development: (i64, i64), empowerment: (i64, i64)) -> VillageFund {
        VillageFund {
            village_code: SIPAI.into(),
            year: 2026,
            development: Allocation {
                total_rupiah: development.0,
                stunting_rupiah: development.1,
            },
            empowerment: Allocation {
                total_rupiah: empowerment.0,
                stunting_rupiah: empowerment.1,
            },
        }
    }

    fn fields(result: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_plain_entry_passes() {
        assert_eq!(fund((500, 75), (200, 50)).validate(2026), Ok(()));
        assert_eq!(fund((0, 0), (0, 0)).validate(2026), Ok(()));
    }

    #[test]
    fn amounts_are_non_negative_and_stunting_stays_within_the_total() {
        let found = fields(fund((-1, 0), (100, 101)).validate(2026));
        assert_eq!(
            found,
            [
                ("development.total_rupiah".into(), "negative".into()),
                ("empowerment.stunting_rupiah".into(), "exceeds_total".into()),
            ]
        );
        // A wrong amount gets one message, not a second one for the comparison.
        let found = fields(fund((10, -5), (0, 0)).validate(2026));
        assert_eq!(
            found,
            [("development.stunting_rupiah".into(), "negative".into())]
        );
        let too_large = crate::district::MAX_RUPIAH + 1;
        let found = fields(fund((too_large, 0), (0, 0)).validate(2026));
        assert_eq!(
            found,
            [("development.total_rupiah".into(), "too_large".into())]
        );
    }

    #[test]
    fn the_year_is_sensible_and_the_village_is_a_village() {
        let mut entry = fund((1, 0), (1, 0));
        entry.year = 2014;
        assert_eq!(
            fields(entry.validate(2026)),
            [("year".into(), "out_of_range".into())]
        );
        entry.year = 2027;
        assert_eq!(entry.validate(2026), Ok(()));
        entry.year = 2028;
        assert_eq!(
            fields(entry.validate(2026)),
            [("year".into(), "out_of_range".into())]
        );
        entry.year = 2026;
        entry.village_code = "63.03".into();
        assert_eq!(
            fields(entry.validate(2026)),
            [("village_code".into(), "not_a_village".into())]
        );
    }

    #[test]
    fn one_id_per_village_and_year() {
        let id = village_fund_id(SIPAI, 2026);
        assert_eq!(id, village_fund_id(SIPAI, 2026));
        assert_eq!(id, village_fund_id("6303052009", 2026));
        assert_ne!(id, village_fund_id(SIPAI, 2025));
        assert_ne!(id, village_fund_id("63.03.05.2012", 2026));
        assert_eq!(id.get_version_num(), 5);
        // Stored records name these ids: they must never change.
        assert_eq!(
            id,
            Uuid::new_v5(&NAMESPACE, b"village-fund/63.03.05.2009/2026")
        );
    }

    #[test]
    fn the_lines_and_their_total_follow_the_entry() {
        let lines = fund((500_000_000, 75_000_000), (200_000_000, 50_000_000)).lines();
        let fields: Vec<_> = lines.iter().map(|l| l.field).collect();
        assert_eq!(fields, Bidang::ALL);
        assert_eq!(lines[0].share().percent_1dp().as_deref(), Some("15.0"));
        assert_eq!(lines[1].share().percent_1dp().as_deref(), Some("25.0"));
        let total = dana_desa_total(&lines);
        assert_eq!((total.num, total.den), (125_000_000, 700_000_000));
        assert_eq!(total.percent_1dp().as_deref(), Some("17.9"));
        // Nothing entered yet: no share rather than 0 %.
        assert_eq!(
            dana_desa_total(&fund((0, 0), (0, 0)).lines()).percent_1dp(),
            None
        );
    }

    #[test]
    fn the_body_travels_as_plain_json() {
        let entry = fund((500, 75), (200, 50));
        let json = serde_json::to_value(&entry).expect("json");
        assert_eq!(json["development"]["total_rupiah"], 500);
        assert_eq!(json["empowerment"]["stunting_rupiah"], 50);
        assert_eq!(
            serde_json::from_value::<VillageFund>(json).expect("back"),
            entry
        );
    }
}
