//! Each village's scope checksum, kept with the records so that the last page of a pull
//! adds up a few rows instead of hashing every record of the scope.
//!
//! A `village_checksum` row holds the count and XOR of [`record_hash`] over the village's
//! records (live or deleted) as of `change_seq`, and is valid while that equals the newest
//! `record.change_seq` of the village: every record write takes a new change sequence, so a
//! write that did not update the row (a database from before the table, a fixture loader
//! writing `record` directly) leaves it visibly stale. The push path updates a valid row in
//! the transaction of the record write; a missing or stale one is recomputed from the records
//! the next time a pull needs it. The hash is FNV-1a in Rust, which is why no migration can
//! fill the table. A village without records and without a row has the empty checksum.

use konvergen_shared::sync::ScopeChecksum;
use konvergen_shared::sync::checksum::record_hash;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::DbResult;
use super::pull::ScopeFilter;
use crate::auth::Scope;

/// A stored village checksum and the change sequence it is valid for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cached {
    sum: ScopeChecksum,
    change_seq: u64,
}

/// One record write about to be stored (called before the `record` row is written, while
/// the village's newest change sequence is still the one before this write).
#[derive(Debug, Clone, Copy)]
pub struct RecordWrite<'a> {
    /// The record's village.
    pub village: &'a str,
    /// The record.
    pub record_id: Uuid,
    /// Its version before the write; `None` for a new record.
    pub previous_version: Option<u64>,
    /// Its version after the write.
    pub version: u64,
    /// The change sequence the write takes.
    pub change_seq: u64,
}

/// The checksums of the villages one transaction writes to, folded in memory and stored
/// once per village when the transaction's writes are stored ([`Folds::store`]). The
/// result is the row a save after every single write would leave: a village's row is
/// read at its first write (before that write's record row, while the village's newest
/// change is still the one before), each write is folded in, and the row is saved with
/// the change sequence of the village's last write in the transaction.
#[derive(Debug, Default)]
pub struct Folds {
    /// Per village: the checksum as of its last write so far, or `None` when the stored
    /// one was stale or missing (it stays so, and is recomputed when read).
    villages: std::collections::BTreeMap<String, Option<Cached>>,
}

impl Folds {
    /// Folds one record write into its village's checksum. Call it before the record row
    /// is written.
    pub fn note_write(&mut self, conn: &Connection, write: &RecordWrite<'_>) -> DbResult<()> {
        if !self.villages.contains_key(write.village) {
            let first = current(conn, write.village)?;
            self.villages.insert(write.village.to_owned(), first);
        }
        if let Some(Some(cached)) = self.villages.get_mut(write.village) {
            fold(cached, write);
        }
        Ok(())
    }

    /// Saves every village's folded checksum that was current.
    pub fn store(self, conn: &Connection) -> DbResult<()> {
        for (village, cached) in self.villages {
            if let Some(cached) = cached {
                save(conn, &village, cached)?;
            }
        }
        Ok(())
    }
}

fn fold(cached: &mut Cached, write: &RecordWrite<'_>) {
    match write.previous_version {
        // XOR is its own inverse: the old version's hash leaves, the new one's enters.
        Some(previous) => cached.sum.xor ^= record_hash(write.record_id, previous),
        None => cached.sum.count += 1,
    }
    cached.sum.xor ^= record_hash(write.record_id, write.version);
    cached.change_seq = write.change_seq;
}

/// Checksum over every record (live or deleted) in the scope.
pub fn of_scope(conn: &Connection, scope: &Scope) -> DbResult<ScopeChecksum> {
    let mut total = ScopeChecksum::default();
    for village in villages_of(conn, scope)? {
        let sum = of_village(conn, &village)?;
        total.count += sum.count;
        total.xor ^= sum.xor;
    }
    Ok(total)
}

/// The checksum of one village, recomputed from its records (and stored) when the stored
/// one is missing or stale.
pub fn of_village(conn: &Connection, village: &str) -> DbResult<ScopeChecksum> {
    if let Some(cached) = current(conn, village)? {
        return Ok(cached.sum);
    }
    // The newest sequence first: a write landing after it (another connection) makes the
    // stored row stale again rather than wrongly current.
    let change_seq = newest_change_seq(conn, village)?;
    let sum = recompute(conn, village)?;
    save(conn, village, Cached { sum, change_seq })?;
    Ok(sum)
}

/// Every code of the scope that can hold records: the region rows it covers (records
/// reference `region`, so no village with records is missed).
fn villages_of(conn: &Connection, scope: &Scope) -> DbResult<Vec<String>> {
    let filter = ScopeFilter::of(scope).on_column("code");
    let sql = format!("SELECT code FROM region WHERE {}", filter.sql());
    let mut stmt = conn.prepare_cached(&sql)?;
    let codes = stmt
        .query_map(filter.params(&[]).as_slice(), |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(codes)
}

/// The stored checksum if it is valid, the empty one for a village that has neither
/// records nor a row, otherwise `None`.
fn current(conn: &Connection, village: &str) -> DbResult<Option<Cached>> {
    let newest = newest_change_seq(conn, village)?;
    let cached = stored(conn, village)?.unwrap_or_default();
    Ok((cached.change_seq == newest).then_some(cached))
}

fn newest_change_seq(conn: &Connection, village: &str) -> DbResult<u64> {
    let newest: i64 = conn
        .prepare_cached("SELECT coalesce(max(change_seq), 0) FROM record WHERE village_code = ?1")?
        .query_row([village], |row| row.get(0))?;
    Ok(newest.unsigned_abs())
}

fn stored(conn: &Connection, village: &str) -> DbResult<Option<Cached>> {
    Ok(conn
        .prepare_cached(
            "SELECT count, xor, change_seq FROM village_checksum WHERE village_code = ?1",
        )?
        .query_row([village], |row| {
            Ok(Cached {
                sum: ScopeChecksum {
                    count: row.get::<_, i64>(0)?.unsigned_abs(),
                    // The 64 hash bits as SQLite's signed integer, and back.
                    xor: row.get::<_, i64>(1)?.cast_unsigned(),
                },
                change_seq: row.get::<_, i64>(2)?.unsigned_abs(),
            })
        })
        .optional()?)
}

fn save(conn: &Connection, village: &str, cached: Cached) -> DbResult<()> {
    conn.prepare_cached(
        "INSERT INTO village_checksum (village_code, count, xor, change_seq)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (village_code) DO UPDATE SET
           count = excluded.count, xor = excluded.xor, change_seq = excluded.change_seq",
    )?
    .execute(params![
        village,
        i64::try_from(cached.sum.count).unwrap_or(i64::MAX),
        cached.sum.xor.cast_signed(),
        i64::try_from(cached.change_seq).unwrap_or(i64::MAX),
    ])?;
    Ok(())
}

/// The checksum of a village from its records: the definition the stored rows must equal.
pub fn recompute(conn: &Connection, village: &str) -> DbResult<ScopeChecksum> {
    let mut stmt = conn.prepare_cached("SELECT id, version FROM record WHERE village_code = ?1")?;
    let mut rows = stmt.query([village])?;
    let mut sum = ScopeChecksum::default();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let version: i64 = row.get(1)?;
        sum.add(
            Uuid::parse_str(&id).map_err(anyhow::Error::from)?,
            version.unsigned_abs(),
        );
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use konvergen_shared::api::Role;
    use konvergen_shared::sync::{
        EntityKind, Mutation, MutationResult, MutationStatus, Operation, PushRequest,
    };
    use serde_json::json;

    use super::*;
    use crate::db::accounts::{self, NewUser};
    use crate::db::{Store, block_on, migrations, push};

    const SIPAI: &str = "63.03.05.2009";
    const BINCAU: &str = "63.03.05.2012";
    const TUNGKARAN: &str = "63.03.05.2036";
    const TUNGKAP: &str = "63.05.01.2003";
    const VILLAGES: [&str; 4] = [SIPAI, BINCAU, TUNGKARAN, TUNGKAP];

    /// A database with the demo records (every kind, seven villages, through the push path)
    /// and a cadre working in four villages of two regencies.
    struct Fixture {
        dir: tempfile::TempDir,
        store: Store,
        cadre: i64,
        device: Uuid,
        next_seq: u64,
    }

    impl Fixture {
        fn new() -> Self {
            let dir = tempfile::tempdir().expect("tempdir");
            let store = Store::open(&dir.path().join("db.sqlite3")).expect("open");
            block_on(crate::demo::seed(&store)).expect("demo logins");
            let today = crate::util::today_wita(crate::util::now_ms());
            block_on(crate::demo::seed_records(&store, today, 2)).expect("demo records");
            let user = NewUser {
                username: "kader.uji".to_owned(),
                display_name: "Kader Uji".to_owned(),
                role: Role::Cadre,
                password_hash: "not-a-login".to_owned(),
                areas: VILLAGES.iter().map(|v| (*v).to_owned()).collect(),
                agency: None,
            };
            let cadre = store
                .call_blocking(|conn| accounts::insert_user(conn, &user, 0))
                .expect("cadre");
            Self {
                dir,
                store,
                cadre,
                device: Uuid::from_u64_pair(0xC4EC, 1),
                next_seq: 1,
            }
        }

        /// Closes the database and opens it again, as a server restart does.
        fn restart(&mut self) {
            self.store = Store::open(&self.dir.path().join("db.sqlite3")).expect("reopen");
        }

        fn push(
            &mut self,
            edits: Vec<(Uuid, u64, Operation, serde_json::Value)>,
        ) -> Vec<MutationResult> {
            let mutations = edits
                .into_iter()
                .map(|(record_id, base_version, op, body)| {
                    let seq = self.next_seq;
                    self.next_seq += 1;
                    Mutation {
                        seq,
                        entity: EntityKind::Household,
                        record_id,
                        base_version,
                        op,
                        body,
                        client_time_ms: None,
                    }
                })
                .collect();
            self.send(&PushRequest {
                device_id: self.device,
                mutations,
                heartbeat: None,
            })
        }

        fn send(&self, request: &PushRequest) -> Vec<MutationResult> {
            let scope = Scope::Villages(VILLAGES.iter().map(|v| (*v).to_owned()).collect());
            self.store
                .call_blocking(|conn| {
                    let tx = conn.transaction()?;
                    let pusher = push::Pusher {
                        user_id: self.cadre,
                        scope: &scope,
                        agency: None,
                        now_ms: crate::util::now_ms(),
                    };
                    let encoded = push::encode(request, pusher.now_ms);
                    let response = push::apply_encoded(&tx, pusher, request, &encoded)?;
                    tx.commit()?;
                    Ok(response.results)
                })
                .expect("push")
        }

        /// The stored rows were kept current by the writes themselves (checked before any
        /// read could recompute them), and every scope's checksum equals a full scan.
        fn check(&self) {
            self.store
                .call_blocking(|conn| {
                    for village in villages_with_records(conn) {
                        let kept = current(conn, &village)?
                            .unwrap_or_else(|| panic!("{village}: stored checksum not current"));
                        assert_eq!(kept.sum, recompute(conn, &village)?, "{village}");
                    }
                    assert_scopes_match(conn);
                    Ok(())
                })
                .expect("check");
        }
    }

    fn scopes() -> Vec<Scope> {
        let villages =
            |codes: &[&str]| Scope::Villages(codes.iter().map(|c| (*c).to_owned()).collect());
        let mut all: Vec<Scope> = VILLAGES.iter().map(|v| villages(&[v])).collect();
        all.push(villages(&[BINCAU, TUNGKARAN]));
        all.push(villages(&VILLAGES));
        all.push(Scope::Under(vec!["63.03".to_owned()]));
        all.push(Scope::Under(vec![
            "63.03.05".to_owned(),
            "63.05".to_owned(),
        ]));
        all.push(Scope::Under(vec!["63".to_owned()]));
        all.push(Scope::Nothing);
        all
    }

    /// What the pull answered before the stored checksums: a scan of every record.
    fn full_scan(conn: &Connection, scope: &Scope) -> ScopeChecksum {
        let filter = ScopeFilter::of(scope);
        let sql = format!("SELECT id, version FROM record WHERE {}", filter.sql());
        let mut stmt = conn.prepare(&sql).expect("sql");
        let rows = stmt
            .query_map(filter.params(&[]).as_slice(), |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .expect("query");
        ScopeChecksum::of(rows.map(|row| {
            let (id, version) = row.expect("row");
            (Uuid::parse_str(&id).expect("uuid"), version.unsigned_abs())
        }))
    }

    fn assert_scopes_match(conn: &Connection) {
        for scope in scopes() {
            let expected = full_scan(conn, &scope);
            assert_eq!(
                of_scope(conn, &scope).expect("checksum"),
                expected,
                "{scope:?}"
            );
        }
    }

    fn villages_with_records(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT DISTINCT village_code FROM record")
            .expect("sql");
        stmt.query_map([], |row| row.get(0))
            .expect("query")
            .map(|row| row.expect("row"))
            .collect()
    }

    fn household(village: &str, name: &str) -> serde_json::Value {
        json!({"village_code": village, "head_name": name, "rt": "001"})
    }

    fn statuses(results: &[MutationResult]) -> Vec<MutationStatus> {
        results.iter().map(|r| r.status).collect()
    }

    #[test]
    fn stored_checksums_equal_a_full_recomputation_after_every_kind_of_write() {
        let mut db = Fixture::new();
        db.check();
        let ids: Vec<Uuid> = (0..4).map(|i| Uuid::from_u64_pair(0xAB, i)).collect();
        let created = db.push(
            VILLAGES
                .iter()
                .zip(&ids)
                .map(|(village, id)| (*id, 0, Operation::Upsert, household(village, "baru")))
                .collect(),
        );
        assert_eq!(statuses(&created), vec![MutationStatus::Applied; 4]);
        db.check();
        let updated = db.push(vec![
            (ids[0], 1, Operation::Upsert, household(SIPAI, "ubah")),
            (ids[1], 1, Operation::Upsert, household(BINCAU, "ubah")),
            (ids[1], 2, Operation::Upsert, household(BINCAU, "ubah lagi")),
        ]);
        assert_eq!(statuses(&updated), vec![MutationStatus::Applied; 3]);
        db.check();
        let deleted = db.push(vec![(
            ids[2],
            1,
            Operation::Delete,
            serde_json::Value::Null,
        )]);
        assert_eq!(statuses(&deleted), vec![MutationStatus::Applied]);
        db.check();
        // A stale base, a record that moves village and one in an unknown village change
        // nothing on the server.
        let refused = db.push(vec![
            (ids[1], 1, Operation::Upsert, household(BINCAU, "basi")),
            (ids[3], 1, Operation::Upsert, household(SIPAI, "pindah")),
            (
                Uuid::from_u64_pair(0xAB, 9),
                0,
                Operation::Upsert,
                household("63.03.05.9999", "x"),
            ),
        ]);
        assert_eq!(
            statuses(&refused),
            vec![
                MutationStatus::Conflict,
                MutationStatus::Rejected,
                MutationStatus::Rejected
            ]
        );
        db.check();
        // The same batch again is answered from the log and writes nothing.
        let last = PushRequest {
            device_id: db.device,
            mutations: vec![Mutation {
                seq: 1,
                entity: EntityKind::Household,
                record_id: ids[0],
                base_version: 0,
                op: Operation::Upsert,
                body: household(SIPAI, "baru"),
                client_time_ms: None,
            }],
            heartbeat: None,
        };
        assert_eq!(statuses(&db.send(&last)), vec![MutationStatus::Duplicate]);
        db.check();
        db.restart();
        db.check();
        let after_restart = db.push(vec![(
            ids[3],
            1,
            Operation::Upsert,
            household(TUNGKAP, "lagi"),
        )]);
        assert_eq!(statuses(&after_restart), vec![MutationStatus::Applied]);
        db.check();
    }

    /// A database made before the table existed (schema 5, records already there) gets the
    /// checksums a full scan gives, and keeps them through later writes and a restart.
    #[test]
    fn a_database_from_the_older_schema_gets_correct_checksums() {
        let mut db = Fixture::new();
        let id = Uuid::from_u64_pair(0xAB, 1);
        db.push(vec![(id, 0, Operation::Upsert, household(SIPAI, "lama"))]);
        db.store
            .call_blocking(|conn| {
                // Undo 0007 to 0013 too, so that they apply again on the way up.
                conn.execute_batch(
                    "PRAGMA foreign_keys = OFF;
                     DROP VIEW audit_trail;
                     ALTER TABLE record DROP COLUMN created_at;
                     ALTER TABLE record DROP COLUMN created_by;
                     ALTER TABLE record DROP COLUMN created_device;
                     DROP TABLE panel_sheet;
                     DROP TABLE rubric_version;
                     DROP TABLE assessment_publication;
                     DELETE FROM user_area WHERE user_id IN
                         (SELECT id FROM user WHERE agency_id IS NOT NULL OR role = 'assessor');
                     DELETE FROM user WHERE agency_id IS NOT NULL OR role = 'assessor';
                     CREATE TABLE user_old (
                         id INTEGER PRIMARY KEY,
                         username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                         display_name TEXT NOT NULL,
                         role TEXT NOT NULL CHECK (role IN ('cadre', 'supervisor', 'province', 'admin')),
                         password_hash TEXT NOT NULL,
                         disabled INTEGER NOT NULL DEFAULT 0,
                         created_at INTEGER NOT NULL
                     ) STRICT;
                     INSERT INTO user_old SELECT id, username, display_name, role, password_hash,
                         disabled, created_at FROM user;
                     DROP TABLE user;
                     ALTER TABLE user_old RENAME TO user;
                     DROP TABLE agency;
                     PRAGMA foreign_keys = ON;
                     DROP TABLE village_checksum;
                     DROP INDEX conflict_open_device_record;
                     ALTER TABLE conflict DROP COLUMN repeats;
                     ALTER TABLE conflict DROP COLUMN last_at;
                     ALTER TABLE action_checklist DROP COLUMN version;
                     ALTER TABLE action_checklist DROP COLUMN item_versions;
                     DROP TABLE blob_ref;
                     DROP TABLE blob_uploader;
                     DROP TABLE blob;
                     PRAGMA user_version = 5;",
                )?;
                Ok(())
            })
            .expect("back to schema 5");
        db.restart();
        db.store
            .call_blocking(|conn| {
                assert_eq!(
                    migrations::schema_version(conn)?,
                    migrations::latest_version()
                );
                let rows: i64 =
                    conn.query_row("SELECT count(*) FROM village_checksum", [], |r| r.get(0))?;
                assert_eq!(rows, 0, "the migration cannot compute FNV hashes");
                assert_scopes_match(conn);
                Ok(())
            })
            .expect("upgraded");
        db.check();
        let edits = db.push(vec![
            (id, 1, Operation::Upsert, household(SIPAI, "baru")),
            (
                Uuid::from_u64_pair(0xAB, 2),
                0,
                Operation::Upsert,
                household(TUNGKAP, "baru"),
            ),
        ]);
        assert_eq!(statuses(&edits), vec![MutationStatus::Applied; 2]);
        db.check();
        db.restart();
        db.check();
    }

    /// Records written without the push path (the benchmark's fixture loader) take new
    /// change sequences, which leaves the stored row stale: it is recomputed, not trusted.
    #[test]
    fn records_written_around_the_push_path_are_not_missed() {
        let db = Fixture::new();
        db.check();
        db.store
            .call_blocking(|conn| {
                conn.execute_batch(
                    "UPDATE change_counter SET value = value + 1;
                     INSERT INTO record (id, entity, village_code, version, body, change_seq, updated_at)
                     SELECT '0198c0de-0000-7000-8000-000000000001', 'household', '63.03.05.2009', 3,
                            '{}', value, 0 FROM change_counter;",
                )?;
                assert!(current(conn, SIPAI)?.is_none(), "row should be stale");
                assert_scopes_match(conn);
                assert!(current(conn, SIPAI)?.is_some(), "row recomputed on read");
                Ok(())
            })
            .expect("fixture write");
    }
}
