//! What the panel's endpoints answer (`/api/v1/assessment/...`), shared by server and desk.

use serde::{Deserialize, Serialize};

use super::catalogue::Bilingual;
use super::panel::{CategoryRanking, Sheet, SheetScore};
use super::rubric::Rubric;
use super::workflow::Status;

/// One saved version of a year's rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricVersionInfo {
    /// Version, from 1 (0 is the default rubric, never saved).
    pub version: u32,
    /// Who saved it.
    pub saved_by: String,
    /// When, ms since the epoch.
    pub saved_at_ms: i64,
}

/// The publication of a year's ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// When, ms since the epoch.
    pub published_at_ms: i64,
    /// Who published.
    pub published_by: String,
    /// The rubric version the ranking was computed with (frozen from then on).
    pub rubric_version: u32,
}

/// The rubric in force for a year, with its history and whether it can still change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricView {
    /// The rubric.
    pub rubric: Rubric,
    /// Its version (0: the default, never saved).
    pub version: u32,
    /// Every saved version, oldest first.
    pub history: Vec<RubricVersionInfo>,
    /// Set once the year's ranking is published; the rubric is frozen then.
    pub publication: Option<Publication>,
    /// Sheets submitted so far this year: once there is one, the rubric stays as it is, so
    /// that every sheet of the year is scored on the same instrument.
    pub sheets_submitted: u32,
}

/// An assessor's own sheet of a district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSheet {
    /// Grades and recommendation.
    pub sheet: Sheet,
    /// Its scores under the rubric in force (ungraded indicators count 0).
    pub score: SheetScore,
    /// Set once submitted; a submitted sheet is final.
    pub submitted_at_ms: Option<i64>,
}

/// Another assessor's submitted sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelSheet {
    /// The assessor's name.
    pub assessor: String,
    /// Grades and recommendation.
    pub sheet: Sheet,
    /// Its scores.
    pub score: SheetScore,
    /// When it was submitted.
    pub submitted_at_ms: i64,
}

/// One district as the panel sees it (`GET /api/v1/assessment/{year}/districts/{regency}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictPanel {
    /// Regency code.
    pub regency_code: String,
    /// Regency name.
    pub name: String,
    /// Year assessed.
    pub year: i32,
    /// Where the district's checklist is; the panel scores only what was submitted.
    pub checklist_status: Status,
    /// The rubric in force.
    pub rubric: Rubric,
    /// Its version.
    pub rubric_version: u32,
    /// The caller's own sheet (assessors), if started.
    pub mine: Option<OwnSheet>,
    /// The other submitted sheets: `None` while the caller (an assessor) has not submitted
    /// their own, so that nobody scores in the light of the others.
    pub others: Option<Vec<PanelSheet>>,
    /// How many sheets are submitted, the caller's included.
    pub sheets_submitted: u32,
    /// The district's aggregate score, with the same visibility as `others`.
    pub result: Option<SheetScore>,
    /// Set once the year is published.
    pub publication: Option<Publication>,
}

/// One district on the panel's board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelRow {
    /// Regency code.
    pub regency_code: String,
    /// Regency name.
    pub name: String,
    /// Checklist status (`Draft` when the district never saved one).
    pub checklist_status: Status,
    /// Category key, if the rubric gives it one.
    pub category: Option<String>,
    /// Sheets submitted.
    pub sheets_submitted: u32,
    /// The caller's own sheet: `None` not started, `Some(false)` draft, `Some(true)` submitted.
    pub mine_submitted: Option<bool>,
    /// The aggregate score, when the caller may see it.
    pub result: Option<SheetScore>,
}

/// The panel's board for a year (`GET /api/v1/assessment/{year}/panel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelBoard {
    /// Year assessed.
    pub year: i32,
    /// The rubric in force (component and category names).
    pub rubric: Rubric,
    /// Its version.
    pub rubric_version: u32,
    /// Every regency of the province.
    pub rows: Vec<PanelRow>,
    /// Set once published.
    pub publication: Option<Publication>,
}

/// A district in the published (or, for the province, provisional) ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingLine {
    /// Rank within its category; ties share it.
    pub rank: u32,
    /// Regency code.
    pub regency_code: String,
    /// Regency name.
    pub name: String,
    /// Score and breakdown.
    pub score: SheetScore,
    /// Sheets behind the score.
    pub assessors: u32,
}

/// The ranking of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingGroup {
    /// Category key (`None`: no category).
    pub category: Option<String>,
    /// Its name ("Semua kabupaten/kota" when there is no category).
    pub label: Bilingual,
    /// Districts, best first.
    pub lines: Vec<RankingLine>,
}

/// The year's ranking (`GET /api/v1/assessment/{year}/ranking`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingView {
    /// Year assessed.
    pub year: i32,
    /// Province name, for the decree's title.
    pub province: String,
    /// The rubric the ranking was computed with (component names and weights).
    pub rubric: Rubric,
    /// Its version.
    pub rubric_version: u32,
    /// `None` while provisional (only the province sees it then).
    pub publication: Option<Publication>,
    /// One group per category.
    pub groups: Vec<RankingGroup>,
}

/// A district's own result (`GET /api/v1/assessment/{year}/result/{regency}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictResult {
    /// Regency code.
    pub regency_code: String,
    /// Year assessed.
    pub year: i32,
    /// `None` until the province publishes; nothing else is filled before.
    pub publication: Option<Publication>,
    /// The rubric (component names and weights), once published.
    pub rubric: Option<Rubric>,
    /// Score and breakdown, once published (`None` also when the district was not scored).
    pub score: Option<SheetScore>,
    /// Rank within its category and how many were ranked in it.
    pub rank: Option<(u32, u32)>,
    /// The category's name.
    pub category: Option<Bilingual>,
    /// The panel's recommendations, without the assessors' names.
    pub recommendations: Vec<String>,
}

impl RankingView {
    /// The groups of a ranking, named from the rubric.
    pub fn groups_of(
        rubric: &Rubric,
        ranking: Vec<CategoryRanking>,
        name_of: impl Fn(&str) -> String,
    ) -> Vec<RankingGroup> {
        ranking
            .into_iter()
            .map(|group| {
                let label = group
                    .category
                    .as_ref()
                    .and_then(|key| rubric.categories.iter().find(|c| &c.key == key))
                    .map_or_else(
                        || Bilingual::new("Semua kabupaten/kota", "All regencies and cities"),
                        |c| c.label.clone(),
                    );
                let lines = group
                    .districts
                    .into_iter()
                    .map(|d| RankingLine {
                        rank: d.rank,
                        name: name_of(&d.regency_code),
                        regency_code: d.regency_code,
                        score: d.score,
                        assessors: d.assessors,
                    })
                    .collect();
                RankingGroup {
                    category: group.category,
                    label,
                    lines,
                }
            })
            .collect()
    }
}
