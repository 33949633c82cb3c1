//! Signing in and out on a phone that several cadres share.
//!
//! **At rest.** Per account, localStorage holds the device id (`konvergen.device.<user>`, not
//! secret) and a blob (`konvergen.sealed.<user>`) sealed with AES-GCM-256 under a key derived
//! from the password with PBKDF2-SHA256, [`PBKDF2_ROUNDS`] rounds. Every online sign-in derives
//! a new key from a new random 16-byte salt; every encryption takes a new random 12-byte IV
//! (sign-out re-seals under the kept key, so with its salt, as it has no password). The blob
//! holds the user as the server described them and, while the account is signed in, its bearer
//! token. There is no verifier: the offline password check *is* the decryption (GCM
//! authenticates), so every guess costs the full PBKDF2. Nothing in localStorage is a token or
//! a cheap function of the password; the key names do show which accounts used the phone.
//!
//! **Staying signed in.** For the signed-in account only, the derived key is kept as a
//! non-extractable `CryptoKey` in the IndexedDB database `konvergen.keys` (a structured clone:
//! script can use it but never read its bytes), so a reload or an app restart opens the session
//! without the password. Sign-out deletes it.
//!
//! **What a copied browser profile yields.** Signed in: that one account's session, like any
//! app session on a phone that is not locked (the key decrypts the blob; the password itself is
//! nowhere). Signed out: only ciphertext, each password guess costing 600,000 PBKDF2 rounds, and
//! the blob holds no token any more (the server revoked it, too). With "remove this account's
//! data" the account leaves no blob, no device database and no desk cache behind.
//!
//! **Offline after a sign-out.** The blob then proves the password but holds no token. The
//! password is kept in this page's memory only (never stored) and, as soon as the server
//! answers, [`renewed_token`] signs in online silently for a fresh token and re-seals it, so the
//! outbox syncs without asking. After a reload that memory is gone: the sync panel then says
//! the session ended, and signing out (keeping the data) and in again online fixes it.

use std::cell::RefCell;
use std::future::Future;
use std::task::Poll;

use konvergen_shared::api::{ErrorBody, LoginResponse, Me};
use rexie::{ObjectStore, Rexie, TransactionMode};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{self, ApiError};

mod seal;
use seal::{Opened, Sealed, derive_key, open, seal, seal_new, subtle};

/// The signed-in user on this phone.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The user as the server described them at the last online sign-in.
    pub me: Me,
    /// Bearer token for the server; empty after an offline sign-in that followed a sign-out
    /// (see the module comment: [`renewed_token`] fetches a new one).
    pub token: String,
    /// This phone's device id for this user (one per user, so shared phones never mix).
    pub device_id: Uuid,
}

/// Why signing in failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    /// The server refused the sign-in (wrong name or password, too many attempts, busy)
    /// and said why in both languages.
    Refused(ErrorBody),
    /// Name or password wrong (checked on this phone, offline, or the server's answer had
    /// no readable body).
    Wrong,
    /// Offline and this account never signed in on this phone (or its data was removed).
    UnknownOffline,
    /// Rate limited by the server.
    TooMany,
}

/// PBKDF2-SHA256 rounds for a new sealing (OWASP 2023 figure); each blob records its own.
pub const PBKDF2_ROUNDS: u32 = 600_000;
const _: () = assert!(
    PBKDF2_ROUNDS >= 600_000,
    "issue #13: at least 600,000 rounds"
);
/// `konvergen.device.<user>`: the device id of the account on this phone.
const DEVICE_PREFIX: &str = "konvergen.device.";
/// `konvergen.sealed.<user>`: the [`Sealed`] blob. Absent: the phone knows no password for the
/// account (migrated from the old format, or WebCrypto unavailable); sign in online first.
const SEALED_PREFIX: &str = "konvergen.sealed.";
/// `konvergen.wipe.<user>`: the account's device database is to be deleted ([`finish_wipes`]).
const WIPE_PREFIX: &str = "konvergen.wipe.";
/// The format before this one: plain tokens next to a SHA-256 verifier. Only the device ids
/// are carried over.
const OLD_ACCOUNTS_KEY: &str = "konvergen.accounts";
const CURRENT_KEY: &str = "konvergen.current";
const KEYS_DB: &str = "konvergen.keys";
const KEYS_STORE: &str = "keys";
/// How long sign-out waits for the server to revoke the token.
const LOGOUT_WAIT_MS: u32 = 5_000;

thread_local! {
    /// Name and password of an offline sign-in whose blob held no token: memory only.
    static OFFLINE_PASSWORD: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
    /// The token [`renewed_token`] obtained for such a session.
    static RENEWED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Signs in: online when the server answers, otherwise by opening the sealed blob.
pub async fn login(username: &str, password: &str) -> Result<Session, LoginError> {
    let username = username.trim().to_lowercase();
    let session = match api::login(&username, password).await {
        Ok(response) => remember(&username, password, response).await,
        // 422: a name or password longer than any account has.
        Err(ApiError::Server {
            status: status @ (401 | 422 | 429),
            body,
        }) => return Err(refused(status, body)),
        // 503: the server is verifying too many sign-ins at once. A cadre known on this
        // phone works offline meanwhile (and is signed in online silently later); anyone else
        // is told to try again, not that they never signed in here.
        Err(ApiError::Server { status: 503, body }) if sealed(&username).is_none() => {
            return Err(refused(503, body));
        }
        Err(_) => offline_login(&username, password).await?,
    };
    // A removal asked for earlier must be complete before this user's database is opened
    // again, or a later start would delete the new data.
    finish_wipe(&username).await;
    Ok(session)
}

/// The server's refusal as the sign-in screen shows it: its own message when it sent one.
fn refused(status: u16, body: Option<ErrorBody>) -> LoginError {
    match body {
        Some(body) => LoginError::Refused(body),
        None if status == 401 || status == 422 => LoginError::Wrong,
        None => LoginError::TooMany,
    }
}

async fn remember(username: &str, password: &str, response: LoginResponse) -> Session {
    let device_id = device_id(username).unwrap_or_else(|| {
        let id = crate::ids::new_id();
        set_local(&local_key(DEVICE_PREFIX, username), &id.to_string());
        id
    });
    let session = Session {
        me: response.user,
        token: response.token,
        device_id,
    };
    let opened = Opened {
        me: session.me.clone(),
        token: session.token.clone(),
    };
    match seal_new(password, &opened).await {
        Ok((sealed, key)) => {
            keep_key(Some((username, &key))).await;
            set_local(&local_key(SEALED_PREFIX, username), &sealed.encode());
        }
        // No WebCrypto (an insecure context): the session lives in this page only.
        Err(_) => remove_local(&local_key(SEALED_PREFIX, username)),
    }
    set_local(CURRENT_KEY, username);
    OFFLINE_PASSWORD.set(None);
    RENEWED.set(None);
    session
}

async fn offline_login(username: &str, password: &str) -> Result<Session, LoginError> {
    let (Some(device_id), Some(sealed), Some(_)) =
        (device_id(username), sealed(username), subtle())
    else {
        return Err(LoginError::UnknownOffline);
    };
    let key = derive_key(password, &sealed.salt, sealed.rounds)
        .await
        .map_err(|_| LoginError::Wrong)?;
    let opened = open(&key, &sealed).await.ok_or(LoginError::Wrong)?;
    keep_key(Some((username, &key))).await;
    set_local(CURRENT_KEY, username);
    RENEWED.set(None);
    OFFLINE_PASSWORD.set(
        opened
            .token
            .is_empty()
            .then(|| (username.to_owned(), password.to_owned())),
    );
    Ok(Session {
        me: opened.me,
        token: opened.token,
        device_id,
    })
}

/// The session of the account signed in on this phone, opened with its kept key; `None`
/// (and nobody signed in any more) when there is none or it cannot be opened.
pub async fn restore() -> Option<Session> {
    migrate();
    let username = get_local(CURRENT_KEY)?;
    let session = async {
        let (device_id, sealed) = (device_id(&username)?, sealed(&username)?);
        let key = kept_key(&username).await?;
        let opened = open(&key, &sealed).await?;
        Some(Session {
            me: opened.me,
            token: opened.token,
            device_id,
        })
    }
    .await;
    if session.is_none() {
        remove_local(CURRENT_KEY);
        keep_key(None).await;
    }
    session
}

/// The bearer token for `session` now: its own, or one [`renewed_token`] obtained.
pub fn token_of(session: &Session) -> String {
    if session.token.is_empty() {
        RENEWED.with_borrow(Clone::clone).unwrap_or_default()
    } else {
        session.token.clone()
    }
}

/// A fresh token for a session opened offline without one: signs in online with the
/// password kept in memory (once it works, the password is forgotten and the token sealed).
/// `None` while the server cannot be reached, or when there is no password to use.
pub async fn renewed_token() -> Option<String> {
    if let Some(token) = RENEWED.with_borrow(Clone::clone) {
        return Some(token);
    }
    let (username, password) = OFFLINE_PASSWORD.with_borrow(Clone::clone)?;
    match api::login(&username, &password).await {
        Ok(response) => {
            let session = remember(&username, &password, response).await;
            RENEWED.set(Some(session.token.clone()));
            Some(session.token)
        }
        Err(ApiError::Server {
            status: 401 | 403, ..
        }) => {
            // Password changed or account disabled: the sync panel asks to sign in again.
            OFFLINE_PASSWORD.set(None);
            None
        }
        Err(_) => None,
    }
}

/// Signs `session` out on this phone and at the server. The token leaves the phone first
/// (the blob is re-sealed without it, the kept key is deleted), then the server is asked to
/// revoke it. With `remove_data` the account is forgotten entirely: no blob (the next
/// sign-in must be online), its localStorage keys, and its device database, deleted by
/// [`finish_wipes`] at the next start (the caller reloads the page, which closes it).
pub async fn sign_out(session: &Session, remove_data: bool) {
    let username = session.me.username.as_str();
    let token = token_of(session);
    let sealed_key = local_key(SEALED_PREFIX, username);
    let resealed = match (remove_data, kept_key(username).await, sealed(username)) {
        (false, Some(key), Some(old)) => {
            let opened = Opened {
                me: session.me.clone(),
                token: String::new(),
            };
            seal(&key, old.salt, old.rounds, &opened).await.ok()
        }
        _ => None,
    };
    // Without a re-sealed blob the next sign-in must be online; the old one held the token.
    match resealed {
        Some(blob) => set_local(&sealed_key, &blob.encode()),
        None => remove_local(&sealed_key),
    }
    keep_key(None).await;
    remove_local(CURRENT_KEY);
    OFFLINE_PASSWORD.set(None);
    RENEWED.set(None);
    // The desk's offline copies of server answers: never left for the next user.
    remove_local_prefix(&(cache_stem(username) + "/"));
    if remove_data {
        remove_local(&drafts_key(username));
        remove_local(&local_key(DEVICE_PREFIX, username));
        remove_local(&local_key("konvergen.next-seq.", username));
        set_local(&local_key(WIPE_PREFIX, username), "1");
    }
    if !token.is_empty() {
        // Offline the token cannot be revoked; it is gone from the phone all the same.
        let _ = at_most(LOGOUT_WAIT_MS, api::logout(&token)).await;
    }
}

/// Deletes the device databases of accounts removed at sign-out. Runs at start, before any
/// database is open in this page; other tabs reload when the signed-in account changes
/// ([`watch_other_tabs`]), which closes theirs.
pub async fn finish_wipes() {
    for key in local_keys(WIPE_PREFIX) {
        finish_wipe(&key[WIPE_PREFIX.len()..]).await;
    }
}

async fn finish_wipe(username: &str) {
    let marker = local_key(WIPE_PREFIX, username);
    if get_local(&marker).is_none() {
        return;
    }
    // The databases of `store::DeviceDb::open` and `files::Files::start`.
    let records = Rexie::delete(&local_key("konvergen-", username)).await;
    let files = Rexie::delete(&crate::files::database_name(username)).await;
    if records.is_ok() && files.is_ok() {
        remove_local(&marker);
    }
}

/// Reloads this tab when another tab signs out or in as someone else, so no tab keeps
/// showing (or holding open) an account that left the phone.
pub fn watch_other_tabs(username: &str) {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let username = username.to_owned();
    let closure = Closure::<dyn Fn()>::new(move || {
        if get_local(CURRENT_KEY).as_deref() != Some(username.as_str())
            && let Some(window) = web_sys::window()
        {
            let _ = window.location().reload();
        }
    });
    let _ = window.add_event_listener_with_callback("storage", closure.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    closure.forget();
}

/// The localStorage key of `username`'s checklist saves made offline on the desk
/// (`desk::drafts`): kept through a sign-out that keeps the data, removed with it otherwise.
pub fn drafts_key(username: &str) -> String {
    let name: String = js_sys::encode_uri_component(username).into();
    local_key("konvergen.drafts.", &name)
}

/// The start of the desk's cache keys of `username`: `konvergen.cache.<name>` followed by the
/// request path (which starts with `/`; the name is URI-encoded, so it holds no `/`).
pub fn cache_stem(username: &str) -> String {
    let name: String = js_sys::encode_uri_component(username).into();
    local_key("konvergen.cache.", &name)
}

// ---- The kept key of the signed-in account (IndexedDB) ----

async fn keys_db() -> Result<Rexie, rexie::Error> {
    Rexie::builder(KEYS_DB)
        .version(1)
        .add_object_store(ObjectStore::new(KEYS_STORE))
        .build()
        .await
}

/// Makes `key` the only key of the store (one signed-in account at a time), or empties it.
async fn keep_key(key: Option<(&str, &web_sys::CryptoKey)>) {
    let result = async {
        let db = keys_db().await?;
        let tx = db.transaction(&[KEYS_STORE], TransactionMode::ReadWrite)?;
        let store = tx.store(KEYS_STORE)?;
        store.clear().await?;
        if let Some((username, key)) = key {
            store.put(key, Some(&JsValue::from_str(username))).await?;
        }
        tx.done().await?;
        db.close();
        Ok::<_, rexie::Error>(())
    }
    .await;
    // Without the kept key the next start shows the sign-in form: nothing is lost.
    let _ = result;
}

async fn kept_key(username: &str) -> Option<web_sys::CryptoKey> {
    let db = keys_db().await.ok()?;
    let key = async {
        let tx = db
            .transaction(&[KEYS_STORE], TransactionMode::ReadOnly)
            .ok()?;
        let value = tx
            .store(KEYS_STORE)
            .ok()?
            .get(JsValue::from_str(username))
            .await
            .ok()??;
        value.dyn_into::<web_sys::CryptoKey>().ok()
    }
    .await;
    db.close();
    key
}

// ---- localStorage ----

/// The localStorage key `prefix` + `username`.
fn local_key(prefix: &str, username: &str) -> String {
    [prefix, username].concat()
}

fn device_id(username: &str) -> Option<Uuid> {
    Uuid::parse_str(&get_local(&local_key(DEVICE_PREFIX, username))?).ok()
}

fn sealed(username: &str) -> Option<Sealed> {
    Sealed::decode(&get_local(&local_key(SEALED_PREFIX, username))?)
}

/// Carries the old format over: device ids kept (an outbox still syncs under its own device),
/// tokens, salts and verifiers dropped, and the desk's cache, which had no user in its keys.
fn migrate() {
    let Some(old) = get_local(OLD_ACCOUNTS_KEY) else {
        return;
    };
    if let Ok(accounts) = js_sys::JSON::parse(&old) {
        for entry in js_sys::Object::entries(accounts.unchecked_ref()).iter() {
            let entry: js_sys::Array = entry.unchecked_into();
            let device = js_sys::Reflect::get(&entry.get(1), &JsValue::from_str("session"))
                .and_then(|session| {
                    js_sys::Reflect::get(&session, &JsValue::from_str("device_id"))
                });
            if let (Some(username), Some(device)) = (
                entry.get(0).as_string(),
                device.ok().and_then(|d| d.as_string()),
            ) {
                let key = local_key(DEVICE_PREFIX, &username);
                if get_local(&key).is_none() {
                    set_local(&key, &device);
                }
            }
        }
    }
    remove_local(OLD_ACCOUNTS_KEY);
    remove_local_prefix("konvergen.cache./");
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

fn remove_local(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// The localStorage keys that start with `prefix`.
fn local_keys(prefix: &str) -> Vec<String> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

fn remove_local_prefix(prefix: &str) {
    for key in local_keys(prefix) {
        remove_local(&key);
    }
}

/// Waits for `work`, but no longer than `ms` milliseconds.
async fn at_most<F: Future>(ms: u32, work: F) -> Option<F::Output> {
    let mut work = std::pin::pin!(work);
    let mut timer = std::pin::pin!(gloo_timers::future::TimeoutFuture::new(ms));
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(out) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(out));
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}
