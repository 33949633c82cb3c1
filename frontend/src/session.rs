//! Signing in, online against the server and offline against a verifier kept on the phone,
//! so a cadre who signed in once can work for days without a network.

use konvergen_shared::api::{LoginResponse, Me};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::api::{self, ApiError};

/// The signed-in cadre on this phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The user as the server described them at the last online sign-in.
    pub me: Me,
    /// Bearer token for the server.
    pub token: String,
    /// This phone's device id for this user (one per user, so shared phones never mix).
    pub device_id: Uuid,
}

/// What the phone remembers about an account between sign-ins.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Remembered {
    session: Session,
    salt: String,
    verifier: String,
}

/// Why signing in failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginError {
    /// Name or password wrong.
    Wrong,
    /// Offline and this account never signed in on this phone.
    UnknownOffline,
    /// Rate limited by the server.
    TooMany,
}

const ACCOUNTS_KEY: &str = "konvergen.accounts";
const CURRENT_KEY: &str = "konvergen.current";
/// Rounds of SHA-256 over the password: slows guessing if the phone is lost.
const VERIFIER_ROUNDS: u32 = 20_000;

/// Signs in: online when the server answers, otherwise against the stored verifier.
pub async fn login(username: &str, password: &str) -> Result<Session, LoginError> {
    let username = username.trim().to_lowercase();
    match api::login(&username, password).await {
        Ok(response) => Ok(remember(&username, password, response)),
        Err(ApiError::Status(401)) => Err(LoginError::Wrong),
        Err(ApiError::Status(429)) => Err(LoginError::TooMany),
        Err(_) => offline_login(&username, password),
    }
}

fn remember(username: &str, password: &str, response: LoginResponse) -> Session {
    let mut accounts = load_accounts();
    let device_id = accounts
        .get(username)
        .map_or_else(crate::ids::new_id, |known| known.session.device_id);
    let session = Session {
        me: response.user,
        token: response.token,
        device_id,
    };
    let salt = crate::ids::new_id().to_string();
    let verifier = verifier(&salt, password);
    accounts.insert(
        username.to_owned(),
        Remembered {
            session: session.clone(),
            salt,
            verifier,
        },
    );
    save_accounts(&accounts);
    set_local(CURRENT_KEY, username);
    session
}

fn offline_login(username: &str, password: &str) -> Result<Session, LoginError> {
    let accounts = load_accounts();
    let known = accounts.get(username).ok_or(LoginError::UnknownOffline)?;
    if verifier(&known.salt, password) != known.verifier {
        return Err(LoginError::Wrong);
    }
    set_local(CURRENT_KEY, username);
    Ok(known.session.clone())
}

/// The session of the last user who signed in and did not sign out.
pub fn current() -> Option<Session> {
    let username = get_local(CURRENT_KEY)?;
    load_accounts()
        .get(&username)
        .map(|known| known.session.clone())
}

/// Signs out on this phone (the data stays for the next sign-in).
pub fn logout() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(CURRENT_KEY);
    }
}

fn verifier(salt: &str, password: &str) -> String {
    let mut digest = Sha256::digest(format!("{salt}:{password}").as_bytes());
    for _ in 1..VERIFIER_ROUNDS {
        digest = Sha256::digest(digest);
    }
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

type Accounts = std::collections::BTreeMap<String, Remembered>;

fn load_accounts() -> Accounts {
    get_local(ACCOUNTS_KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_accounts(accounts: &Accounts) {
    if let Ok(text) = serde_json::to_string(accounts) {
        set_local(ACCOUNTS_KEY, &text);
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get_local(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

fn set_local(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}
