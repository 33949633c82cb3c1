//! `GET /district/{regency}/agencies`: the agency list of a regency's team, for the forms of
//! the coordinator (who writes on an agency's behalf) and the board.

use axum::Json;
use axum::extract::{Path, State};
use konvergen_shared::api::{ErrorBody, Role};

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
    caller.require(&[Role::Supervisor, Role::Agency, Role::Province])?;
    let is_regency = regency.split('.').count() == 2;
    if !is_regency || !caller.scope.contains(&regency) {
        return Err(ApiError::NotFound);
    }
    Ok(Json(state.store.agencies(regency).await?))
}
