//! The coordinator's screen for the team's accounts (issue #15): list the regency's team,
//! add an agency account, disable or enable it, give it a new password. Only the regency's
//! coordinator (and an admin) may; only agency accounts of that regency can be changed.
//!
//! Hashing a password costs about 19 MiB and a core for a moment: one hash runs at a time,
//! so fifty requests at once queue instead of taking the server's memory.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use konvergen_shared::api::{ErrorBody, Role};
use konvergen_shared::district::{AccountState, NewTeamAccount, PasswordReset, TeamAccount};
use tokio::sync::Semaphore;

use crate::AppState;
use crate::auth::Caller;
use crate::entities::field_error;
use crate::error::{ApiError, ApiResult, AppJson};

static HASHING: Semaphore = Semaphore::const_new(1);

/// The coordinator of `regency` (or an admin); anyone else sees nothing there.
fn coordinator_of(caller: &Caller, regency: &str) -> ApiResult<()> {
    caller.require(&[Role::Supervisor, Role::Admin])?;
    let is_regency = regency.split('.').count() == 2;
    if !is_regency || !caller.scope.contains(regency) {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

async fn hashed(password: String) -> ApiResult<String> {
    let _one_at_a_time = HASHING
        .acquire()
        .await
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("hashing closed: {err}")))?;
    tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("hashing task: {err}")))?
        .map_err(ApiError::Internal)
}

/// The team's accounts.
#[utoipa::path(get, path = "/api/v1/district/{regency}/accounts", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code, e.g. 63.03")),
    responses((status = 200, body = [TeamAccount]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(regency): Path<String>,
) -> ApiResult<Json<Vec<TeamAccount>>> {
    coordinator_of(&caller, &regency)?;
    Ok(Json(state.store.team_accounts(regency).await?))
}

/// Adds an agency account (the agency must be on the regency's list).
#[utoipa::path(post, path = "/api/v1/district/{regency}/accounts", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code")), request_body = NewTeamAccount,
    responses((status = 201, body = TeamAccount), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Path(regency): Path<String>,
    AppJson(new): AppJson<NewTeamAccount>,
) -> ApiResult<(StatusCode, Json<TeamAccount>)> {
    coordinator_of(&caller, &regency)?;
    new.validate().map_err(ApiError::Validation)?;
    if !state
        .store
        .agencies(regency.clone())
        .await?
        .contains(&new.agency)
    {
        return Err(ApiError::Validation(vec![field_error(
            "agency",
            "unknown_agency",
            "Instansi ini tidak ada dalam daftar kabupaten/kota ini",
            "This agency is not on the regency's list",
        )]));
    }
    let hash = hashed(new.password.clone()).await?;
    let added = state.store.add_agency_account(regency, new, hash).await?;
    tracing::info!(by = caller.me.id, username = %added.username, "team account added");
    Ok((StatusCode::CREATED, Json(added)))
}

/// Disables (ending its sessions at once) or enables an agency account.
#[utoipa::path(put, path = "/api/v1/district/{regency}/accounts/{username}/state", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code"), ("username" = String, Path)), request_body = AccountState,
    responses((status = 200, body = TeamAccount), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_state(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, username)): Path<(String, String)>,
    AppJson(change): AppJson<AccountState>,
) -> ApiResult<Json<TeamAccount>> {
    coordinator_of(&caller, &regency)?;
    let account = state
        .store
        .set_team_account_disabled(regency, username, change.disabled)
        .await?;
    tracing::info!(by = caller.me.id, username = %account.username, disabled = change.disabled, "team account changed");
    Ok(Json(account))
}

/// Gives an agency account a new password; its sessions end.
#[utoipa::path(put, path = "/api/v1/district/{regency}/accounts/{username}/password", tag = "district", security(("bearer" = [])),
    params(("regency" = String, Path, description = "Regency or city code"), ("username" = String, Path)), request_body = PasswordReset,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path((regency, username)): Path<(String, String)>,
    AppJson(reset): AppJson<PasswordReset>,
) -> ApiResult<StatusCode> {
    coordinator_of(&caller, &regency)?;
    reset.validate().map_err(ApiError::Validation)?;
    // Found first: a wrong name costs no hash.
    let team = state.store.team_accounts(regency.clone()).await?;
    if !team
        .iter()
        .any(|a| a.username == username && a.role == Role::Agency)
    {
        return Err(ApiError::NotFound);
    }
    let hash = hashed(reset.password).await?;
    state
        .store
        .reset_team_password(regency, username.clone(), hash)
        .await?;
    tracing::info!(by = caller.me.id, %username, "team account password reset");
    Ok(StatusCode::NO_CONTENT)
}
