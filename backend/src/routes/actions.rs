//! The 8 convergence actions: the district fills its checklist and submits it; the
//! province verifies or returns it with a reason, scores it and ranks the districts.

use axum::Json;
use axum::extract::{Path, State};
use konvergen_shared::actions::assessment::format_score;
use konvergen_shared::actions::{
    Catalogue, Checklist, ItemState, Scores, Status, Transition, Weights, WorkflowError,
};
use konvergen_shared::api::{ErrorBody, Role};
use serde::Serialize;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, AppJson};
use crate::util::now_ms;

/// A checklist with the catalogue it is filled against.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChecklistView {
    /// Actions and evidence items of the year.
    #[schema(value_type = Object)]
    pub catalogue: Catalogue,
    /// The district's state.
    #[schema(value_type = Object)]
    pub checklist: Checklist,
}

/// One line of the ranking table.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankRow {
    /// Rank (ties share one).
    pub rank: u32,
    /// Regency code.
    pub regency_code: String,
    /// Regency name.
    pub name: String,
    /// Component scores as shown (`80.00`).
    pub documents: String,
    /// Presentation score.
    pub presentation: String,
    /// Field verification score.
    pub field: String,
    /// Weighted total.
    pub total: String,
}

fn regency_in_scope(caller: &Caller, regency: &str) -> ApiResult<()> {
    let is_regency = regency.split('.').count() == 2;
    if !is_regency || !caller.scope.contains(regency) {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

fn workflow(err: WorkflowError) -> ApiError {
    match err {
        WorkflowError::NotAllowed(status) => {
            ApiError::Conflict(format!("not allowed while {status:?}"))
        }
        WorkflowError::Invalid(fields) => ApiError::Validation(fields),
    }
}

async fn load(state: &AppState, regency: &str, year: i32) -> ApiResult<(Catalogue, Checklist)> {
    let catalogue = Catalogue::default_for(year);
    let fresh = Checklist::new(regency, year, &catalogue);
    let stored = state.store.checklist(regency.to_owned(), year).await?;
    Ok((catalogue, stored.unwrap_or(fresh)))
}

async fn save(state: &AppState, caller: &Caller, checklist: Checklist) -> ApiResult<Checklist> {
    state
        .store
        .save_checklist(checklist.clone(), caller.me.id, now_ms())
        .await?;
    Ok(checklist)
}

/// The year's catalogue.
#[utoipa::path(get, path = "/api/v1/actions/catalogue/{year}", tag = "actions", security(("bearer" = [])),
    params(("year" = i32, Path)), responses((status = 200, body = Object), (status = 401, body = ErrorBody)))]
pub async fn catalogue(_caller: Caller, Path(year): Path<i32>) -> Json<Catalogue> {
    Json(Catalogue::default_for(year))
}

/// A district's checklist (an empty draft until something is saved).
#[utoipa::path(get, path = "/api/v1/actions/checklists/{regency}/{year}", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = ChecklistView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
) -> ApiResult<Json<ChecklistView>> {
    caller.require(&[Role::Supervisor, Role::Province])?;
    regency_in_scope(&caller, &regency)?;
    let (catalogue, checklist) = load(&state, &regency, year).await?;
    Ok(Json(ChecklistView {
        catalogue,
        checklist,
    }))
}

/// The district records one evidence item.
#[utoipa::path(put, path = "/api/v1/actions/checklists/{regency}/{year}/items/{key}", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path), ("key" = String, Path)), request_body = Object,
    responses((status = 200, body = ChecklistView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not editable in this status", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year, key)): Path<(String, i32, String)>,
    AppJson(item): AppJson<ItemState>,
) -> ApiResult<Json<ChecklistView>> {
    caller.require(&[Role::Supervisor])?;
    regency_in_scope(&caller, &regency)?;
    let (catalogue, mut checklist) = load(&state, &regency, year).await?;
    checklist
        .set_item(&catalogue, &key, item)
        .map_err(workflow)?;
    let checklist = save(&state, &caller, checklist).await?;
    Ok(Json(ChecklistView {
        catalogue,
        checklist,
    }))
}

/// Submit (district), verify or return (province).
#[utoipa::path(post, path = "/api/v1/actions/checklists/{regency}/{year}/transition", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = ChecklistView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
    AppJson(step): AppJson<Transition>,
) -> ApiResult<Json<ChecklistView>> {
    let role = if step == Transition::Submit {
        Role::Supervisor
    } else {
        Role::Province
    };
    caller.require(&[role])?;
    regency_in_scope(&caller, &regency)?;
    let (catalogue, mut checklist) = load(&state, &regency, year).await?;
    checklist
        .transition(&catalogue, &step, &caller.me.username, now_ms())
        .map_err(workflow)?;
    let checklist = save(&state, &caller, checklist).await?;
    Ok(Json(ChecklistView {
        catalogue,
        checklist,
    }))
}

/// The province scores a verified checklist.
#[utoipa::path(put, path = "/api/v1/actions/assessments/{regency}/{year}", tag = "actions", security(("bearer" = [])),
    params(("regency" = String, Path), ("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = [RankRow]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Checklist not verified", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn score(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
    AppJson(scores): AppJson<Scores>,
) -> ApiResult<Json<Vec<RankRow>>> {
    caller.require(&[Role::Province])?;
    regency_in_scope(&caller, &regency)?;
    scores.validate().map_err(ApiError::Validation)?;
    let (_, checklist) = load(&state, &regency, year).await?;
    if checklist.status != Status::Verified {
        return Err(ApiError::Conflict(
            "only a verified checklist can be scored".to_owned(),
        ));
    }
    state
        .store
        .save_scores(regency, year, scores, caller.me.id, now_ms())
        .await?;
    ranking(State(state), caller, Path(year)).await
}

/// Sets the weights of the caller's province for a year.
#[utoipa::path(put, path = "/api/v1/actions/weights/{year}", tag = "actions", security(("bearer" = [])),
    params(("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = [RankRow]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_weights(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
    AppJson(weights): AppJson<Weights>,
) -> ApiResult<Json<Vec<RankRow>>> {
    caller.require(&[Role::Province])?;
    weights.validate().map_err(ApiError::Validation)?;
    let province = caller
        .me
        .areas
        .first()
        .map(|a| a.code.clone())
        .ok_or(ApiError::Forbidden)?;
    state.store.save_weights(province, year, weights).await?;
    ranking(State(state), caller, Path(year)).await
}

/// Totals and ranks of the districts of the caller's province.
#[utoipa::path(get, path = "/api/v1/actions/ranking/{year}", tag = "actions", security(("bearer" = [])),
    params(("year" = i32, Path)), responses((status = 200, body = [RankRow]), (status = 403, body = ErrorBody)))]
pub async fn ranking(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<Vec<RankRow>>> {
    caller.require(&[Role::Province, Role::Supervisor])?;
    let area = caller
        .me
        .areas
        .first()
        .map(|a| a.code.clone())
        .ok_or(ApiError::Forbidden)?;
    let province = area.split('.').next().unwrap_or_default().to_owned();
    let rows = state
        .store
        .ranking(province, year)
        .await?
        .into_iter()
        .map(|district| RankRow {
            rank: district.ranked.rank,
            regency_code: district.ranked.regency_code,
            name: district.name,
            documents: format_score(district.scores.documents),
            presentation: format_score(district.scores.presentation),
            field: format_score(district.scores.field),
            total: format_score(district.ranked.total),
        })
        .collect();
    Ok(Json(rows))
}
