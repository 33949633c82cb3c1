//! Passwords, session tokens, the signed-in caller and the area scope it may touch.

use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use konvergen_shared::api::{Me, Role};
use sha2::{Digest, Sha256};

use crate::AppState;
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

/// Checks a password against a stored PHC string (allocates its own argon2 memory; the
/// sign-in path uses a [`PasswordVerifier`] per thread instead).
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordVerifier::default().verify(password, stored)
}

/// Verifies passwords in argon2 memory of its own, allocated once and reused. Letting the
/// argon2 crate allocate its 19 MiB afresh for every verification left each allocation
/// resident: the server grew by about 20 MB per sign-in until the allocator stopped at a
/// few hundred MB.
#[derive(Debug, Default)]
pub struct PasswordVerifier {
    memory: Vec<Block>,
}

impl PasswordVerifier {
    /// The most argon2 memory a stored hash may ask for (64 MiB); ours use 19 MiB.
    pub const MAX_BLOCKS: usize = 64 * 1024;

    /// Whether `password` matches the PHC string `stored` (compared in constant time).
    pub fn verify(&mut self, password: &str, stored: &str) -> bool {
        let Ok(hash) = PasswordHash::new(stored) else {
            return false;
        };
        let Some(expected) = hash.hash else {
            return false;
        };
        let Ok(argon2) = argon2_of(&hash) else {
            return false;
        };
        let mut salt = [0_u8; 64];
        let Some(Ok(salt)) = hash.salt.map(|s| s.decode_b64(&mut salt)) else {
            return false;
        };
        let blocks = argon2.params().block_count();
        if blocks > Self::MAX_BLOCKS {
            return false;
        }
        if self.memory.len() < blocks {
            self.memory.resize(blocks, Block::default());
        }
        let mut computed = vec![0_u8; expected.len()];
        argon2
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt,
                &mut computed,
                &mut self.memory[..blocks],
            )
            .is_ok()
            && Output::new(&computed).is_ok_and(|output| output == expected)
    }
}

/// The argon2 instance (algorithm, version, parameters) a PHC string was made with.
fn argon2_of(hash: &PasswordHash<'_>) -> Result<Argon2<'static>, argon2::password_hash::Error> {
    let algorithm = Algorithm::try_from(hash.algorithm)?;
    let version = hash
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    Ok(Argon2::new(algorithm, version, Params::try_from(hash)?))
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
    /// Exactly these area codes: a cadre's villages, or for the sync of a regency's team
    /// its regency ([`Scope::sync_of`]).
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
            Role::Supervisor | Role::Agency | Role::Province | Role::Assessor => Self::Under(codes),
            Role::Admin => Self::Nothing,
        }
    }

    /// What a user syncs through push and pull: a cadre their villages; a regency's team
    /// (coordinator and agencies) the records placed at the regency's own code, never the
    /// villages' records below it; nobody else syncs.
    pub fn sync_of(me: &Me) -> Self {
        let codes: Vec<String> = me.areas.iter().map(|area| area.code.clone()).collect();
        match me.role {
            Role::Cadre | Role::Supervisor | Role::Agency => Self::Villages(codes),
            Role::Province | Role::Assessor | Role::Admin => Self::Nothing,
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
            .session_user(lookup, now_ms())
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(Self {
            scope: Scope::of(&me),
            me,
            token_hash: hash,
        })
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
        let mut verifier = PasswordVerifier::default();
        for _ in 0..2 {
            assert!(verifier.verify("rahasia-123", &hash));
            assert!(!verifier.verify("rahasia-12", &hash));
        }
        // The dummy hash of unknown names must cost a real verification.
        let dummy = PasswordHash::new(crate::routes::DUMMY_HASH).expect("dummy parses");
        assert!(argon2_of(&dummy).is_ok_and(|a| a.params().m_cost() == 19_456));
        assert!(!verifier.verify("x", crate::routes::DUMMY_HASH));
    }

    #[test]
    fn scopes_respect_code_boundaries() {
        assert!(is_within("63.03.05.2009", "63.03"));
        assert!(is_within("63.03", "63.03"));
        assert!(!is_within("63.031.05", "63.03"));
        assert!(!is_within("63.04.01.2001", "63.03"));
    }
}
