//! Copying the write-ahead log back into the database file, on a thread of its own.
//!
//! SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000
//! pages: that writer copies the pages and waits for the file syncs while every other
//! request waits for it, since the server has one connection. On the push benchmark that
//! was about a third of the push time (docs/benchmarks.md). So the server's connection
//! never checkpoints; a second connection does, on this thread, soon after writes, in the
//! mode that never blocks them (PASSIVE). Under a steady stream of writes the log is never
//! fully copied at the moment a write starts, so SQLite never starts it over by itself:
//! past [`LOG_FRAMES_LIMIT`] the checkpointer makes it (RESTART, a short wait for the writer).

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use rusqlite::Connection;

/// Pages the log may hold before the checkpointer has it started over: 256 MiB of 4 KiB
/// pages. Each restart makes the writer wait for the last pages to be copied and the file
/// synced; at 128 MiB those waits cost a tenth of the push rate (docs/benchmarks.md).
pub const LOG_FRAMES_LIMIT: i64 = 65_536;

/// What the log file is cut back to when it starts over, so that a burst of writes does not
/// leave a file of its size behind.
pub const JOURNAL_SIZE_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// Rest after each checkpoint, so that a burst of commits is copied in one pass (a page
/// written by many transactions is copied once) rather than after every commit.
const REST: Duration = Duration::from_millis(250);

/// Wakes the checkpoint thread after writes. The thread stops once every clone is dropped.
#[derive(Debug, Clone)]
pub struct Checkpointer {
    wake: mpsc::SyncSender<()>,
}

impl Checkpointer {
    /// Opens a second connection to the database at `path` and starts the thread.
    pub fn start(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path)
            .with_context(|| format!("opening {} for checkpoints", path.display()))?;
        // RESTART waits for the writer through this handler; a batch takes milliseconds.
        conn.pragma_update(None, "busy_timeout", 5000)?;
        // One pending wake is enough: the checkpoint copies whatever the log holds by then.
        let (wake, woken) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("wal-checkpoint".to_owned())
            .spawn(move || run(&conn, &woken))
            .context("starting the checkpoint thread")?;
        Ok(Self { wake })
    }

    /// Says the log may have grown. A wake while one is pending is dropped on purpose.
    pub fn nudge(&self) {
        // Full: a wake is pending already. Disconnected: the thread stopped and logged why.
        let _ = self.wake.try_send(());
    }
}

fn run(conn: &Connection, woken: &mpsc::Receiver<()>) {
    while woken.recv().is_ok() {
        if let Err(err) = checkpoint(conn, LOG_FRAMES_LIMIT) {
            // The next wake tries again; the log only grows meanwhile, nothing is lost.
            tracing::warn!(error = %err, "checkpoint of the write-ahead log failed");
        }
        std::thread::sleep(REST);
    }
}

/// One passive checkpoint; then, when the log has grown past `log_limit` pages, a restart.
fn checkpoint(conn: &Connection, log_limit: i64) -> rusqlite::Result<()> {
    if log_pages(conn, "PASSIVE")? > log_limit {
        log_pages(conn, "RESTART")?;
    }
    Ok(())
}

/// Runs `PRAGMA wal_checkpoint(mode)` and answers how many pages the log held.
fn log_pages(conn: &Connection, mode: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |row| {
        row.get::<_, i64>(1)
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use rusqlite::Connection;

    use super::{checkpoint, log_pages};
    use crate::db::Store;

    /// Pages a test log may hold before the restart, and what the file is cut back to.
    const SMALL_LIMIT: i64 = 64;

    fn wal_of(path: &Path) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push("-wal");
        PathBuf::from(name)
    }

    fn file_len(path: &Path) -> u64 {
        std::fs::metadata(path).map_or(0, |meta| meta.len())
    }

    /// A connection set up as the server's: WAL, no checkpoint by commits, a size limit.
    fn writer(path: &Path) -> Connection {
        let conn = Connection::open(path).expect("open");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no auto");
        conn.pragma_update(None, "journal_size_limit", SMALL_LIMIT * 4096)
            .expect("limit");
        conn.execute_batch("CREATE TABLE IF NOT EXISTS t (b BLOB)")
            .expect("table");
        conn
    }

    /// About `pages` pages of new rows in one transaction.
    fn write_pages(conn: &Connection, pages: usize) {
        conn.execute_batch("BEGIN").expect("begin");
        for _ in 0..pages {
            conn.execute("INSERT INTO t (b) VALUES (zeroblob(4000))", [])
                .expect("insert");
        }
        conn.execute_batch("COMMIT").expect("commit");
    }

    #[test]
    fn a_log_past_its_limit_is_copied_back_and_cut_at_the_next_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db.sqlite3");
        let conn = writer(&path);
        let other = Connection::open(&path).expect("second connection");
        write_pages(&conn, 300);
        let grown = file_len(&wal_of(&path));
        assert!(
            grown > 300 * 4096,
            "the commit did not checkpoint: {grown} bytes"
        );

        checkpoint(&other, SMALL_LIMIT).expect("restart");
        write_pages(&conn, 1);
        let cut = file_len(&wal_of(&path));
        assert!(
            cut <= u64::try_from(SMALL_LIMIT * 4096).expect("small"),
            "log of {cut} bytes after the restart"
        );
        let rows: i64 = other
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .expect("count");
        assert_eq!(rows, 301, "nothing is lost by the restart");
        assert!(log_pages(&other, "PASSIVE").expect("pages") < SMALL_LIMIT);
    }

    /// The store's own thread copies what its connection writes into the database file;
    /// no commit does.
    #[test]
    fn the_store_copies_its_writes_into_the_database_file_on_its_own() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db.sqlite3");
        let store = Store::open(&path).expect("open");
        let before = file_len(&path);
        store
            .call_blocking(|conn| {
                conn.execute_batch("CREATE TABLE t (b BLOB)")?;
                write_pages(conn, 500);
                Ok(())
            })
            .expect("writes");
        let deadline = Instant::now() + Duration::from_secs(20);
        while file_len(&path) < before + 500 * 4000 {
            assert!(Instant::now() < deadline, "never copied back");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A transaction that reads before it writes must wait for another writer (the
    /// checkpoint thread's restart holds the write lock), not fail at once: the store's
    /// transactions take the lock when they begin.
    #[test]
    fn a_write_transaction_waits_for_another_writer_instead_of_failing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db.sqlite3");
        let store = Store::open(&path).expect("open");
        store
            .call_blocking(|conn| Ok(conn.execute_batch("CREATE TABLE t (n INTEGER)")?))
            .expect("table");
        let (locked, is_locked) = std::sync::mpsc::channel();
        let other = std::thread::spawn(move || {
            let conn = Connection::open(path).expect("open");
            conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO t (n) VALUES (1);")
                .expect("hold the write lock");
            locked.send(()).expect("signal");
            std::thread::sleep(Duration::from_millis(300));
            conn.execute_batch("COMMIT").expect("commit");
        });
        is_locked.recv().expect("locked");
        let seen = store
            .call_blocking(|conn| {
                let tx = conn.transaction()?;
                let seen: i64 = tx.query_row("SELECT count(*) FROM t", [], |row| row.get(0))?;
                tx.execute("INSERT INTO t (n) VALUES (2)", [])?;
                tx.commit()?;
                Ok(seen)
            })
            .expect("waited for the lock");
        other.join().expect("other writer");
        assert_eq!(seen, 1, "began after the other writer committed");
    }
}
