//! The panel's outcome (`/api/v1/assessment/{year}/...`): the province publishes the year,
//! the ranking per category (JSON and XLSX) and a district's own result. Before publication
//! only the province sees the ranking; districts get 404 for it and an empty result.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use konvergen_shared::actions::panel_views::{DistrictResult, RankingView};
use konvergen_shared::api::{ErrorBody, Role};

use super::district::regency_visible;
use super::panel::{check_year, province_of, refusal, year_data};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::util::now_ms;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The province publishes the year: districts see their results, and the rubric, weights
/// and sheets of the year are frozen.
#[utoipa::path(post, path = "/api/v1/assessment/{year}/publish", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody),
        (status = 409, description = "Published already, or nothing scored", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<RankingView>> {
    caller.require(&[Role::Province])?;
    check_year(year)?;
    let (province, user) = (province_of(&caller)?, caller.me.id);
    let target = province.clone();
    state
        .store
        .publish(target, year, user, now_ms())
        .await?
        .map_err(|r| refusal(r, year))?;
    Ok(Json(ranking_of(&state, province, year).await?))
}

async fn ranking_of(state: &AppState, province: String, year: i32) -> ApiResult<RankingView> {
    let code = province.clone();
    let name = state.store.region_name(code).await?.unwrap_or_default();
    Ok(year_data(state, province, year).await?.ranking(name, year))
}

/// The province of any caller who may read a published ranking, or 404 for the rest.
fn ranking_reader(caller: &Caller) -> ApiResult<String> {
    caller.require(&[
        Role::Province,
        Role::Assessor,
        Role::Supervisor,
        Role::Agency,
    ])?;
    let area = caller
        .me
        .areas
        .first()
        .map(|a| a.code.clone())
        .ok_or(ApiError::Forbidden)?;
    Ok(area.split('.').next().unwrap_or_default().to_owned())
}

/// The year's ranking per category: the province sees it as it forms; everyone else in the
/// province only once published (before, 404 as if it did not exist).
#[utoipa::path(get, path = "/api/v1/assessment/{year}/ranking", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, description = "Not published yet", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn ranking(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<RankingView>> {
    Ok(Json(visible_ranking(&state, &caller, year).await?))
}

async fn visible_ranking(state: &AppState, caller: &Caller, year: i32) -> ApiResult<RankingView> {
    check_year(year)?;
    let province = ranking_reader(caller)?;
    let view = ranking_of(state, province, year).await?;
    if view.publication.is_none() && caller.me.role != Role::Province {
        return Err(ApiError::NotFound);
    }
    Ok(view)
}

/// The ranking as a workbook: one sheet, a block per category, the component scores and the
/// total as numbers with two decimals.
#[utoipa::path(get, path = "/api/v1/assessment/{year}/ranking.xlsx", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn ranking_xlsx(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<impl IntoResponse> {
    let view = visible_ranking(&state, &caller, year).await?;
    let bytes = crate::export::ranking_xlsx(&view)
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("xlsx: {err}")))?;
    let disposition = format!("attachment; filename=\"peringkat-8-aksi-{year}.xlsx\"");
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    ))
}

/// A district's own result: empty until the year is published.
#[utoipa::path(get, path = "/api/v1/assessment/{year}/result/{regency}", tag = "assessment", security(("bearer" = [])),
    params(("year" = i32, Path), ("regency" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn result(
    State(state): State<AppState>,
    caller: Caller,
    Path((year, regency)): Path<(i32, String)>,
) -> ApiResult<Json<DistrictResult>> {
    let province = ranking_reader(&caller)?;
    check_year(year)?;
    regency_visible(&caller, &regency)?;
    let data = year_data(&state, province, year).await?;
    let mut result = DistrictResult {
        regency_code: regency.clone(),
        year,
        publication: data.publication.clone(),
        rubric: None,
        score: None,
        rank: None,
        category: None,
        recommendations: Vec::new(),
    };
    if data.publication.is_none() {
        return Ok(Json(result));
    }
    let ranking = data.ranking(String::new(), year);
    if let Some(group) = ranking
        .groups
        .iter()
        .find(|g| g.lines.iter().any(|l| l.regency_code == regency))
    {
        let line = group
            .lines
            .iter()
            .find(|l| l.regency_code == regency)
            .expect("found above");
        result.score = Some(line.score.clone());
        result.rank = Some((line.rank, group.lines.len() as u32));
        result.category = Some(group.label.clone());
    }
    result.recommendations = data
        .sheets
        .iter()
        .filter(|s| {
            s.regency_code == regency
                && s.submitted_at_ms.is_some()
                && !s.sheet.recommendation.is_empty()
        })
        .map(|s| s.sheet.recommendation.clone())
        .collect();
    result.rubric = Some(data.rubric);
    Ok(Json(result))
}
