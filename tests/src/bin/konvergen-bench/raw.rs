//! The local limit: the same rows inserted straight into SQLite with the server's table,
//! indexes and settings, 500 per transaction, no HTTP, no validation, no idempotency log.

use std::path::Path;
use std::time::Instant;

use konvergen_backend::entities::{self, Link};
use rusqlite::{Connection, params};

use crate::data::Village;
use crate::konvergen::{PUSH_BATCH, Throughput};

const SCHEMA: &str = "
CREATE TABLE record (
    id TEXT PRIMARY KEY, entity TEXT NOT NULL, village_code TEXT NOT NULL, parent_id TEXT,
    version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT,
    change_seq INTEGER NOT NULL UNIQUE, updated_at INTEGER NOT NULL, updated_by INTEGER,
    device_id TEXT, created_at INTEGER, created_by INTEGER, created_device TEXT
) STRICT;
CREATE INDEX record_village_change ON record(village_code, change_seq);
CREATE INDEX record_parent ON record(parent_id);";

/// One row as the server would store it.
struct Row {
    id: String,
    entity: &'static str,
    village: String,
    parent: Option<String>,
    body: String,
}

/// Inserts every village's records for `cohort` into a fresh database at `path`.
pub fn insert_all(
    path: &Path,
    villages: &[Village],
    today: time::Date,
    cohort: u64,
) -> anyhow::Result<Throughput> {
    let rows: Vec<Row> = villages
        .iter()
        .flat_map(|village| {
            village.mutations(today, cohort).into_iter().map(|m| Row {
                id: m.record_id.to_string(),
                entity: m.entity.as_str(),
                village: village.code.clone(),
                parent: match entities::link_of(m.entity, &m.body) {
                    Ok(Link::Parent { id, .. }) => Some(id.to_string()),
                    _ => None,
                },
                body: m.body.to_string(),
            })
        })
        .collect();
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(SCHEMA)?;
    let started = Instant::now();
    let mut change_seq: i64 = 0;
    for chunk in rows.chunks(PUSH_BATCH) {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO record (id, entity, village_code, parent_id, version, body, change_seq,
                                     updated_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?7)",
            )?;
            for row in chunk {
                change_seq += 1;
                insert.execute(params![
                    row.id,
                    row.entity,
                    row.village,
                    row.parent,
                    row.body,
                    change_seq,
                    change_seq
                ])?;
            }
        }
        tx.commit()?;
    }
    Ok(Throughput {
        records: rows.len(),
        elapsed: started.elapsed(),
    })
}
