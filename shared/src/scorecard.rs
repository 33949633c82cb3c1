//! The village scorecard (Formulir 4) for one quarter: tables 1-5.

use crate::ids::PersonId;
use serde::{Deserialize, Serialize};

use crate::monitoring::{Form2a, Form2b, Form2c, GrowthMat, NutritionStatus};
use crate::recap::{self, Coverage, PersonRecap, Quarter, Ratio, RuleSet, Summary};
use crate::register::{Child, PaudChild, PregnancyStatus, PregnantWoman};

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
    /// Pregnant women assessed.
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

/// Tabel 2: growth-mat results, latest in the quarter.
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
    /// Field (bidang), e.g. "Bidang Pembangunan Desa".
    pub field: String,
    /// Total allocation in rupiah.
    pub total_rupiah: u64,
    /// Allocation for stunting prevention in rupiah.
    pub stunting_rupiah: u64,
}

impl DanaDesaLine {
    /// Stunting share of the allocation.
    pub fn share(&self) -> Ratio {
        Ratio {
            num: self.stunting_rupiah,
            den: self.total_rupiah,
        }
    }
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
    /// Per-person results behind the tables (forms 3A/3B).
    pub persons: Vec<PersonRecap>,
}

/// Computes every person's recap for the quarter.
pub fn recaps(rules: &RuleSet, quarter: Quarter, data: &AreaData) -> Vec<PersonRecap> {
    let mut persons = Vec::new();
    for (id, woman) in &data.pregnant {
        let forms: Vec<&Form2a> = data.form2a.iter().filter(|f| f.person_id == *id).collect();
        persons.extend(recap::person::pregnancy(rules, quarter, *id, woman, &forms));
    }
    for (id, child) in &data.children {
        let forms: Vec<&Form2b> = data.form2b.iter().filter(|f| f.person_id == *id).collect();
        persons.extend(recap::person::child(rules, quarter, *id, child, &forms));
    }
    for (id, child) in &data.paud {
        let forms: Vec<&Form2c> = data.form2c.iter().filter(|f| f.person_id == *id).collect();
        persons.extend(recap::person::paud(
            rules,
            quarter,
            *id,
            child.household_id,
            &forms,
        ));
    }
    persons.sort_by_key(|p| (p.group, p.person_id));
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

/// The child's last form in the quarter that says something about `field`.
fn latest<T: Copy>(
    quarter: Quarter,
    forms: &[Form2b],
    child: PersonId,
    field: impl Fn(&Form2b) -> Option<T>,
) -> Option<T> {
    forms
        .iter()
        .filter(|f| f.person_id == child && quarter.contains(f.month))
        .filter_map(|f| field(f).map(|value| (f.month, value)))
        .max_by_key(|(month, _)| *month)
        .map(|(_, value)| value)
}

fn assessed(persons: &[PersonRecap], group: recap::TargetGroup) -> Vec<PersonId> {
    persons
        .iter()
        .filter(|p| p.group == group)
        .map(|p| p.person_id)
        .collect()
}

fn targets(quarter: Quarter, data: &AreaData, persons: &[PersonRecap]) -> TargetCounts {
    let women = assessed(persons, recap::TargetGroup::Pregnant);
    let children = assessed(persons, recap::TargetGroup::Child);
    let status = |child: &PersonId| latest(quarter, &data.form2b, *child, |f| f.nutrition_status);
    let with_status = |wanted: NutritionStatus| {
        children
            .iter()
            .filter(|c| status(c) == Some(wanted))
            .count() as u64
    };
    TargetCounts {
        households_1000hpk: recap::households_1000hpk(persons).len() as u64,
        pregnant: women.len() as u64,
        pregnant_kek_risti: data
            .pregnant
            .iter()
            .filter(|(id, w)| women.contains(id) && w.status != PregnancyStatus::Normal)
            .count() as u64,
        children: children.len() as u64,
        children_undernourished: with_status(NutritionStatus::GK),
        children_severely_undernourished: with_status(NutritionStatus::GB),
        children_stunted: with_status(NutritionStatus::S),
    }
}

fn growth_mat(quarter: Quarter, data: &AreaData, persons: &[PersonRecap]) -> GrowthMatCounts {
    let mut counts = GrowthMatCounts::default();
    for child in assessed(persons, recap::TargetGroup::Child) {
        match latest(quarter, &data.form2b, child, |f| f.growth_mat) {
            Some(GrowthMat::Green) => counts.green += 1,
            Some(GrowthMat::Yellow) => counts.yellow += 1,
            Some(GrowthMat::Red) => counts.red += 1,
            Some(GrowthMat::NotMeasured) | None => {}
        }
    }
    counts
}
