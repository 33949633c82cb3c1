//! `GET /district/{regency}/agencies`: the agency list of a regency's team, for the forms of
//! the coordinator (who writes on an agency's behalf); `GET /district/{regency}/{year}/board`:
//! which agency has sent what for a year, and what came after the deadline.

use axum::Json;
use axum::extract::{Path, State};
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::district::Board;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// The agencies on a regency's list, by name.
#[utoipa::path(get, path = "/api/v1/district/{regency}/agencies", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code, e.g. 63.03")),
    responses((status = 200, body = [String]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn agencies(
    State(state): State<AppState>,
    caller: Caller,
    Path(regency): Path<String>,
) -> ApiResult<Json<Vec<String>>> {
    in_scope(&caller, &regency)?;
    Ok(Json(state.store.agencies(regency).await?))
}

/// Every agency of the list with what it sent for `year`.
#[utoipa::path(get, path = "/api/v1/district/{regency}/{year}/board", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code"), ("year" = i32, Path, description = "Assessed year")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, year)): Path<(String, i32)>,
) -> ApiResult<Json<Board>> {
    in_scope(&caller, &regency)?;
    Ok(Json(state.store.district_board(regency, year).await?))
}

/// The team and the province read a regency of their scope; anything else is not there.
fn in_scope(caller: &Caller, regency: &str) -> ApiResult<()> {
    caller.require(&[
        Role::Supervisor,
        Role::Agency,
        Role::Province,
        Role::Assessor,
    ])?;
    regency_visible(caller, regency)
}

/// A regency of the caller's scope is there; any other code is not found, as an unknown one.
pub(super) fn regency_visible(caller: &Caller, regency: &str) -> ApiResult<()> {
    let is_regency = regency.split('.').count() == 2;
    if !is_regency || !caller.scope.contains(regency) {
        return Err(ApiError::NotFound);
    }
    Ok(())
}
