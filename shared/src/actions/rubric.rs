//! The year's assessment rubric (instrumen penilaian) as data: components with weights, the
//! indicators of each component with their grade scales, and optional district categories.
//!
//! The rubric changes by province and year (domain notes §1.3: 60/20/20 documents /
//! presentation / field verification in one year, outcome / process / innovation aspects in
//! another), so it is stored in versions and frozen once the year's ranking is published.
//! Points are hundredths (`10000` = 100.00) like every score in [`super::assessment`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::assessment::MAX_SCORE;
use super::catalogue::Bilingual;
use crate::api::FieldError;
use crate::validate::ValidationErrors;

/// Most components, indicators per component, grades per indicator and categories a rubric
/// may have: far above any real instrument, low enough that a sheet stays small.
pub const MAX_RUBRIC_PARTS: usize = 40;
/// Longest key of a component, indicator, grade or category.
pub const MAX_KEY_CHARS: usize = 40;
/// Longest label or grade criterion.
pub const MAX_LABEL_CHARS: usize = 500;

/// One step of an indicator's scale, e.g. `A` = 100 points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// What the assessor picks: a letter (`A`) or a number written as text (`3`).
    pub code: String,
    /// Points in hundredths, 0-10000.
    pub points: u32,
    /// What the district must show to earn it.
    pub criterion: Bilingual,
}

/// One indicator of a component, graded on its own scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Key that stays the same across rubric versions, e.g. `doc.complete`.
    pub key: String,
    /// What is assessed.
    pub label: Bilingual,
    /// The scale, best grade first.
    pub grades: Vec<Grade>,
}

/// A weighted part of the assessment: a stage (documents, presentation, field verification)
/// or an aspect (outcome, process, innovation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Key, e.g. `documents`.
    pub key: String,
    /// Name.
    pub label: Bilingual,
    /// Weight in whole percent; the weights of a rubric add up to 100.
    pub weight: u32,
    /// Indicators; the component's score is the mean of their points.
    pub indicators: Vec<Indicator>,
}

/// A group of districts ranked among themselves (e.g. `lokus`, `lokus_nasional`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Key.
    pub key: String,
    /// Name.
    pub label: Bilingual,
}

/// How the panel's sheets make the district's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// The mean of the assessors' totals.
    #[default]
    Mean,
    /// The median, for panels that want one outlier not to move the result.
    Median,
}

/// The rubric of a province for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    /// Year assessed.
    pub year: i32,
    /// Weighted components, in the order a sheet shows them.
    pub components: Vec<Component>,
    /// Categories ranked separately; none: one ranking of every district.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// The category of each district that has one (regency code → category key).
    #[serde(default)]
    pub district_categories: BTreeMap<String, String>,
    /// How sheets are combined.
    #[serde(default)]
    pub aggregation: Aggregation,
}

impl Rubric {
    /// The rubric a province starts from: documents 60, presentation 20, field verification
    /// 20 (Bengkulu PK 2023, domain notes §1.3), letter grades A-E on every indicator.
    pub fn default_for(year: i32) -> Self {
        Self {
            year,
            components: vec![
                component(
                    "documents",
                    ("Dokumen pendukung", "Supporting documents"),
                    60,
                    &[
                        (
                            "documents.complete",
                            "Kelengkapan dokumen 8 aksi",
                            "Completeness of the 8 actions' documents",
                        ),
                        (
                            "documents.quality",
                            "Kualitas dan kesesuaian isi dokumen",
                            "Quality and relevance of the documents",
                        ),
                        (
                            "documents.data",
                            "Pemanfaatan data sasaran dan cakupan layanan",
                            "Use of target and coverage data",
                        ),
                    ],
                ),
                component(
                    "presentation",
                    ("Paparan", "Presentation"),
                    20,
                    &[
                        (
                            "presentation.mastery",
                            "Penguasaan masalah dan data",
                            "Mastery of the problem and the data",
                        ),
                        (
                            "presentation.commitment",
                            "Komitmen pimpinan daerah",
                            "Commitment of the regional leadership",
                        ),
                    ],
                ),
                component(
                    "field",
                    ("Verifikasi lapangan", "Field verification"),
                    20,
                    &[(
                        "field.match",
                        "Kesesuaian dokumen dengan kondisi lapangan",
                        "Documents match what is found in the field",
                    )],
                ),
            ],
            categories: Vec::new(),
            district_categories: BTreeMap::new(),
            aggregation: Aggregation::Mean,
        }
    }

    /// The three aspects of Kalimantan Selatan's 2025 assessment (outcome achievement,
    /// implementation process, innovation; domain notes §1.3), with the two categories of
    /// its earlier decrees, for a province to start from instead of [`Rubric::default_for`].
    pub fn aspects_for(year: i32) -> Self {
        Self {
            year,
            components: vec![
                component(
                    "outcome",
                    ("Capaian hasil", "Outcome achievement"),
                    40,
                    &[
                        (
                            "outcome.prevalence",
                            "Penurunan prevalensi stunting",
                            "Fall in stunting prevalence",
                        ),
                        (
                            "outcome.coverage",
                            "Cakupan paket layanan 1000 HPK",
                            "Coverage of the 1000-HPK service package",
                        ),
                    ],
                ),
                component(
                    "process",
                    ("Proses pelaksanaan", "Implementation process"),
                    40,
                    &[
                        (
                            "process.actions",
                            "Pelaksanaan 8 aksi konvergensi",
                            "Carrying out the 8 convergence actions",
                        ),
                        (
                            "process.budget",
                            "Fokus anggaran intervensi",
                            "Focus of the intervention budget",
                        ),
                    ],
                ),
                component(
                    "innovation",
                    ("Inovasi", "Innovation"),
                    20,
                    &[(
                        "innovation.impact",
                        "Inovasi dan dampaknya",
                        "Innovations and their effect",
                    )],
                ),
            ],
            categories: vec![
                Category {
                    key: "lokus".to_owned(),
                    label: Bilingual::new("Lokus", "Priority location"),
                },
                Category {
                    key: "lokus_nasional".to_owned(),
                    label: Bilingual::new("Lokus nasional", "National priority location"),
                },
            ],
            district_categories: BTreeMap::new(),
            aggregation: Aggregation::Mean,
        }
    }

    /// Every indicator, in sheet order, with its component.
    pub fn indicators(&self) -> impl Iterator<Item = (&Component, &Indicator)> {
        self.components
            .iter()
            .flat_map(|c| c.indicators.iter().map(move |i| (c, i)))
    }

    /// The indicator with `key`.
    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        self.indicators().map(|(_, i)| i).find(|i| i.key == key)
    }

    /// The category a district is ranked in; `None` when the rubric has no categories or
    /// the district was given none.
    pub fn category_of(&self, regency: &str) -> Option<&Category> {
        let key = self.district_categories.get(regency)?;
        self.categories.iter().find(|c| &c.key == key)
    }

    /// Checks the whole rubric: weights add up to 100, keys are unique and short, every
    /// component has indicators and every indicator grades within 0-100, and each district
    /// category names a category of the rubric.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = ValidationErrors::default();
        check_count(&mut errors, "components", self.components.len(), 1);
        let weights: u64 = self.components.iter().map(|c| u64::from(c.weight)).sum();
        if weights != 100 {
            let id = format!("Jumlah bobot harus 100, sekarang {weights}");
            let en = format!("Weights must add up to 100, not {weights}");
            errors.push("components", "weights_sum", &id, &en);
        }
        let mut keys = BTreeSet::new();
        for (index, component) in self.components.iter().enumerate() {
            check_component(
                &mut errors,
                &format!("components[{index}]"),
                component,
                &mut keys,
            );
        }
        check_categories(&mut errors, self);
        errors.into_result()
    }
}

fn component(
    key: &str,
    label: (&str, &str),
    weight: u32,
    indicators: &[(&str, &str, &str)],
) -> Component {
    Component {
        key: key.to_owned(),
        label: Bilingual::new(label.0, label.1),
        weight,
        indicators: indicators
            .iter()
            .map(|(key, id, en)| Indicator {
                key: (*key).to_owned(),
                label: Bilingual::new(id, en),
                grades: letter_grades(),
            })
            .collect(),
    }
}

/// A-E in steps of 25 points, the letter style of the 2019/2020 form (domain notes §1.3).
fn letter_grades() -> Vec<Grade> {
    [
        (
            "A",
            10_000,
            "Sangat baik: lengkap, sesuai dan didukung data",
            "Very good: complete, relevant and backed by data",
        ),
        (
            "B",
            7_500,
            "Baik: sebagian besar lengkap dan sesuai",
            "Good: mostly complete and relevant",
        ),
        ("C", 5_000, "Cukup: separuh terpenuhi", "Fair: half met"),
        (
            "D",
            2_500,
            "Kurang: sebagian kecil terpenuhi",
            "Poor: little met",
        ),
        ("E", 0, "Tidak ada", "Absent"),
    ]
    .into_iter()
    .map(|(code, points, id, en)| Grade {
        code: code.to_owned(),
        points,
        criterion: Bilingual::new(id, en),
    })
    .collect()
}

fn check_count(errors: &mut ValidationErrors, field: &str, count: usize, min: usize) {
    if count < min {
        let (id, en) = ("Tidak boleh kosong", "Must not be empty");
        errors.push(field, "empty", id, en);
    } else if count > MAX_RUBRIC_PARTS {
        let id = format!("Paling banyak {MAX_RUBRIC_PARTS}, sekarang {count}");
        let en = format!("At most {MAX_RUBRIC_PARTS}, not {count}");
        errors.push(field, "too_many", &id, &en);
    }
}

/// Checks a key: present, short, and not seen before among `seen`.
fn check_key(errors: &mut ValidationErrors, field: &str, key: &str, seen: &mut BTreeSet<String>) {
    if !errors.text(field, key, MAX_KEY_CHARS) {
        return;
    }
    if !seen.insert(key.to_owned()) {
        let (id, en) = ("Kunci dipakai dua kali", "Key used twice");
        errors.push(field, "duplicate", id, en);
    }
}

fn check_label(errors: &mut ValidationErrors, field: &str, label: &Bilingual) {
    errors.text(&format!("{field}.id"), &label.id, MAX_LABEL_CHARS);
    errors.max_len(&format!("{field}.en"), &label.en, MAX_LABEL_CHARS);
}

fn check_component(
    errors: &mut ValidationErrors,
    path: &str,
    component: &Component,
    keys: &mut BTreeSet<String>,
) {
    check_key(errors, &format!("{path}.key"), &component.key, keys);
    check_label(errors, &format!("{path}.label"), &component.label);
    if component.weight > 100 {
        let (id, en) = ("Bobot harus 0-100", "A weight must be 0-100");
        errors.push(&format!("{path}.weight"), "out_of_range", id, en);
    }
    check_count(
        errors,
        &format!("{path}.indicators"),
        component.indicators.len(),
        1,
    );
    for (index, indicator) in component.indicators.iter().enumerate() {
        let path = format!("{path}.indicators[{index}]");
        check_key(errors, &format!("{path}.key"), &indicator.key, keys);
        check_label(errors, &format!("{path}.label"), &indicator.label);
        check_grades(errors, &path, &indicator.grades);
    }
}

fn check_grades(errors: &mut ValidationErrors, path: &str, grades: &[Grade]) {
    check_count(errors, &format!("{path}.grades"), grades.len(), 2);
    let mut codes = BTreeSet::new();
    for (index, grade) in grades.iter().enumerate() {
        let path = format!("{path}.grades[{index}]");
        check_key(errors, &format!("{path}.code"), &grade.code, &mut codes);
        check_label(errors, &format!("{path}.criterion"), &grade.criterion);
        if grade.points > MAX_SCORE {
            let (id, en) = ("Poin harus 0-100", "Points must be 0-100");
            errors.push(&format!("{path}.points"), "out_of_range", id, en);
        }
    }
}

fn check_categories(errors: &mut ValidationErrors, rubric: &Rubric) {
    if rubric.categories.len() > MAX_RUBRIC_PARTS {
        check_count(errors, "categories", rubric.categories.len(), 0);
    }
    let mut keys = BTreeSet::new();
    for (index, category) in rubric.categories.iter().enumerate() {
        let path = format!("categories[{index}]");
        check_key(errors, &format!("{path}.key"), &category.key, &mut keys);
        check_label(errors, &format!("{path}.label"), &category.label);
    }
    for (regency, key) in &rubric.district_categories {
        if !keys.contains(key) {
            let id = format!("Kategori {key} tidak ada di rubrik");
            let en = format!("Category {key} is not in the rubric");
            errors.push(
                &format!("district_categories.{regency}"),
                "unknown_category",
                &id,
                &en,
            );
        }
    }
}
