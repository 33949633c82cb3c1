//! Users, their areas and their sessions.

use konvergen_shared::api::{Area, Me, Role};
use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, DbResult, Store};

/// A user row with its password hash (never leaves the server).
#[derive(Debug, Clone)]
pub struct UserRow {
    /// The user as the API shows it.
    pub me: Me,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Disabled accounts cannot log in and their sessions stop working.
    pub disabled: bool,
}

/// Fields of a new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Account name (unique, case-insensitive).
    pub username: String,
    /// Name to show.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Area codes (must exist in the region table).
    pub areas: Vec<String>,
    /// For an `agency` account: the agency's name on the list of its regency (its one area).
    pub agency: Option<String>,
}

/// Creates an account; `Conflict` when the username is taken.
pub fn insert_user(conn: &mut Connection, user: &NewUser, now_ms: i64) -> DbResult<i64> {
    let tx = conn.transaction()?;
    let taken: bool = tx
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM user WHERE username = ?1)")?
        .query_row([&user.username], |row| row.get(0))?;
    if taken {
        return Err(DbError::Conflict(format!(
            "username {} is taken",
            user.username
        )));
    }
    let agency_id = match user.agency.as_deref() {
        Some(name) => {
            let regency = user.areas.first().map(String::as_str).unwrap_or_default();
            let id = agency_id(&tx, regency, name)?.ok_or_else(|| {
                DbError::Other(anyhow::anyhow!(
                    "agency {name:?} is not on the list of {regency}: add it first with \
                     `konvergen-server agency add --area {regency} --name ...`"
                ))
            })?;
            Some(id)
        }
        None => None,
    };
    tx.prepare_cached(
        "INSERT INTO user (username, display_name, role, password_hash, created_at, agency_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        user.username,
        user.display_name,
        user.role.as_str(),
        user.password_hash,
        now_ms,
        agency_id
    ])?;
    let id = tx.last_insert_rowid();
    for code in &user.areas {
        tx.prepare_cached("INSERT INTO user_area (user_id, region_code) VALUES (?1, ?2)")?
            .execute(params![id, code])?;
    }
    tx.commit()?;
    Ok(id)
}

/// Finds a user by name.
pub fn find_by_username(conn: &Connection, username: &str) -> DbResult<Option<UserRow>> {
    let row = conn
        .prepare_cached(
            "SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled, a.name
             FROM user u LEFT JOIN agency a ON a.id = u.agency_id WHERE u.username = ?1",
        )?
        .query_row([username], |row| {
            Ok((
                (
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ),
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, bool>(5)?,
                row.get::<_, Option<String>>(6)?,
            ))
        })
        .optional()?;
    let Some(((id, username, display_name), role, password_hash, disabled, agency)) = row else {
        return Ok(None);
    };
    let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?;
    let areas = areas_of(conn, id)?;
    Ok(Some(UserRow {
        me: Me {
            id,
            username,
            display_name,
            role,
            areas,
            agency,
        },
        password_hash,
        disabled,
    }))
}

/// The areas of a user, with names and levels.
pub fn areas_of(conn: &Connection, user_id: i64) -> DbResult<Vec<Area>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.code, r.name, r.level FROM user_area a JOIN region r ON r.code = a.region_code
         WHERE a.user_id = ?1 ORDER BY r.code",
    )?;
    let areas = stmt
        .query_map([user_id], |row| {
            Ok(Area {
                code: row.get(0)?,
                name: row.get(1)?,
                level: row.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(areas)
}

/// Stores a new session (only the token's hash).
pub fn insert_session(
    conn: &Connection,
    token_hash: &[u8],
    user_id: i64,
    now_ms: i64,
    expires_ms: i64,
) -> DbResult<()> {
    conn.prepare_cached(
        "INSERT INTO session (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![token_hash, user_id, now_ms, expires_ms])?;
    Ok(())
}

/// The user behind a live session, `None` when the token is unknown, expired, revoked or
/// the account disabled.
pub fn session_user(conn: &Connection, token_hash: &[u8], now_ms: i64) -> DbResult<Option<Me>> {
    let username: Option<String> = conn
        .prepare_cached(
            "SELECT u.username FROM session s JOIN user u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2
               AND u.disabled = 0",
        )?
        .query_row(params![token_hash, now_ms], |row| row.get(0))
        .optional()?;
    match username {
        Some(name) => Ok(find_by_username(conn, &name)?.map(|row| row.me)),
        None => Ok(None),
    }
}

/// Revokes one session.
pub fn revoke_session(conn: &Connection, token_hash: &[u8], now_ms: i64) -> DbResult<()> {
    conn.prepare_cached(
        "UPDATE session SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![token_hash, now_ms])?;
    Ok(())
}

/// Disables an account and revokes all its sessions.
pub fn disable_user(conn: &mut Connection, username: &str, now_ms: i64) -> DbResult<()> {
    let tx = conn.transaction()?;
    let changed = tx
        .prepare_cached("UPDATE user SET disabled = 1 WHERE username = ?1")?
        .execute([username])?;
    if changed == 0 {
        return Err(DbError::NotFound);
    }
    tx.prepare_cached(
        "UPDATE session SET revoked_at = ?2 WHERE revoked_at IS NULL
           AND user_id = (SELECT id FROM user WHERE username = ?1)",
    )?
    .execute(params![username, now_ms])?;
    tx.commit()?;
    Ok(())
}

/// Sets a new password hash and revokes the user's sessions.
pub fn set_password(
    conn: &mut Connection,
    username: &str,
    hash: &str,
    now_ms: i64,
) -> DbResult<()> {
    let tx = conn.transaction()?;
    let changed = tx
        .prepare_cached("UPDATE user SET password_hash = ?2 WHERE username = ?1")?
        .execute(params![username, hash])?;
    if changed == 0 {
        return Err(DbError::NotFound);
    }
    tx.prepare_cached(
        "UPDATE session SET revoked_at = ?2 WHERE revoked_at IS NULL
           AND user_id = (SELECT id FROM user WHERE username = ?1)",
    )?
    .execute(params![username, now_ms])?;
    tx.commit()?;
    Ok(())
}

/// All accounts, for `konvergen-server user list`.
pub fn list_users(conn: &Connection) -> DbResult<Vec<(Me, bool)>> {
    let names: Vec<String> = conn
        .prepare("SELECT username FROM user ORDER BY username")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut users = Vec::with_capacity(names.len());
    for name in names {
        if let Some(row) = find_by_username(conn, &name)? {
            users.push((row.me, row.disabled));
        }
    }
    Ok(users)
}

/// Whether any account exists (demo seeding only fills an empty database).
pub fn any_user(conn: &Connection) -> DbResult<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM user)")?
        .query_row([], |row| row.get(0))?)
}

/// The id of agency `name` on the list of `regency`.
pub fn agency_id(conn: &Connection, regency: &str, name: &str) -> DbResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM agency WHERE regency_code = ?1 AND name = ?2")?
        .query_row(params![regency, name], |row| row.get(0))
        .optional()?)
}

/// Puts `name` on the agency list of `regency` (nothing when it is there already).
pub fn add_agency(conn: &Connection, regency: &str, name: &str, now_ms: i64) -> DbResult<()> {
    conn.prepare_cached(
        "INSERT INTO agency (regency_code, name, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (regency_code, name) DO NOTHING",
    )?
    .execute(params![regency, name, now_ms])?;
    Ok(())
}

/// The agency list of `regency`, by name.
pub fn agencies(conn: &Connection, regency: &str) -> DbResult<Vec<String>> {
    let names = conn
        .prepare_cached("SELECT name FROM agency WHERE regency_code = ?1 ORDER BY name")?
        .query_map([regency], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(names)
}

/// Accounts for the command line, the demo seed and authentication.
impl Store {
    /// The user behind a live session token's hash ([`session_user`]).
    pub async fn session_user(&self, token_hash: Vec<u8>, now_ms: i64) -> DbResult<Option<Me>> {
        self.call(move |conn| session_user(conn, &token_hash, now_ms))
            .await
    }

    /// Creates an account ([`insert_user`]); returns its id.
    pub async fn create_user(&self, user: NewUser, now_ms: i64) -> DbResult<i64> {
        self.call(move |conn| insert_user(conn, &user, now_ms))
            .await
    }

    /// Creates accounts each with a session whose token hash is given, in one transaction:
    /// the benchmark's thousands of cadres, signed in without hashing a password each.
    pub async fn create_users_with_sessions(
        &self,
        users: Vec<(NewUser, Vec<u8>)>,
        now_ms: i64,
        expires_ms: i64,
    ) -> DbResult<()> {
        self.call(move |conn| {
            for (user, token_hash) in &users {
                let id = insert_user(conn, user, now_ms)?;
                insert_session(conn, token_hash, id, now_ms, expires_ms)?;
            }
            Ok(())
        })
        .await
    }

    /// Every account with whether it is disabled ([`list_users`]).
    pub async fn users(&self) -> DbResult<Vec<(Me, bool)>> {
        self.call(|conn| list_users(conn)).await
    }

    /// Whether any account exists.
    pub async fn has_users(&self) -> DbResult<bool> {
        self.call(|conn| any_user(conn)).await
    }

    /// Disables an account and revokes its sessions ([`disable_user`]).
    pub async fn disable_user(&self, username: String, now_ms: i64) -> DbResult<()> {
        self.call(move |conn| disable_user(conn, &username, now_ms))
            .await
    }

    /// Sets a password hash and revokes the sessions ([`set_password`]).
    pub async fn set_password(&self, username: String, hash: String, now_ms: i64) -> DbResult<()> {
        self.call(move |conn| set_password(conn, &username, &hash, now_ms))
            .await
    }

    /// Puts an agency on the list of its regency ([`add_agency`]).
    pub async fn add_agency(&self, regency: String, name: String, now_ms: i64) -> DbResult<()> {
        self.call(move |conn| add_agency(conn, &regency, &name, now_ms))
            .await
    }
}
