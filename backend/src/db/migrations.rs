//! Schema migrations as code: each entry is one SQL file, applied in order, never edited
//! once released (add a new one instead).

use anyhow::Context;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATION_SQL: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_accounts_sync.sql"),
    include_str!("../../migrations/0003_actions.sql"),
    include_str!("../../migrations/0004_village_figures.sql"),
    include_str!("../../migrations/0005_drop_entity_village_index.sql"),
    include_str!("../../migrations/0006_village_checksum.sql"),
    include_str!("../../migrations/0007_integrity.sql"),
    include_str!("../../migrations/0008_blobs.sql"),
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

    /// A database made by the first release (schema 1, regions loaded) upgrades in place and
    /// keeps its data.
    #[test]
    fn upgrades_a_database_made_by_an_older_schema() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            let first_release = Migrations::new(vec![M::up(MIGRATION_SQL[0])]);
            first_release.to_latest(&mut conn).expect("old schema");
            conn.execute(
                "INSERT INTO region (code, level, name, parent) VALUES ('63', 'province', 'Kalimantan Selatan', NULL)",
                [],
            )
            .expect("old data");
            assert_eq!(schema_version(&conn).expect("version"), 1);
        }
        let store = crate::db::Store::open(&path).expect("open and upgrade");
        let (name, version) = store
            .call_blocking(|conn| {
                let name: String =
                    conn.query_row("SELECT name FROM region WHERE code = '63'", [], |r| {
                        r.get(0)
                    })?;
                Ok((name, schema_version(conn)?))
            })
            .expect("read back");
        assert_eq!(name, "Kalimantan Selatan");
        assert_eq!(version, latest_version());
    }

    #[test]
    fn fresh_database_reaches_latest_version() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrate(&mut conn).expect("migrate");
        assert_eq!(schema_version(&conn).expect("version"), latest_version());
    }
}
