//! Aggregates per area for a quarter: what the district and the province look at.

use serde::{Deserialize, Serialize};

use crate::anthro::Anthro;
use crate::ids::{HouseholdId, PersonId};
use crate::recap::{Coverage, Quarter, Ratio, TargetGroup};

/// Cases among the measured, with implausible (flagged) values left out as WHO advises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prevalence {
    /// Children with this z-score computed.
    pub measured: u64,
    /// Of which flagged as implausible and excluded.
    pub flagged_excluded: u64,
    /// Cases (z < -2, severe included) among the non-flagged.
    pub cases: u64,
}

impl Prevalence {
    /// cases / (measured - flagged).
    pub fn ratio(self) -> Ratio {
        Ratio {
            num: self.cases,
            den: self.measured - self.flagged_excluded,
        }
    }

    /// Adds another area's counts.
    pub fn add(&mut self, other: Self) {
        self.measured += other.measured;
        self.flagged_excluded += other.flagged_excluded;
        self.cases += other.cases;
    }
}

/// Stunting, underweight and wasting from the latest measurement of each child in the quarter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Anthropometry {
    /// Children with a measurement in the quarter.
    pub children_measured: u64,
    /// Length/height-for-age below -2.
    pub stunting: Prevalence,
    /// Weight-for-age below -2.
    pub underweight: Prevalence,
    /// Weight-for-length below -2.
    pub wasting: Prevalence,
}

impl Anthropometry {
    /// Counts one child's latest measurement.
    pub fn count(&mut self, anthro: &Anthro) {
        self.children_measured += 1;
        let tally = |prevalence: &mut Prevalence, z: &Option<crate::anthro::ZScore>| {
            if let Some(z) = z {
                prevalence.measured += 1;
                if z.flagged {
                    prevalence.flagged_excluded += 1;
                } else if z.centi < -200 {
                    prevalence.cases += 1;
                }
            }
        };
        tally(&mut self.stunting, &anthro.haz);
        tally(&mut self.underweight, &anthro.waz);
        tally(&mut self.wasting, &anthro.whz);
    }

    /// Adds another area's counts.
    pub fn add(&mut self, other: Self) {
        self.children_measured += other.children_measured;
        self.stunting.add(other.stunting);
        self.underweight.add(other.underweight);
        self.wasting.add(other.wasting);
    }
}

/// How current an area's figures are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Freshness {
    /// Cadre devices in the area.
    pub devices: u64,
    /// Of which synced (push or pull) after the quarter ended.
    pub synced_since_quarter_end: u64,
    /// Mutations the devices reported as still waiting on the phone.
    pub pending_reported: u64,
}

/// One area's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AggregateRow {
    /// Region code.
    pub code: String,
    /// Region name.
    pub name: String,
    /// Villages with data.
    pub villages: u64,
    /// 1000-HPK households assessed.
    pub households_1000hpk: u64,
    /// Coverage per indicator.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub coverage: Vec<Coverage>,
    /// Convergence level, pregnant women.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tkd_pregnant: Ratio,
    /// Convergence level, children 0-23 months.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tkd_children: Ratio,
    /// Convergence level, both.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tkd_total: Ratio,
    /// 1000-HPK households with the complete package.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub households_complete: Ratio,
    /// Tabel 5: Dana Desa for stunting prevention over all Dana Desa of the quarter's year,
    /// in rupiah, summed over the villages that entered it.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub dana_desa: Ratio,
    /// Measurements.
    pub anthropometry: Anthropometry,
    /// Freshness.
    pub freshness: Freshness,
}

/// Answer of `GET /api/v1/aggregates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AggregateReport {
    /// The quarter.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub quarter: Quarter,
    /// Rule set used for the recap.
    pub rule_set_id: String,
    /// The area reported on.
    pub area: AggregateRow,
    /// One row per sub-area (regencies of a province, districts of a regency, villages of a
    /// district).
    pub rows: Vec<AggregateRow>,
}

impl AggregateRow {
    /// An empty row for an area.
    pub fn empty(code: &str, name: &str) -> Self {
        Self {
            code: code.to_owned(),
            name: name.to_owned(),
            villages: 0,
            households_1000hpk: 0,
            coverage: Vec::new(),
            tkd_pregnant: Ratio::default(),
            tkd_children: Ratio::default(),
            tkd_total: Ratio::default(),
            households_complete: Ratio::default(),
            dana_desa: Ratio::default(),
            anthropometry: Anthropometry::default(),
            freshness: Freshness::default(),
        }
    }

    /// Adds a sub-area's figures (sums of exact counts; percentages are derived later).
    pub fn add(&mut self, other: &Self) {
        let sum = |a: Ratio, b: Ratio| Ratio {
            num: a.num + b.num,
            den: a.den + b.den,
        };
        self.villages += other.villages;
        self.households_1000hpk += other.households_1000hpk;
        if self.coverage.is_empty() {
            self.coverage.clone_from(&other.coverage);
        } else {
            for (mine, theirs) in self.coverage.iter_mut().zip(&other.coverage) {
                mine.received += theirs.received;
                mine.applicable += theirs.applicable;
                mine.not_applicable += theirs.not_applicable;
            }
        }
        self.tkd_pregnant = sum(self.tkd_pregnant, other.tkd_pregnant);
        self.tkd_children = sum(self.tkd_children, other.tkd_children);
        self.tkd_total = sum(self.tkd_total, other.tkd_total);
        self.households_complete = sum(self.households_complete, other.households_complete);
        self.dana_desa = sum(self.dana_desa, other.dana_desa);
        self.anthropometry.add(other.anthropometry);
        self.freshness.devices += other.freshness.devices;
        self.freshness.synced_since_quarter_end += other.freshness.synced_since_quarter_end;
        self.freshness.pending_reported += other.freshness.pending_reported;
    }
}

/// One quarter of an area's trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// The quarter.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub quarter: Quarter,
    /// 1000-HPK households assessed.
    pub households_1000hpk: u64,
    /// Convergence level (TKD), pregnant women and children together.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tkd_total: Ratio,
    /// 1000-HPK households with the complete package.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub households_complete: Ratio,
    /// Stunting among the children measured in the quarter.
    pub stunting: Prevalence,
}

impl TrendPoint {
    /// The point of an area row.
    pub fn of(quarter: Quarter, row: &AggregateRow) -> Self {
        Self {
            quarter,
            households_1000hpk: row.households_1000hpk,
            tkd_total: row.tkd_total,
            households_complete: row.households_complete,
            stunting: row.anthropometry.stunting,
        }
    }
}

/// Answer of `GET /api/v1/aggregates/trend`: quarters oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendReport {
    /// Region code.
    pub area_code: String,
    /// Region name.
    pub area_name: String,
    /// Rule set used for the recap.
    pub rule_set_id: String,
    /// One point per quarter, oldest first.
    pub points: Vec<TrendPoint>,
}

/// One followed person of a household in the drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRow {
    /// The person.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub person_id: PersonId,
    /// Name as registered.
    pub name: String,
    /// Pregnant woman, child 0-23 months or child 2-6 years.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub group: TargetGroup,
    /// Services received over services applicable in the quarter.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub completeness: Ratio,
    /// Codes of the indicators not received (T) in the quarter.
    pub missing: Vec<String>,
}

/// One household of a village in the drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdRow {
    /// The household.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub household_id: HouseholdId,
    /// Head of household.
    pub head_name: String,
    /// Hamlet.
    pub dusun: String,
    /// RT.
    pub rt: String,
    /// RW.
    pub rw: String,
    /// Whether every 1000-HPK member received every applicable service (false when the
    /// household has no 1000-HPK member assessed in the quarter).
    pub complete: bool,
    /// Members assessed in the quarter.
    pub members: Vec<MemberRow>,
}

/// Answer of `GET /api/v1/aggregates/households`: the households of one village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdReport {
    /// Village code.
    pub village_code: String,
    /// Village name.
    pub village_name: String,
    /// The quarter.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub quarter: Quarter,
    /// Rule set used for the recap.
    pub rule_set_id: String,
    /// Households, 1000-HPK households first, then by head name.
    pub households: Vec<HouseholdRow>,
}
