//! `GET /supervision/sync-status`, `GET /supervision/conflicts`,
//! `POST /supervision/conflicts/{id}/resolve`: the district supervisor's desk.

use axum::Json;
use axum::extract::{Path, Query, State};
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::supervision::{ConflictView, Resolution, ResolveRequest, SyncStatus};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Caller;
use crate::db::ResolveArgs;
use crate::error::{ApiError, ApiResult, AppJson};
use crate::util::{month_start_ms, now_ms};

const REVIEWERS: &[Role] = &[Role::Supervisor, Role::Province];

/// Query of the sync-status view.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatusQuery {
    /// Devices without contact for more than this many days are flagged (default 7).
    #[serde(default)]
    pub silent_days: Option<u32>,
}

/// Every cadre device and village of the caller's area with its sync state.
#[utoipa::path(get, path = "/api/v1/supervision/sync-status", tag = "supervision", security(("bearer" = [])), params(StatusQuery), responses((status = 200, body = SyncStatus), (status = 400, description = "Unreadable request", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Role not allowed", body = ErrorBody), (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn sync_status(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<StatusQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<SyncStatus>> {
    caller.require(REVIEWERS)?;
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    let silent_days = query.silent_days.unwrap_or(7).min(365);
    let now = now_ms();
    let status = state
        .store
        .sync_status(caller.scope, now, silent_days, month_start_ms(now))
        .await?;
    Ok(Json(status))
}

/// Query of the conflict list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConflictQuery {
    /// Include resolved conflicts (default: open only).
    #[serde(default)]
    pub all: bool,
}

/// Conflicts in the caller's area.
#[utoipa::path(get, path = "/api/v1/supervision/conflicts", tag = "supervision", security(("bearer" = [])), params(ConflictQuery), responses((status = 200, body = [ConflictView]), (status = 400, description = "Unreadable request", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Role not allowed", body = ErrorBody), (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn conflicts(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ConflictQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<ConflictView>>> {
    caller.require(REVIEWERS)?;
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    Ok(Json(state.store.conflicts(caller.scope, query.all).await?))
}

/// Settles one conflict with a reason.
#[utoipa::path(post, path = "/api/v1/supervision/conflicts/{id}/resolve", tag = "supervision", security(("bearer" = [])), params(("id" = i64, Path, description = "Conflict id")), request_body = ResolveRequest, responses((status = 200, body = ConflictView), (status = 400, description = "Unreadable request", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Role not allowed", body = ErrorBody), (status = 422, description = "Invalid fields", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Already resolved or record changed", body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    AppJson(request): AppJson<ResolveRequest>,
) -> ApiResult<Json<ConflictView>> {
    caller.require(REVIEWERS)?;
    if request.reason.trim().is_empty() {
        return Err(ApiError::field(
            "reason",
            "required",
            "Alasan wajib diisi",
            "A reason is required",
        ));
    }
    let merge_body_given = request
        .merged_body
        .as_ref()
        .is_some_and(serde_json::Value::is_object);
    if (request.resolution == Resolution::Merge) != merge_body_given {
        return Err(ApiError::field(
            "merged_body",
            "merge_body",
            "Isi gabungan wajib (dan hanya) untuk pilihan gabung",
            "merged_body (an object) is required for merge and only for merge",
        ));
    }
    let args = ResolveArgs {
        user_id: caller.me.id,
        scope: caller.scope,
        conflict_id: id,
        request,
        now_ms: now_ms(),
    };
    match state.store.resolve_conflict(args).await? {
        Ok(view) => Ok(Json(view)),
        Err(fields) => Err(ApiError::Validation(fields)),
    }
}
