//! Passwords, session tokens, the signed-in caller and the area scope it may touch.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use konvergen_shared::api::{Me, Role};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::db::accounts;
use crate::error::ApiError;
use crate::util::now_ms;

/// Sessions live long: a cadre's phone may stay offline for weeks and must still sync after.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(180 * 24 * 3600);

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("hashing password: {err}"))
}

/// Checks a password against a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A fresh random session token (256 bits, URL-safe base64).
pub fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores instead of the token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The area a caller may read and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Exactly these villages (cadres).
    Villages(Vec<String>),
    /// Everything under these region codes (a supervisor's regency, the province).
    Under(Vec<String>),
    /// No field data at all (admins).
    Nothing,
}

impl Scope {
    /// The scope of a user from role and areas.
    pub fn of(me: &Me) -> Self {
        let codes: Vec<String> = me.areas.iter().map(|area| area.code.clone()).collect();
        match me.role {
            Role::Cadre => Self::Villages(codes),
            Role::Supervisor | Role::Province => Self::Under(codes),
            Role::Admin => Self::Nothing,
        }
    }

    /// Whether a village (or any region code) lies inside the scope.
    pub fn contains(&self, code: &str) -> bool {
        match self {
            Self::Villages(villages) => villages.iter().any(|v| v == code),
            Self::Under(roots) => roots.iter().any(|root| is_within(code, root)),
            Self::Nothing => false,
        }
    }

    /// Stable text of the scope, hashed into pull cursors.
    pub fn describe(&self) -> String {
        match self {
            Self::Villages(codes) => format!("villages:{}", codes.join(",")),
            Self::Under(codes) => format!("under:{}", codes.join(",")),
            Self::Nothing => "nothing".to_owned(),
        }
    }
}

/// `63.03.05.2009` is within `63.03` and within itself, but `63.031` is not within `63.03`.
pub fn is_within(code: &str, root: &str) -> bool {
    code == root || (code.starts_with(root) && code.as_bytes().get(root.len()) == Some(&b'.'))
}

/// The signed-in user behind a request, with the raw token's hash for logout.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub me: Me,
    /// The user's area scope.
    pub scope: Scope,
    /// Hash of the bearer token of this request.
    pub token_hash: Vec<u8>,
}

impl Caller {
    /// Refuses callers whose role is not among `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.me.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(token.trim());
        let lookup = hash.clone();
        let me = state
            .store
            .call(move |conn| accounts::session_user(conn, &lookup, now_ms()))
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(Self {
            scope: Scope::of(&me),
            me,
            token_hash: hash,
        })
    }
}

/// Counts failed logins per account name and refuses further tries for a while, so a
/// password cannot be guessed by brute force.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// Failed attempts allowed per window.
    pub const MAX_FAILURES: usize = 5;
    /// Length of the window.
    pub const WINDOW: Duration = Duration::from_secs(300);

    /// Whether this account name may try now.
    pub fn allowed(&self, username: &str) -> bool {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = failures.entry(username.to_lowercase()).or_default();
        entry.retain(|at| at.elapsed() < Self::WINDOW);
        entry.len() < Self::MAX_FAILURES
    }

    /// Records a failed attempt.
    pub fn failed(&self, username: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures
            .entry(username.to_lowercase())
            .or_default()
            .push(Instant::now());
    }

    /// Forgets failures after a successful login.
    pub fn succeeded(&self, username: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.remove(&username.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("rahasia-123").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("rahasia-123", &hash));
        assert!(!verify_password("rahasia-124", &hash));
        assert!(!verify_password("rahasia-123", "not a hash"));
    }

    #[test]
    fn scopes_respect_code_boundaries() {
        assert!(is_within("63.03.05.2009", "63.03"));
        assert!(is_within("63.03", "63.03"));
        assert!(!is_within("63.031.05", "63.03"));
        assert!(!is_within("63.04.01.2001", "63.03"));
    }

    #[test]
    fn limiter_blocks_after_five_failures() {
        let limiter = LoginLimiter::default();
        for _ in 0..LoginLimiter::MAX_FAILURES {
            assert!(limiter.allowed("Siti"));
            limiter.failed("siti");
        }
        assert!(!limiter.allowed("SITI"));
        assert!(limiter.allowed("budi"));
    }
}
