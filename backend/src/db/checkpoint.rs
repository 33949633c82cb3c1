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

/// Pages the log may hold before the checkpointer has it started over: 64 MiB of 4 KiB
/// pages. It is also the size the log file is cut back to ([`JOURNAL_SIZE_LIMIT_BYTES`]).
pub const LOG_FRAMES_LIMIT: i64 = 32_768;

/// What the log file is truncated to when it starts over, so that one burst of writes does
/// not leave a file of its size behind.
pub const JOURNAL_SIZE_LIMIT_BYTES: i64 = LOG_FRAMES_LIMIT * 4096;

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
        if let Err(err) = checkpoint(conn) {
            // The next wake tries again; the log only grows meanwhile, nothing is lost.
            tracing::warn!(error = %err, "checkpoint of the write-ahead log failed");
        }
        std::thread::sleep(REST);
    }
}

/// One passive checkpoint; then, when the log has grown past its limit, a restart of it.
fn checkpoint(conn: &Connection) -> rusqlite::Result<()> {
    if log_pages(conn, "PASSIVE")? > LOG_FRAMES_LIMIT {
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
