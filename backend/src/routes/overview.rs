//! `GET /province/{year}/overview`: every regency and city of the caller's province in one
//! table for an assessed year (`docs/penilaian-kinerja.md` §4): review status, completeness
//! per action, what the teams still owe, budget, innovations and the village figures;
//! `GET /province/{year}/overview.xlsx`: the same table as a workbook.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::district::{Overview, outcome_quarter, validate_year, year_before};
use konvergen_shared::recap::Quarter;

use super::aggregates::quarter_end_ms;
use crate::AppState;
use crate::auth::Caller;
use crate::db::OverviewQuery;
use crate::error::{ApiError, ApiResult};
use crate::util::{now_ms, today_wita};

/// Who reads the overview: the province's technical team (the panel's assessors will join).
const READERS: &[Role] = &[Role::Province, Role::Assessor];

/// The overview of the caller's province for `year`.
#[utoipa::path(get, path = "/api/v1/province/{year}/overview", tag = "province", security(("bearer" = [])),
    params(("year" = i32, Path, description = "Assessed year")),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, description = "Not an assessed year", body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<Overview>> {
    let query = query(&caller, year)?;
    Ok(Json(state.store.province_overview(query).await?))
}

/// The overview as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/province/{year}/overview.xlsx", tag = "province", security(("bearer" = [])),
    params(("year" = i32, Path, description = "Assessed year")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn workbook(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<impl IntoResponse> {
    let query = query(&caller, year)?;
    let overview = state.store.province_overview(query).await?;
    let bytes = crate::overview_sheet::xlsx(&overview)
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("xlsx: {err}")))?;
    let file_name = format!(
        "attachment; filename=\"konvergen-ikhtisar-{}-{}.xlsx\"",
        overview.province_code, overview.year
    );
    let headers = [
        (
            header::CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
        ),
        (header::CONTENT_DISPOSITION, file_name),
    ];
    Ok((headers, bytes))
}

/// The caller's province, an assessed year and the quarters of its village figures.
fn query(caller: &Caller, year: i32) -> ApiResult<OverviewQuery> {
    caller.require(READERS)?;
    let province = caller
        .me
        .areas
        .first()
        .and_then(|area| area.code.split('.').next())
        .map(str::to_owned)
        .ok_or(ApiError::Forbidden)?;
    let today = today_wita(now_ms());
    // The same day of slack as a push and the dossier: a year whose records are accepted
    // has an overview.
    let latest = today.next_day().unwrap_or(time::Date::MAX).year();
    validate_year(year, latest).map_err(ApiError::Validation)?;
    let quarter = outcome_quarter(year, today);
    let with_end = |quarter: Quarter| (quarter, quarter_end_ms(quarter));
    Ok(OverviewQuery {
        province,
        year,
        quarter: with_end(quarter),
        quarter_before: with_end(year_before(quarter)),
    })
}
