//! `GET /aggregates` (JSON), `/aggregates/export.csv` and `/aggregates/export.xlsx`: coverage,
//! convergence level, complete-package share, anthropometry and freshness per area.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use konvergen_shared::aggregates::{AggregateReport, HouseholdReport, TrendReport};
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::recap::Quarter;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Caller, Scope};
use crate::error::{ApiError, ApiResult};
use crate::export;
use crate::util::{now_ms, today_wita};

/// Which quarter and area.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AggregateQuery {
    /// Year (default: the current one).
    #[serde(default)]
    pub year: Option<i32>,
    /// Quarter 1-4 (default: the current one).
    #[serde(default)]
    pub quarter: Option<u8>,
    /// Region code inside the caller's area (default: the caller's area).
    #[serde(default)]
    pub area: Option<String>,
}

/// Which quarters and area for a trend.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrendQuery {
    /// Year of the last quarter (default: the current one).
    #[serde(default)]
    pub year: Option<i32>,
    /// The last quarter, 1-4 (default: the current one).
    #[serde(default)]
    pub quarter: Option<u8>,
    /// Region code inside the caller's area (default: the caller's area).
    #[serde(default)]
    pub area: Option<String>,
    /// How many quarters, 1-12 (default 8).
    #[serde(default)]
    pub quarters: Option<u8>,
}

/// Which village and quarter for the household list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HouseholdQuery {
    /// Village code inside the caller's area.
    pub village: String,
    /// Year (default: the current one).
    #[serde(default)]
    pub year: Option<i32>,
    /// Quarter 1-4 (default: the current one).
    #[serde(default)]
    pub quarter: Option<u8>,
}

/// The quarter asked for, the current one by default.
fn chosen_quarter(year: Option<i32>, quarter: Option<u8>) -> ApiResult<Quarter> {
    let today = today_wita(now_ms());
    let year = year.unwrap_or(today.year());
    let number = quarter.unwrap_or((today.month() as u8 - 1) / 3 + 1);
    Quarter::new(year, number)
        .filter(|_| (2000..=2100).contains(&year))
        .ok_or_else(|| {
            ApiError::field(
                "quarter",
                "invalid",
                "Triwulan harus 1-4",
                "Quarter must be 1-4",
            )
        })
}

/// The area asked for (the caller's own by default), refused like an unknown code when it
/// lies outside the caller's area.
fn chosen_area(caller: &Caller, area: Option<String>) -> ApiResult<String> {
    let default_area = caller
        .me
        .areas
        .first()
        .map(|a| a.code.clone())
        .unwrap_or_default();
    let area = area.unwrap_or(default_area);
    if matches!(caller.scope, Scope::Nothing) || !caller.scope.contains(&area) {
        return Err(ApiError::NotFound);
    }
    Ok(area)
}

/// `count` quarters ending with `last`, oldest first.
fn quarters_ending(last: Quarter, count: u8) -> Vec<Quarter> {
    let mut quarters = vec![last];
    let mut current = last;
    for _ in 1..count {
        current = match current.quarter {
            1 => Quarter {
                year: current.year - 1,
                quarter: 4,
            },
            n => Quarter {
                quarter: n - 1,
                ..current
            },
        };
        quarters.push(current);
    }
    quarters.reverse();
    quarters
}

async fn build(
    state: &AppState,
    caller: &Caller,
    query: AggregateQuery,
) -> ApiResult<AggregateReport> {
    caller.require(&[
        Role::Cadre,
        Role::Supervisor,
        Role::Province,
        Role::Assessor,
    ])?;
    let quarter = chosen_quarter(query.year, query.quarter)?;
    let area = chosen_area(caller, query.area)?;
    Ok(state
        .store
        .aggregates(area, quarter, quarter_end_ms(quarter))
        .await?)
}

/// When `quarter` ends in WITA (ms): devices synced after it count as fresh.
pub(super) fn quarter_end_ms(quarter: Quarter) -> i64 {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    quarter
        .last_day()
        .next_day()
        .unwrap_or(time::Date::MAX)
        .with_time(time::Time::MIDNIGHT)
        .assume_offset(offset)
        .unix_timestamp()
        * 1000
}

/// TKD, complete-package share and stunting of an area quarter by quarter.
#[utoipa::path(get, path = "/api/v1/aggregates/trend", tag = "aggregates", security(("bearer" = [])), params(TrendQuery),
    responses((status = 200, body = TrendReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, description = "Unknown area or outside the caller's area", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn trend(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<TrendQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<TrendReport>> {
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    caller.require(&[
        Role::Cadre,
        Role::Supervisor,
        Role::Province,
        Role::Assessor,
    ])?;
    let last = chosen_quarter(query.year, query.quarter)?;
    let count = query.quarters.unwrap_or(8);
    if !(1..=12).contains(&count) {
        return Err(ApiError::field(
            "quarters",
            "out_of_range",
            "Jumlah triwulan harus 1-12",
            "Number of quarters must be 1-12",
        ));
    }
    let area = chosen_area(&caller, query.area)?;
    let quarters = quarters_ending(last, count);
    Ok(Json(state.store.trend(area, quarters).await?))
}

/// The households of one village, each followed member's services received and missing.
#[utoipa::path(get, path = "/api/v1/aggregates/households", tag = "aggregates", security(("bearer" = [])), params(HouseholdQuery),
    responses((status = 200, body = HouseholdReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, description = "Unknown village or outside the caller's area", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn households(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<HouseholdQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<HouseholdReport>> {
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    caller.require(&[
        Role::Cadre,
        Role::Supervisor,
        Role::Province,
        Role::Assessor,
    ])?;
    let quarter = chosen_quarter(query.year, query.quarter)?;
    let village = chosen_area(&caller, Some(query.village))?;
    Ok(Json(state.store.households(village, quarter).await?))
}

/// The report as JSON.
#[utoipa::path(get, path = "/api/v1/aggregates", tag = "aggregates", security(("bearer" = [])), params(AggregateQuery),
    responses((status = 200, body = AggregateReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, description = "Unknown area or outside the caller's area", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AggregateQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<AggregateReport>> {
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    Ok(Json(build(&state, &caller, query).await?))
}

fn file_name(report: &AggregateReport, extension: &str) -> String {
    format!(
        "attachment; filename=\"konvergen-{}-{}-T{}.{extension}\"",
        report.area.code, report.quarter.year, report.quarter.quarter
    )
}

/// The report as CSV.
#[utoipa::path(get, path = "/api/v1/aggregates/export.csv", tag = "aggregates", security(("bearer" = [])), params(AggregateQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn export_csv(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AggregateQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<impl IntoResponse> {
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    let report = build(&state, &caller, query).await?;
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, file_name(&report, "csv")),
    ];
    Ok((headers, export::csv(&report)))
}

/// The report as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/aggregates/export.xlsx", tag = "aggregates", security(("bearer" = [])), params(AggregateQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AggregateQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<impl IntoResponse> {
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    let report = build(&state, &caller, query).await?;
    let bytes =
        export::xlsx(&report).map_err(|err| ApiError::Internal(anyhow::anyhow!("xlsx: {err}")))?;
    let headers = [
        (
            header::CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
        ),
        (header::CONTENT_DISPOSITION, file_name(&report, "xlsx")),
    ];
    Ok((headers, bytes))
}
