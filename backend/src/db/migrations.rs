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
    include_str!("../../migrations/0009_agencies.sql"),
    include_str!("../../migrations/0010_district_blob_refs.sql"),
    include_str!("../../migrations/0011_panel.sql"),
    include_str!("../../migrations/0012_audit_trail.sql"),
    include_str!("../../migrations/0013_record_creator.sql"),
];

/// The migration list, built from [`MIGRATION_SQL`].
pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

/// Brings the database to the newest schema. Foreign keys are off while migrations run (a
/// table rebuild, as in 0009, would otherwise cascade its drop) and checked afterwards: a
/// migration that leaves a dangling reference fails here, before the server starts. The
/// check reads every table, so it runs only when a migration was applied.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let before = schema_version(conn)?;
    if before >= latest_version() {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = migrations()
        .to_latest(conn)
        .context("applying database migrations");
    let dangling: rusqlite::Result<i64> =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        });
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrated?;
    let dangling = dangling?;
    anyhow::ensure!(
        dangling == 0,
        "migrations left {dangling} dangling references"
    );
    Ok(())
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

    /// The rebuild of `user` in 0009 keeps every account, its areas and sessions, and the
    /// references to it hold with foreign keys back on.
    #[test]
    fn the_agency_migration_keeps_accounts_and_what_points_at_them() {
        let mut conn = Connection::open_in_memory().expect("open");
        let before_agencies =
            Migrations::new(MIGRATION_SQL[..8].iter().map(|sql| M::up(sql)).collect());
        before_agencies.to_latest(&mut conn).expect("schema 8");
        conn.execute_batch(
            "INSERT INTO region (code, level, name, parent) VALUES ('63', 'province', 'Kalimantan Selatan', NULL);
             INSERT INTO region (code, level, name, parent) VALUES ('63.03', 'regency', 'Kabupaten Banjar', '63');
             INSERT INTO user (id, username, display_name, role, password_hash, created_at)
                 VALUES (7, 'supervisor.banjar', 'Bappeda Banjar', 'supervisor', 'x', 1);
             INSERT INTO user_area (user_id, region_code) VALUES (7, '63.03');
             INSERT INTO session (token_hash, user_id, created_at, expires_at) VALUES (x'01', 7, 1, 2);",
        )
        .expect("old data");
        migrate(&mut conn).expect("migrate");
        let kept: (String, i64, i64) = conn
            .query_row(
                "SELECT u.role, (SELECT count(*) FROM user_area WHERE user_id = u.id),
                        (SELECT count(*) FROM session WHERE user_id = u.id)
                 FROM user u WHERE u.id = 7",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .expect("kept");
        assert_eq!(kept, ("supervisor".to_owned(), 1, 1));
        let fks: bool = conn
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .expect("pragma");
        assert!(fks, "foreign keys are back on");
        // An agency account needs its agency; other roles have none.
        let orphan = conn.execute(
            "INSERT INTO user (username, display_name, role, password_hash, created_at)
             VALUES ('dinkes', 'Dinkes', 'agency', 'x', 1)",
            [],
        );
        assert!(orphan.is_err());
    }

    #[test]
    fn fresh_database_reaches_latest_version() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrate(&mut conn).expect("migrate");
        assert_eq!(schema_version(&conn).expect("version"), latest_version());
    }
}
