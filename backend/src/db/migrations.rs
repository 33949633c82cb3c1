//! Schema migrations as code: each entry is one SQL file, applied in order, never edited
//! once released (add a new one instead).

use anyhow::Context;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATION_SQL: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_accounts_sync.sql"),
];

/// The migration list, built from [`MIGRATION_SQL`].
pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

/// Brings the database to the newest schema.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    migrations()
        .to_latest(conn)
        .context("applying database migrations")
}

/// Current schema version (the number of applied migrations, SQLite's `user_version`).
pub fn schema_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Schema version this build migrates to.
pub fn latest_version() -> u32 {
    u32::try_from(MIGRATION_SQL.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().expect("migrations validate");
    }

    #[test]
    fn fresh_database_reaches_latest_version() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrate(&mut conn).expect("migrate");
        assert_eq!(schema_version(&conn).expect("version"), latest_version());
    }
}
