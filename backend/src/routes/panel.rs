//! The province's assessment panel (`/api/v1/assessment/{year}/...`): the year's rubric in
//! versions, one sheet per assessor and district, the aggregate and the ranking per
//! category, and the publication that shows districts their result and freezes the year.
//!
//! Who sees what:
//! - the province (technical team) manages the rubric, follows every sheet and publishes;
//! - an assessor fills their own sheets and sees the others' (and the aggregate) of a
//!   district only once their own sheet of it is submitted;
//! - a district sees nothing of it until the year is published, then its score, rank and
//!   the panel's recommendations (publication, ranking and results: `panel_results.rs`).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use konvergen_shared::actions::Status;
use konvergen_shared::actions::panel::{Sheet, SheetScore, district_score, rank_by_category};
use konvergen_shared::actions::panel_views::{
    DistrictPanel, OwnSheet, PanelBoard, PanelRow, PanelSheet, Publication, RankingView, RubricView,
};
use konvergen_shared::actions::rubric::Rubric;
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::district::validate_year;
use konvergen_shared::validate::ValidationErrors;

use super::district::regency_visible;
use crate::AppState;
use crate::auth::Caller;
use crate::db::{PanelRefusal, SheetWrite, StoredSheet};
use crate::error::{ApiError, ApiResult, AppJson};
use crate::util::{now_ms, today_wita};

/// Who works on the panel's side.
const PANEL: &[Role] = &[Role::Province, Role::Assessor];

/// The province a caller of the province's side works in (their one area).
pub(super) fn province_of(caller: &Caller) -> ApiResult<String> {
    caller
        .me
        .areas
        .first()
        .map(|area| area.code.clone())
        .ok_or(ApiError::Forbidden)
}

pub(super) fn check_year(year: i32) -> ApiResult<()> {
    validate_year(year, today_wita(now_ms()).year()).map_err(ApiError::Validation)
}

pub(super) fn refusal(refusal: PanelRefusal, year: i32) -> ApiError {
    match refusal {
        PanelRefusal::Published(publication) => ApiError::refused(
            "year",
            "published",
            &format!(
                "Penilaian tahun {year} sudah diumumkan oleh {}; rubrik, bobot dan nilainya dibekukan",
                publication.published_by
            ),
            &format!(
                "The {year} assessment was published by {}; its rubric, weights and scores are frozen",
                publication.published_by
            ),
        ),
        PanelRefusal::SheetsSubmitted(count) => ApiError::refused(
            "rubric",
            "in_use",
            &format!(
                "Rubrik tahun {year} tidak dapat diubah: {count} lembar penilaian sudah dikirim dengan rubrik ini"
            ),
            &format!("The {year} rubric cannot change: {count} sheet(s) were submitted with it"),
        ),
        PanelRefusal::NotSubmitted(status) => ApiError::refused(
            "checklist_status",
            "not_submitted",
            &format!(
                "Kabupaten/kota ini belum mengirim daftar periksa 8 aksi tahun {year} (status: {}); panel menilai setelah dikirim",
                status.label_id()
            ),
            &format!(
                "This district has not submitted its {year} 8-action checklist (status: {}); the panel scores it once submitted",
                status.as_str()
            ),
        ),
        PanelRefusal::AlreadySubmitted => ApiError::refused(
            "sheet",
            "already_submitted",
            "Lembar penilaian Anda untuk kabupaten/kota ini sudah dikirim dan tidak dapat diubah",
            "Your sheet for this district is submitted and cannot change",
        ),
        PanelRefusal::NothingScored => ApiError::refused(
            "year",
            "nothing_scored",
            &format!(
                "Belum ada lembar penilaian tahun {year} yang dikirim; tidak ada yang dapat diumumkan"
            ),
            &format!("No {year} sheet has been submitted; there is nothing to publish"),
        ),
    }
}

/// The year's rubric, its versions and whether it can still change.
#[utoipa::path(get, path = "/api/v1/assessment/{year}/rubric", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path)), responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rubric(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<RubricView>> {
    caller.require(PANEL)?;
    check_year(year)?;
    let province = province_of(&caller)?;
    Ok(Json(rubric_view(&state, province, year).await?))
}

async fn rubric_view(state: &AppState, province: String, year: i32) -> ApiResult<RubricView> {
    let stored = state.store.rubric_state(province, year).await?;
    Ok(RubricView {
        rubric: stored.rubric,
        version: stored.version,
        history: stored.history,
        publication: stored.publication,
        sheets_submitted: stored.sheets_submitted,
    })
}

/// Saves a new version of the year's rubric (the province). Refused once a sheet was
/// submitted with the rubric in force, and for good once the year is published.
#[utoipa::path(put, path = "/api/v1/assessment/{year}/rubric", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody),
        (status = 409, description = "Published, or sheets already submitted", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_rubric(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
    AppJson(rubric): AppJson<Rubric>,
) -> ApiResult<Json<RubricView>> {
    caller.require(&[Role::Province])?;
    check_year(year)?;
    let province = province_of(&caller)?;
    check_rubric(&state, &province, year, &rubric).await?;
    let (target, user) = (province.clone(), caller.me.id);
    state
        .store
        .save_rubric(target, rubric, user, now_ms())
        .await?
        .map_err(|r| refusal(r, year))?;
    Ok(Json(rubric_view(&state, province, year).await?))
}

/// A rubric's own checks, plus: it is for the year of the path, and it categorises only
/// regencies of the caller's province.
async fn check_rubric(
    state: &AppState,
    province: &str,
    year: i32,
    rubric: &Rubric,
) -> ApiResult<()> {
    let mut errors = ValidationErrors::default();
    for error in rubric.validate().err().unwrap_or_default() {
        errors.add(error);
    }
    if rubric.year != year {
        let (id, en) = (
            format!("Rubrik harus untuk tahun {year}"),
            format!("The rubric must be for {year}"),
        );
        errors.push("year", "mismatch", &id, &en);
    }
    let target = province.to_owned();
    let regencies = state.store.regencies(target).await?;
    for code in rubric.district_categories.keys() {
        if !regencies.iter().any(|(known, _)| known == code) {
            let field = format!("district_categories.{code}");
            let (id, en) = (
                "Bukan kabupaten/kota di provinsi Anda",
                "Not a regency or city of your province",
            );
            errors.push(&field, "not_in_province", id, en);
        }
    }
    errors.into_result().map_err(ApiError::Validation)
}

/// What the panel works from: the rubric, every sheet, each district's status and name.
pub(super) struct YearData {
    pub(super) rubric: Rubric,
    version: u32,
    pub(super) publication: Option<Publication>,
    pub(super) sheets: Vec<StoredSheet>,
    statuses: BTreeMap<String, Status>,
    regencies: Vec<(String, String)>,
}

pub(super) async fn year_data(
    state: &AppState,
    province: String,
    year: i32,
) -> ApiResult<YearData> {
    let stored = state.store.panel_year(province, year).await?;
    Ok(YearData {
        rubric: stored.rubric,
        version: stored.version,
        publication: stored.publication,
        sheets: stored.sheets,
        statuses: stored.statuses.into_iter().collect(),
        regencies: stored.regencies,
    })
}

impl YearData {
    fn submitted_scores(&self, regency: &str) -> Vec<SheetScore> {
        self.sheets
            .iter()
            .filter(|s| s.regency_code == regency && s.submitted_at_ms.is_some())
            .map(|s| s.sheet.score(&self.rubric))
            .collect()
    }

    fn own(&self, regency: &str, assessor_id: i64) -> Option<&StoredSheet> {
        self.sheets
            .iter()
            .find(|s| s.regency_code == regency && s.assessor_id == assessor_id)
    }

    /// Whether the caller may see the others' sheets and the aggregate of a district: the
    /// province always, an assessor once their own sheet of it is submitted.
    fn sees_panel(&self, caller: &Caller, regency: &str) -> bool {
        caller.me.role == Role::Province
            || self
                .own(regency, caller.me.id)
                .is_some_and(|s| s.submitted_at_ms.is_some())
    }

    fn status(&self, regency: &str) -> Status {
        self.statuses.get(regency).copied().unwrap_or_default()
    }

    fn name(&self, regency: &str) -> String {
        self.regencies
            .iter()
            .find(|(code, _)| code == regency)
            .map_or_else(|| regency.to_owned(), |(_, n)| n.clone())
    }

    pub(super) fn ranking(&self, province_name: String, year: i32) -> RankingView {
        let mut scored: BTreeMap<String, Vec<SheetScore>> = BTreeMap::new();
        for (code, _) in &self.regencies {
            let scores = self.submitted_scores(code);
            if !scores.is_empty() {
                scored.insert(code.clone(), scores);
            }
        }
        let ranking = rank_by_category(&self.rubric, &scored);
        RankingView {
            year,
            province: province_name,
            rubric: self.rubric.clone(),
            rubric_version: self.version,
            publication: self.publication.clone(),
            groups: RankingView::groups_of(&self.rubric, ranking, |code| self.name(code)),
        }
    }
}

/// Every regency of the province with its status and the panel's progress on it.
#[utoipa::path(get, path = "/api/v1/assessment/{year}/panel", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path)), responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<PanelBoard>> {
    caller.require(PANEL)?;
    check_year(year)?;
    let data = year_data(&state, province_of(&caller)?, year).await?;
    let rows = data
        .regencies
        .iter()
        .map(|(code, name)| {
            let scores = data.submitted_scores(code);
            let visible = data.sees_panel(&caller, code) && !scores.is_empty();
            PanelRow {
                regency_code: code.clone(),
                name: name.clone(),
                checklist_status: data.status(code),
                category: data.rubric.category_of(code).map(|c| c.key.clone()),
                sheets_submitted: scores.len() as u32,
                mine_submitted: data
                    .own(code, caller.me.id)
                    .map(|s| s.submitted_at_ms.is_some()),
                result: visible.then(|| district_score(&data.rubric, &scores)),
            }
        })
        .collect();
    Ok(Json(PanelBoard {
        year,
        rubric: data.rubric,
        rubric_version: data.version,
        rows,
        publication: data.publication,
    }))
}

/// One district for the panel: the rubric, the caller's own sheet, and (once the caller's
/// sheet is submitted) the others' sheets and the aggregate.
#[utoipa::path(get, path = "/api/v1/assessment/{year}/districts/{regency}", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path), ("regency" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn district(
    State(state): State<AppState>,
    caller: Caller,
    Path((year, regency)): Path<(i32, String)>,
) -> ApiResult<Json<DistrictPanel>> {
    caller.require(PANEL)?;
    check_year(year)?;
    regency_visible(&caller, &regency)?;
    let data = year_data(&state, province_of(&caller)?, year).await?;
    Ok(Json(district_panel(&data, &caller, &regency, year)))
}

fn district_panel(data: &YearData, caller: &Caller, regency: &str, year: i32) -> DistrictPanel {
    let mine = data.own(regency, caller.me.id).map(|stored| OwnSheet {
        sheet: stored.sheet.clone(),
        score: stored.sheet.score(&data.rubric),
        submitted_at_ms: stored.submitted_at_ms,
    });
    let visible = data.sees_panel(caller, regency);
    let submitted: Vec<&StoredSheet> = data
        .sheets
        .iter()
        .filter(|s| s.regency_code == regency && s.submitted_at_ms.is_some())
        .collect();
    let others = visible.then(|| {
        submitted
            .iter()
            .filter(|s| s.assessor_id != caller.me.id)
            .map(|s| PanelSheet {
                assessor: s.assessor.clone(),
                sheet: s.sheet.clone(),
                score: s.sheet.score(&data.rubric),
                submitted_at_ms: s.submitted_at_ms.unwrap_or_default(),
            })
            .collect()
    });
    let scores = data.submitted_scores(regency);
    DistrictPanel {
        regency_code: regency.to_owned(),
        name: data.name(regency),
        year,
        checklist_status: data.status(regency),
        rubric: data.rubric.clone(),
        rubric_version: data.version,
        mine,
        others,
        sheets_submitted: submitted.len() as u32,
        result: (visible && !scores.is_empty()).then(|| district_score(&data.rubric, &scores)),
        publication: data.publication.clone(),
    }
}

/// An assessor saves their sheet of a district as a draft.
#[utoipa::path(put, path = "/api/v1/assessment/{year}/districts/{regency}/sheet", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path), ("regency" = String, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "District not submitted, sheet final, or year published", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_sheet(
    State(state): State<AppState>,
    caller: Caller,
    Path((year, regency)): Path<(i32, String)>,
    AppJson(sheet): AppJson<Sheet>,
) -> ApiResult<Json<DistrictPanel>> {
    write_sheet(state, caller, year, regency, sheet, false).await
}

/// An assessor submits their sheet of a district: every indicator graded; final.
#[utoipa::path(post, path = "/api/v1/assessment/{year}/districts/{regency}/sheet/submit", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path), ("regency" = String, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "District not submitted, sheet final, or year published", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_sheet(
    State(state): State<AppState>,
    caller: Caller,
    Path((year, regency)): Path<(i32, String)>,
    AppJson(sheet): AppJson<Sheet>,
) -> ApiResult<Json<DistrictPanel>> {
    write_sheet(state, caller, year, regency, sheet, true).await
}

async fn write_sheet(
    state: AppState,
    caller: Caller,
    year: i32,
    regency: String,
    sheet: Sheet,
    submit: bool,
) -> ApiResult<Json<DistrictPanel>> {
    caller.require(&[Role::Assessor])?;
    check_year(year)?;
    regency_visible(&caller, &regency)?;
    let province = province_of(&caller)?;
    let (rubric, version) = {
        let target = province.clone();
        state.store.rubric(target, year).await?
    };
    sheet
        .validate(&rubric, submit)
        .map_err(ApiError::Validation)?;
    let sheet = Sheet {
        recommendation: sheet.recommendation.trim().to_owned(),
        ..sheet
    };
    let write = SheetWrite {
        province: province.clone(),
        regency: regency.clone(),
        year,
        assessor_id: caller.me.id,
        rubric_version: version,
        submit,
        now_ms: now_ms(),
    };
    state
        .store
        .save_sheet(write, sheet)
        .await?
        .map_err(|r| refusal(r, year))?;
    let data = year_data(&state, province, year).await?;
    Ok(Json(district_panel(&data, &caller, &regency, year)))
}
