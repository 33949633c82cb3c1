//! The one storage module: every SQL statement of the server lives under `db/`.
//!
//! Handlers see [`Store`] and [`DbError`], never `rusqlite` types, so a PostgreSQL
//! implementation can later stand behind the same methods.

mod accounts;
mod actions;
mod aggregates;
mod blobs;
mod checkpoint;
mod checksums;
mod devices;
mod district;
mod dossier;
mod migrations;
mod ops;
mod overview;
mod panel;
mod pull;
mod push;
mod records;
mod regions;
mod supervision;
mod team;

// What callers outside the storage module name: rows and arguments of the [`Store`]'s
// methods. The modules themselves, and every connection, stay inside.
pub use accounts::{NewUser, UserRow};
pub use actions::{ChecklistWrite, Refusal, Stale, StoredChecklist, WritePart};
pub use blobs::{BlobAccess, BlobRow, KIND_CHECKLIST_ITEM, KIND_DISTRICT_RECORD, Recorded};
pub use dossier::DistrictYear;
pub use migrations::latest_version as latest_schema_version;
pub use ops::{PullArgs, PushAuthor, ResolveArgs};
pub use overview::OverviewQuery;
pub use panel::{PanelRefusal, PanelYear, RubricState, SheetWrite, StoredSheet};
pub use pull::{CHANGE_STREAM_VERSION, PullPage, StoredChange};

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::Connection;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The requested row does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or state rule refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Anything else (I/O, corrupt file, bug), with context.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<rusqlite::Error> for DbError {
    fn from(err: rusqlite::Error) -> Self {
        match err {
            rusqlite::Error::QueryReturnedNoRows => Self::NotFound,
            other => Self::Other(anyhow::Error::new(other)),
        }
    }
}

/// Result type of the storage layer.
pub type DbResult<T> = Result<T, DbError>;

/// Rows one multi-row `INSERT` carries in [`insert_rows`]: a statement per row cost more in
/// SQLite's per-statement work (binding, cursor set-up) than the row itself
/// (docs/benchmarks.md). 9 columns × 50 rows stays far below SQLite's parameter limit.
const ROWS_PER_INSERT: usize = 50;

/// Inserts `rows` in order, [`ROWS_PER_INSERT`] to a statement. `insert` is the statement
/// up to `VALUES` (`INSERT INTO t (a, b)`) for `columns` columns; `values` gives a row's
/// parameters in column order. The remainder goes one row at a time, so that only two
/// statements per table enter the statement cache.
fn insert_rows<'r, R>(
    conn: &rusqlite::Connection,
    insert: &str,
    columns: usize,
    rows: &'r [R],
    values: impl Fn(&'r R, &mut Vec<&'r dyn rusqlite::ToSql>),
) -> DbResult<()> {
    let sql = |count: usize| {
        let row = format!("({})", vec!["?"; columns].join(", "));
        format!("{insert} VALUES {}", vec![row; count].join(", "))
    };
    let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
    let mut params = Vec::with_capacity(columns * ROWS_PER_INSERT);
    if chunks.len() > 0 {
        let mut full = conn.prepare_cached(&sql(ROWS_PER_INSERT))?;
        for chunk in &mut chunks {
            params.clear();
            chunk.iter().for_each(|row| values(row, &mut params));
            full.execute(params.as_slice())?;
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut single = conn.prepare_cached(&sql(1))?;
        for row in rest {
            params.clear();
            values(row, &mut params);
            single.execute(params.as_slice())?;
        }
    }
    Ok(())
}

/// Handle to the SQLite database. Cheap to clone.
///
/// SQLite allows one writer at a time, so one connection behind a mutex is both the simplest
/// and the fastest arrangement for writes; every call runs on tokio's blocking pool so the
/// async executor threads never wait on disk.
#[derive(Debug, Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    /// Admits database calls to the blocking pool one or two at a time. Without it, 500
    /// phones syncing at once became 500 blocking threads parked on the mutex, each holding
    /// its request's memory (docs/benchmarks.md); waiting here costs a future, not a thread.
    admission: Arc<tokio::sync::Semaphore>,
    /// Copies the write-ahead log into the database file off the connection's thread.
    checkpointer: checkpoint::Checkpointer,
}

/// Database calls allowed on the blocking pool at once: one running, one ready behind it.
const ADMITTED_CALLS: usize = 2;

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating data folder {}", parent.display()))?;
        }
        let mut conn = Connection::open(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        configure(&conn)?;
        // A deferred transaction that read first and then writes is refused at once, without
        // waiting, when the checkpoint thread holds the write lock for a restart of the log
        // ([`checkpoint`]); one that takes the lock at its start waits like any statement.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        migrations::migrate(&mut conn)?;
        let loaded = regions::load_if_needed(&mut conn).map_err(|err| anyhow::anyhow!("{err}"))?;
        if loaded > 0 {
            tracing::info!(rows = loaded, "loaded the Kemendagri region table");
        }
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            admission: Arc::new(tokio::sync::Semaphore::new(ADMITTED_CALLS)),
            checkpointer: checkpoint::Checkpointer::start(path)?,
        })
    }

    /// Runs `work` with the connection on the blocking thread pool.
    async fn call<T, F>(&self, work: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> DbResult<T> + Send + 'static,
    {
        // Owned, and moved into the task: a caller that gives up (client gone) must not
        // free the slot while its work still runs.
        let admitted = Arc::clone(&self.admission)
            .acquire_owned()
            .await
            .context("database admission closed")?;
        let conn = Arc::clone(&self.conn);
        let checkpointer = self.checkpointer.clone();
        tokio::task::spawn_blocking(move || {
            let _admitted = admitted;
            // A panic while holding the lock poisons it; the connection itself is still
            // consistent (SQLite rolls back the open transaction), so keep using it.
            let mut guard = conn
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let done = work(&mut guard);
            checkpointer.nudge();
            done
        })
        .await
        .context("database task failed")?
    }

    /// Runs `work` synchronously (the storage module's own tests).
    #[cfg(test)]
    fn call_blocking<T>(&self, work: impl FnOnce(&mut Connection) -> DbResult<T>) -> DbResult<T> {
        let mut guard = self
            .conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let done = work(&mut guard);
        self.checkpointer.nudge();
        done
    }

    /// Whether a trivial query succeeds, and the schema version.
    pub async fn health(&self) -> (bool, u32) {
        let result = self
            .call(|conn| {
                conn.query_row("SELECT 1", [], |_| Ok(()))?;
                Ok(migrations::schema_version(conn)?)
            })
            .await;
        match result {
            Ok(version) => (true, version),
            Err(err) => {
                tracing::warn!(error = %err, "database health check failed");
                (false, 0)
            }
        }
    }
}

/// Runs a future to completion on a runtime of its own: the storage module's own tests are
/// synchronous, the [`Store`]'s methods async.
#[cfg(test)]
fn block_on<F: std::future::Future>(work: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("test runtime")
        .block_on(work)
}

/// Per-connection settings: these are not persistent, so they cannot live in migrations.
fn configure(conn: &Connection) -> anyhow::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // NORMAL is durable across process crashes in WAL mode; only an OS crash or power loss
    // can lose the last transactions, and the device keeps those in its outbox until a
    // later pull confirms them.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    // 32 MiB of page cache instead of SQLite's 2 MiB: record ids are random UUIDs, so at
    // province scale every insert lands on a different index page; with the small cache
    // those pages were evicted and written out mid-transaction (docs/benchmarks.md).
    conn.pragma_update(None, "cache_size", -32_768)?;
    // The log is copied back by the checkpoint thread ([`checkpoint`]), not by the commit
    // that fills it, which made every waiting request wait for the copy and its syncs.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(
        None,
        "journal_size_limit",
        checkpoint::JOURNAL_SIZE_LIMIT_BYTES,
    )?;
    // The push path alone runs about a dozen statements per mutation; parsing them anew each
    // time cost more than executing them (measured, docs/benchmarks.md), so every hot
    // statement is a cached one and the cache holds them all.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}
