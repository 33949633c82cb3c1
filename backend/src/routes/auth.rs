//! `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use konvergen_shared::api::{ErrorBody, LoginRequest, LoginResponse, Me};

use crate::AppState;
use crate::auth::{self, Caller, SESSION_LIFETIME};
use crate::client_address::ClientAddress;
use crate::error::{ApiError, ApiResult, AppJson};
use crate::password_gate::PasswordGate;
use crate::util::now_ms;

// Longest accepted account name and password, in bytes (one source with the desk's account
// forms): checked before any work, so an oversized name costs neither a verification nor
// limiter memory, and argon2 never hashes an unbounded input.
pub use konvergen_shared::district::{MAX_PASSWORD_BYTES, MAX_USERNAME_BYTES};
/// Largest sign-in request body: a name, a password and JSON around them. A megabyte-sized
/// name is refused with 413 before it is read into memory.
pub const LOGIN_BODY_LIMIT: usize = 4 * 1024;

/// Checks the password and opens a long-lived session for the device.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest, responses((status = 200, body = LoginResponse), (status = 401, description = "Wrong name or password", body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, description = "Too many failed attempts (Retry-After)", body = ErrorBody), (status = 503, description = "Too many sign-ins at once (Retry-After)", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    AppJson(request): AppJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let username = checked_username(&request.username)?;
    checked_password(&request.password)?;
    // Counted from here on: dropped without `succeeded`, the attempt is a failure.
    let attempt =
        state
            .limiter
            .begin(&username, address)
            .map_err(|refused| ApiError::TooManyRequests {
                retry_after_secs: refused.retry_after_secs,
            })?;
    let user = state.store.user_by_name(username.clone()).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal
    // which account names exist.
    let stored = user
        .as_ref()
        .map_or(DUMMY_HASH, |u| u.password_hash.as_str())
        .to_owned();
    let verified = verify(&state.password_gate, request.password, stored).await?;
    let user = match user {
        Some(user) if verified && !user.disabled => user,
        _ => return Err(ApiError::WrongLogin),
    };
    attempt.succeeded();
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

fn checked_username(raw: &str) -> ApiResult<String> {
    let username = raw.trim();
    if username.is_empty() {
        return Err(ApiError::field(
            "username",
            "required",
            "Nama pengguna wajib diisi",
            "Username is required",
        ));
    }
    if username.len() > MAX_USERNAME_BYTES {
        return Err(ApiError::field(
            "username",
            "too_long",
            &format!("Nama pengguna paling panjang {MAX_USERNAME_BYTES} karakter"),
            &format!("Username is at most {MAX_USERNAME_BYTES} bytes"),
        ));
    }
    Ok(username.to_owned())
}

fn checked_password(password: &str) -> ApiResult<()> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::field(
            "password",
            "too_long",
            &format!("Kata sandi paling panjang {MAX_PASSWORD_BYTES} karakter"),
            &format!("Password is at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// Runs argon2 in the password gate; a full queue is a 503 with `Retry-After`.
async fn verify(gate: &PasswordGate, password: String, stored: String) -> ApiResult<bool> {
    gate.verify(password, stored)
        .await
        .map_err(|_| ApiError::Busy {
            retry_after_secs: PasswordGate::RETRY_AFTER_SECS,
        })
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

/// An argon2id hash of a random string nobody knows (used only for equal timing): the same
/// parameters as real hashes, so an unknown name costs a full verification.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Z7n8Pq9m0Y2w1qXh0b0nqv6v2bq3m6b0mQ3wZl7yq4Q";
