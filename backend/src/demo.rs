//! Demo accounts and demo data, seeded into an empty database so a newcomer can log in
//! and look around at once. The README lists these logins.

use konvergen_shared::api::Role;

use crate::auth::hash_password;
use crate::db::accounts::{self, NewUser};
use crate::db::{DbResult, Store};
use crate::util::now_ms;

/// A demo login: username, password, display name, role, areas.
pub type DemoLogin = (
    &'static str,
    &'static str,
    &'static str,
    Role,
    &'static [&'static str],
);

/// The demo logins (also in the README).
pub const DEMO_LOGINS: &[DemoLogin] = &[
    (
        "kader.sipai",
        "kader123",
        "Siti Aminah (KPM Sungai Sipai)",
        Role::Cadre,
        &["63.03.05.2009"],
    ),
    (
        "kader.bincau",
        "kader123",
        "Rahmah (KPM Bincau)",
        Role::Cadre,
        &["63.03.05.2012", "63.03.05.2036"],
    ),
    (
        "kader.tapin",
        "kader123",
        "Nurul (KPM Tapin)",
        Role::Cadre,
        &["63.05.01.2003"],
    ),
    (
        "supervisor.banjar",
        "supervisor123",
        "Dinkes Kabupaten Banjar",
        Role::Supervisor,
        &["63.03"],
    ),
    (
        "supervisor.tapin",
        "supervisor123",
        "Bappeda Kabupaten Tapin",
        Role::Supervisor,
        &["63.05"],
    ),
    (
        "provinsi.kalsel",
        "provinsi123",
        "Bappeda Provinsi Kalimantan Selatan",
        Role::Province,
        &["63"],
    ),
    ("admin", "admin123", "Administrator", Role::Admin, &[]),
];

/// Seeds the demo logins (and demo records) when the database has no account yet.
/// Returns whether anything was seeded.
pub fn seed_if_empty(store: &Store) -> anyhow::Result<bool> {
    if store.call_blocking(|conn| accounts::any_user(conn))? {
        return Ok(false);
    }
    seed(store)?;
    Ok(true)
}

/// Seeds the demo logins; an existing username is left as it is.
pub fn seed(store: &Store) -> anyhow::Result<()> {
    for (username, password, display_name, role, areas) in DEMO_LOGINS {
        let hash = hash_password(password)?;
        let areas: Vec<String> = areas.iter().map(|code| (*code).to_owned()).collect();
        let user = NewUser {
            username,
            display_name,
            role: *role,
            password_hash: &hash,
            areas: &areas,
        };
        let result: DbResult<i64> =
            store.call_blocking(|conn| accounts::insert_user(conn, &user, now_ms()));
        match result {
            Ok(_) | Err(crate::db::DbError::Conflict(_)) => {}
            Err(err) => return Err(anyhow::anyhow!("seeding {username}: {err}")),
        }
    }
    tracing::info!(logins = DEMO_LOGINS.len(), "seeded demo logins");
    Ok(())
}
