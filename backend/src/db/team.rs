//! The accounts of a regency's team (its coordinators and agency staff), as the coordinator
//! manages them from the desk: listed, added, disabled or enabled, given a new password.
//! Every change of access ends the account's sessions at once.

use konvergen_shared::api::Role;
use konvergen_shared::district::TeamAccount;
use rusqlite::{Connection, params};

use super::accounts::{self, NewUser};
use super::{DbError, DbResult};

/// The team of `regency`: its supervisors and agency accounts, by name.
pub fn team_accounts(conn: &Connection, regency: &str) -> DbResult<Vec<TeamAccount>> {
    let names: Vec<String> = conn
        .prepare_cached(
            "SELECT u.username FROM user u JOIN user_area a ON a.user_id = u.id
             WHERE a.region_code = ?1 AND u.role IN ('supervisor', 'agency')
             ORDER BY u.role DESC, u.username",
        )?
        .query_map([regency], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut team = Vec::with_capacity(names.len());
    for name in names {
        if let Some(account) = accounts::find_by_username(conn, &name)? {
            team.push(TeamAccount {
                username: account.me.username,
                display_name: account.me.display_name,
                role: account.me.role,
                agency: account.me.agency,
                disabled: account.disabled,
            });
        }
    }
    Ok(team)
}

/// The agency account `username` of `regency`, the only kind a coordinator manages;
/// `NotFound` for anything else (another regency's, a coordinator's, a cadre's).
pub fn managed_account(conn: &Connection, regency: &str, username: &str) -> DbResult<TeamAccount> {
    team_accounts(conn, regency)?
        .into_iter()
        .find(|a| a.username == username && a.role == Role::Agency)
        .ok_or(DbError::NotFound)
}

/// Adds an agency account to `regency`'s team; `Conflict` when the name is taken.
pub fn add_agency_account(
    conn: &mut Connection,
    regency: &str,
    new: &konvergen_shared::district::NewTeamAccount,
    password_hash: &str,
    now_ms: i64,
) -> DbResult<TeamAccount> {
    let user = NewUser {
        username: new.username.clone(),
        display_name: new.display_name.clone(),
        role: Role::Agency,
        password_hash: password_hash.to_owned(),
        areas: vec![regency.to_owned()],
        agency: Some(new.agency.clone()),
    };
    accounts::insert_user(conn, &user, now_ms)?;
    managed_account(conn, regency, &new.username)
}

/// Disables (ending its sessions) or enables an account.
pub fn set_disabled(
    conn: &mut Connection,
    username: &str,
    disabled: bool,
    now_ms: i64,
) -> DbResult<()> {
    if disabled {
        return accounts::disable_user(conn, username, now_ms);
    }
    let changed = conn
        .prepare_cached("UPDATE user SET disabled = 0 WHERE username = ?1")?
        .execute(params![username])?;
    if changed == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}
