//! The village scorecard (Formulir 4) for one quarter: tables 1-5.
//!
//! Every number comes from the per-person recap of the chosen rule set, so the scorecard
//! carries the same `rule_set_id` as the results behind it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::PersonId;
use crate::monitoring::{Form2a, Form2b, Form2c, GrowthMat, NutritionStatus, YearMonth};
use crate::recap::{
    self, Coverage, Indicator, Outcome, PersonRecap, Quarter, Ratio, RuleSet, Summary, TargetGroup,
};

pub mod dana_desa;

use crate::register::{Child, PaudChild, PregnancyStatus, PregnantWoman};
pub use dana_desa::{Allocation, Bidang, VillageFund, village_fund_id};

/// Everything recorded for one village (or any area) that the scorecard reads.
#[derive(Debug, Clone, Default)]
pub struct AreaData {
    /// Pregnant women with their ids.
    pub pregnant: Vec<(PersonId, PregnantWoman)>,
    /// Children 0-23 months.
    pub children: Vec<(PersonId, Child)>,
    /// Children 2-6 years.
    pub paud: Vec<(PersonId, PaudChild)>,
    /// Form 2A records.
    pub form2a: Vec<Form2a>,
    /// Form 2B records.
    pub form2b: Vec<Form2b>,
    /// Form 2C records.
    pub form2c: Vec<Form2c>,
}

/// Tabel 1: target counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetCounts {
    /// 1000-HPK households (with an assessed pregnant woman or child 0-23 months).
    pub households_1000hpk: u64,
    /// Pregnant women assessed (including those in their postnatal period).
    pub pregnant: u64,
    /// Of which KEK or high-risk.
    pub pregnant_kek_risti: u64,
    /// Children 0-23 months assessed.
    pub children: u64,
    /// Of which undernourished (gizi kurang), by the latest status in the quarter.
    pub children_undernourished: u64,
    /// Of which severely undernourished (gizi buruk).
    pub children_severely_undernourished: u64,
    /// Of which stunted.
    pub children_stunted: u64,
}

/// Tabel 2: growth-mat results, latest measured in the quarter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthMatCounts {
    /// Green: normal.
    pub green: u64,
    /// Yellow: stunting risk.
    pub yellow: u64,
    /// Red: indicated stunted.
    pub red: u64,
}

/// One line of Tabel 5 (Dana Desa), as entered by the village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DanaDesaLine {
    /// Field (bidang), e.g. Bidang Pembangunan Desa.
    pub field: Bidang,
    /// Total allocation in rupiah.
    pub total_rupiah: u64,
    /// Allocation for stunting prevention in rupiah.
    pub stunting_rupiah: u64,
}

impl DanaDesaLine {
    /// Stunting share of the allocation.
    pub fn share(&self) -> Ratio {
        Ratio::new(self.stunting_rupiah, self.total_rupiah)
    }
}

/// Stunting share of all entered fields together (pooled rupiah, not averaged shares).
pub fn dana_desa_total(lines: &[DanaDesaLine]) -> Ratio {
    lines
        .iter()
        .map(DanaDesaLine::share)
        .fold(Ratio::default(), Ratio::pooled)
}

/// Per indicator, the persons who should have received it in the quarter and did not
/// (outcome T), in the order of the recap. Indicators nobody missed are absent. The counts
/// match Tabel 3: `applicable - received` of each indicator.
pub fn missed_by_indicator(persons: &[PersonRecap]) -> BTreeMap<Indicator, Vec<PersonId>> {
    let mut missed: BTreeMap<Indicator, Vec<PersonId>> = BTreeMap::new();
    for person in persons {
        for (indicator, outcome) in &person.outcomes {
            if *outcome == Outcome::T {
                missed.entry(*indicator).or_default().push(person.person_id);
            }
        }
    }
    missed
}

/// Tabel 4: convergence level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvergenceLevel {
    /// Pregnant women: indicators received over indicators that should have been.
    pub pregnant: Ratio,
    /// Children 0-23 months.
    pub children: Ratio,
    /// Both.
    pub total: Ratio,
}

/// The whole scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The quarter.
    pub quarter: Quarter,
    /// Rule set used.
    pub rule_set_id: String,
    /// Tabel 1.
    pub targets: TargetCounts,
    /// Tabel 2.
    pub growth_mat: GrowthMatCounts,
    /// Tabel 3.
    pub coverage: Vec<Coverage>,
    /// Tabel 4.
    pub convergence: ConvergenceLevel,
    /// Tabel 5 (empty until the village enters its figures).
    pub dana_desa: Vec<DanaDesaLine>,
    /// Share of 1000-HPK households with the complete package.
    pub households_complete: Ratio,
    /// Per-person results behind the tables (forms 3A/3B), by group and person id.
    pub persons: Vec<PersonRecap>,
}

/// Forms grouped by person, so each person's recap reads only their own.
fn by_person<F>(forms: &[F], person: impl Fn(&F) -> PersonId) -> BTreeMap<PersonId, Vec<&F>> {
    let mut grouped: BTreeMap<PersonId, Vec<&F>> = BTreeMap::new();
    for form in forms {
        grouped.entry(person(form)).or_default().push(form);
    }
    grouped
}

/// The forms of one person (none when they have no form at all).
fn forms_of<'a, F>(grouped: &'a BTreeMap<PersonId, Vec<&'a F>>, id: &PersonId) -> &'a [&'a F] {
    grouped.get(id).map_or(&[], Vec::as_slice)
}

/// Computes every person's recap for the quarter, sorted by group and person id.
pub fn recaps(rules: &RuleSet, quarter: Quarter, data: &AreaData) -> Vec<PersonRecap> {
    let (form2a, form2b, form2c) = (
        by_person(&data.form2a, |f| f.person_id),
        by_person(&data.form2b, |f| f.person_id),
        by_person(&data.form2c, |f| f.person_id),
    );
    let mut persons = Vec::new();
    for (id, woman) in &data.pregnant {
        persons.extend(recap::person::pregnancy(
            rules,
            quarter,
            *id,
            woman,
            forms_of(&form2a, id),
        ));
    }
    for (id, child) in &data.children {
        persons.extend(recap::person::child(
            rules,
            quarter,
            *id,
            child,
            forms_of(&form2b, id),
        ));
    }
    for (id, child) in &data.paud {
        persons.extend(recap::person::paud(
            rules,
            quarter,
            *id,
            child,
            forms_of(&form2c, id),
        ));
    }
    crate::sort::sort_by_key(&mut persons, |p| (p.group, p.person_id));
    persons
}

/// Builds the scorecard of an area for a quarter.
pub fn scorecard(
    rules: &RuleSet,
    quarter: Quarter,
    data: &AreaData,
    dana_desa: Vec<DanaDesaLine>,
) -> Scorecard {
    let persons = recaps(rules, quarter, data);
    let Summary {
        rule_set_id,
        coverage,
        tkd_pregnant,
        tkd_children,
        tkd_total,
        households_complete,
    } = recap::summarise(&rules.id, &persons);
    Scorecard {
        quarter,
        rule_set_id,
        targets: targets(quarter, data, &persons),
        growth_mat: growth_mat(quarter, data, &persons),
        coverage,
        convergence: ConvergenceLevel {
            pregnant: tkd_pregnant,
            children: tkd_children,
            total: tkd_total,
        },
        dana_desa,
        households_complete,
        persons,
    }
}

/// The child's value of `field` in the latest month of the quarter that has one. Two forms
/// for that month (from two phones) resolve to the highest by `rank`, whatever their order.
fn latest<T: Copy, R: Ord>(
    quarter: Quarter,
    forms: &[Form2b],
    child: PersonId,
    field: impl Fn(&Form2b) -> Option<T>,
    rank: impl Fn(T) -> R,
) -> Option<T> {
    forms
        .iter()
        .filter(|f| f.person_id == child && quarter.contains(f.month))
        .filter_map(|f| field(f).map(|value| (f.month, value)))
        .max_by(|a, b| (a.0, rank(a.1)).cmp(&(b.0, rank(b.1))))
        .map(|(_, value): (YearMonth, T)| value)
}

/// Most severe first when two forms of a month disagree.
fn status_rank(status: NutritionStatus) -> u8 {
    match status {
        NutritionStatus::N => 0,
        NutritionStatus::GK => 1,
        NutritionStatus::S => 2,
        NutritionStatus::GB => 3,
    }
}

fn assessed(persons: &[PersonRecap], group: TargetGroup) -> Vec<PersonId> {
    persons
        .iter()
        .filter(|p| p.group == group)
        .map(|p| p.person_id)
        .collect()
}

fn targets(quarter: Quarter, data: &AreaData, persons: &[PersonRecap]) -> TargetCounts {
    let women = assessed(persons, TargetGroup::Pregnant);
    let children = assessed(persons, TargetGroup::Child);
    let status = |child: PersonId| {
        latest(
            quarter,
            &data.form2b,
            child,
            |f| f.nutrition_status,
            status_rank,
        )
    };
    let with_status = |wanted| {
        children
            .iter()
            .filter(|c| status(**c) == Some(wanted))
            .count() as u64
    };
    let at_risk = data
        .pregnant
        .iter()
        .filter(|(id, w)| women.contains(id) && w.status != PregnancyStatus::Normal);
    TargetCounts {
        households_1000hpk: recap::households_1000hpk(persons).len() as u64,
        pregnant: women.len() as u64,
        pregnant_kek_risti: at_risk.count() as u64,
        children: children.len() as u64,
        children_undernourished: with_status(NutritionStatus::GK),
        children_severely_undernourished: with_status(NutritionStatus::GB),
        children_stunted: with_status(NutritionStatus::S),
    }
}

/// A measured growth-mat result and its severity; "not measured" is no result.
fn measured(mat: GrowthMat) -> Option<(GrowthMat, u8)> {
    match mat {
        GrowthMat::NotMeasured => None,
        GrowthMat::Green => Some((mat, 0)),
        GrowthMat::Yellow => Some((mat, 1)),
        GrowthMat::Red => Some((mat, 2)),
    }
}

fn growth_mat(quarter: Quarter, data: &AreaData, persons: &[PersonRecap]) -> GrowthMatCounts {
    let mut counts = GrowthMatCounts::default();
    for child in assessed(persons, TargetGroup::Child) {
        let mat = |f: &Form2b| f.growth_mat.and_then(measured);
        match latest(quarter, &data.form2b, child, mat, |(_, severity)| severity) {
            Some((GrowthMat::Green, _)) => counts.green += 1,
            Some((GrowthMat::Yellow, _)) => counts.yellow += 1,
            Some((GrowthMat::Red, _)) => counts.red += 1,
            Some((GrowthMat::NotMeasured, _)) | None => {}
        }
    }
    counts
}
