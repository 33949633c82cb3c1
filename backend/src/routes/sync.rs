//! `POST /sync/push`, `GET /sync/pull`, `POST /sync/heartbeat`: the devices' protocol, for
//! cadres' phones and the district team's browsers alike.

use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::sync::{
    Cursor, Heartbeat, PullQuery, PullResponse, PushRequest, PushResponse,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{Caller, Scope};
use crate::db::PullPage;
use crate::db::{PullArgs, PushAuthor};
use crate::error::{ApiError, ApiResult, AppJson};
use crate::pull_load::{PageBody, PullGuard};
use crate::util::now_ms;
use crate::validation;

/// Who syncs: cadres (their villages' records) and a regency's team (the district records
/// of its regency, `Scope::sync_of`).
const SYNC_ROLES: &[Role] = &[Role::Cadre, Role::Supervisor, Role::Agency];

/// Most mutations accepted in one push.
pub const MAX_BATCH: usize = 1_000;
/// Default and largest pull page.
const DEFAULT_PAGE: u32 = 1_000;
const MAX_PAGE: u32 = 5_000;

/// Applies a batch of mutations from one device.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])), request_body = PushRequest, responses((status = 200, body = PushResponse), (status = 400, description = "Unreadable request", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Role not allowed", body = ErrorBody), (status = 422, description = "Invalid fields", body = ErrorBody), (status = 409, description = "Device belongs to another user", body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(request): AppJson<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    caller.require(SYNC_ROLES)?;
    check_batch(&request)?;
    let scope = Scope::sync_of(&caller.me);
    let response = state
        .store
        .push(PushAuthor::of(&caller.me), scope, request, now_ms())
        .await?;
    Ok(Json(response))
}

/// Refuses batches that are malformed as a whole (each mutation is judged on its own).
fn check_batch(request: &PushRequest) -> ApiResult<()> {
    if request.mutations.len() > MAX_BATCH {
        return Err(ApiError::field(
            "mutations",
            "too_many",
            "Terlalu banyak perubahan dalam satu kiriman (maks. 1000)",
            "Too many mutations in one push (max 1000)",
        ));
    }
    let increasing = request
        .mutations
        .windows(2)
        .all(|pair| pair[0].seq < pair[1].seq);
    let in_range = request
        .mutations
        .iter()
        .all(|m| m.seq >= 1 && i64::try_from(m.seq).is_ok());
    if !increasing || !in_range {
        return Err(ApiError::field(
            "mutations[].seq",
            "invalid_sequence",
            "Nomor urut harus naik dan mulai dari 1",
            "Sequence numbers must be positive and strictly increasing",
        ));
    }
    Ok(())
}

/// Reads one page of changes in the caller's area.
#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])), params(PullQuery), responses((status = 200, body = PullResponse), (status = 400, description = "Unreadable request", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Role not allowed", body = ErrorBody), (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn pull(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    caller.require(SYNC_ROLES)?;
    let Query(query) = query.map_err(|err| ApiError::BadRequest(err.body_text()))?;
    let cursor = query
        .cursor
        .as_deref()
        .map(Cursor::parse)
        .transpose()
        .map_err(|err| {
            ApiError::field(
                "cursor",
                "invalid_cursor",
                "Penanda sinkronisasi tidak valid",
                &err.to_string(),
            )
        })?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    // Counted from here until the page is sent; the page's share is taken with this pull
    // already counted.
    let pulling = state.pulls.enter();
    let args = PullArgs {
        user_id: caller.me.id,
        scope: Scope::sync_of(&caller.me),
        cursor,
        limit,
        max_page_bytes: state.pulls.page_bytes(),
        device_id: query.device_id.map(|id| id.to_string()),
        now_ms: now_ms(),
    };
    let page = state.store.pull(args).await?;
    Ok(page_response(&page, pulling))
}

/// The page as JSON, encoded at once so that only its bytes wait for the phone.
fn page_response(page: &PullPage, pulling: PullGuard) -> Response {
    match serde_json::to_vec(page) {
        Ok(json) => (
            [(header::CONTENT_TYPE, "application/json")],
            Body::new(PageBody::new(json, pulling)),
        )
            .into_response(),
        Err(err) => ApiError::Internal(anyhow::Error::from(err)).into_response(),
    }
}

/// Body of a heartbeat sent on its own.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatRequest {
    /// The reporting device.
    pub device_id: Uuid,
    /// What it reports.
    pub heartbeat: Heartbeat,
}

/// Stores a device's report about itself.
#[utoipa::path(post, path = "/api/v1/sync/heartbeat", tag = "sync", security(("bearer" = [])), request_body = HeartbeatRequest, responses((status = 204, description = "Stored"), (status = 400, description = "Unreadable request", body = ErrorBody), (status = 401, description = "Not signed in", body = ErrorBody), (status = 403, description = "Role not allowed", body = ErrorBody), (status = 422, description = "Invalid fields", body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn heartbeat(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(request): AppJson<HeartbeatRequest>,
) -> ApiResult<StatusCode> {
    caller.require(SYNC_ROLES)?;
    validation::check_heartbeat(&request.heartbeat).map_err(ApiError::Validation)?;
    state
        .store
        .heartbeat(
            request.device_id.to_string(),
            caller.me.id,
            request.heartbeat,
            now_ms(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
