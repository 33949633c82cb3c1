//! `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use konvergen_shared::api::{ErrorBody, LoginRequest, LoginResponse, Me};

use crate::AppState;
use crate::auth::{self, Caller, SESSION_LIFETIME};
use crate::error::{ApiError, ApiResult, AppJson};
use crate::util::now_ms;

/// Checks the password and opens a long-lived session for the device.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest, responses((status = 200, body = LoginResponse), (status = 401, description = "Wrong name or password", body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, description = "Too many failed attempts", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    AppJson(request): AppJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let username = request.username.trim().to_owned();
    if username.is_empty() {
        return Err(ApiError::field(
            "username",
            "required",
            "Nama pengguna wajib diisi",
            "Username is required",
        ));
    }
    if !state.limiter.allowed(&username) {
        return Err(ApiError::TooManyRequests);
    }
    let user = state.store.user_by_name(username.clone()).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal
    // which account names exist.
    let stored = user
        .as_ref()
        .map_or(DUMMY_HASH, |u| u.password_hash.as_str())
        .to_owned();
    let password = request.password;
    let verified = tokio::task::spawn_blocking(move || auth::verify_password(&password, &stored))
        .await
        .map_err(anyhow::Error::from)?;
    let user = match user {
        Some(user) if verified && !user.disabled => user,
        _ => {
            state.limiter.failed(&username);
            return Err(ApiError::Unauthorized);
        }
    };
    state.limiter.succeeded(&username);
    let token = auth::new_token();
    let now = now_ms();
    let expires = now + i64::try_from(SESSION_LIFETIME.as_millis()).unwrap_or(i64::MAX);
    state
        .store
        .create_session(auth::token_hash(&token), user.me.id, now, expires)
        .await?;
    tracing::info!(user_id = user.me.id, "login");
    Ok(Json(LoginResponse {
        token,
        expires_at_ms: expires,
        user: user.me,
    }))
}

/// Revokes the session of the request's token.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses((status = 204, description = "Session revoked"), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state
        .store
        .revoke_session(caller.token_hash, now_ms())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user and their areas.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> Json<Me> {
    Json(caller.me)
}

/// An argon2id hash of a random string nobody knows (used only for equal timing).
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Z7n8Pq9m0Y2w1qXh0b0nqv6v2bq3m6b0mQ3wZl7yq4Q";
