//! Evidence files (photos, PDFs) stored by content: the bytes behind a small [`BlobStore`]
//! trait (the file system now, object storage later), what is there and who may read it in
//! the database (`db/blobs.rs`), the type sniffed from the first bytes, and the sweeper that
//! removes what nobody references.

pub mod fs;

use std::io;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::AppState;

pub use fs::FsBlobStore;

/// Bytes needed to tell the accepted types apart (WebP's `RIFF....WEBP`).
pub const SNIFF_BYTES: usize = 12;

/// Longest an upload may send nothing before it is dropped (408). A total-time limit would
/// cut off slow but steady uploads on a rural 2G link; this cuts off only stalled ones.
pub const UPLOAD_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Bytes gathered before each write of an upload to its temporary file.
pub const WRITE_CHUNK_BYTES: usize = 256 * 1024;

/// A temporary upload file untouched for this long belongs to an upload that is gone (a live
/// one writes at least every [`UPLOAD_IDLE_TIMEOUT`]).
pub const TEMP_STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Where the bytes live. Every method blocks: call them on the blocking pool.
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Starts an upload: a private temporary place for the bytes.
    fn begin(&self) -> io::Result<Box<dyn BlobWriter>>;
    /// Whether the content with this hash is stored.
    fn exists(&self, sha256: &str) -> io::Result<bool>;
    /// The whole content, if stored (blobs are at most a few tens of MB, see the limits).
    fn read(&self, sha256: &str) -> io::Result<Option<Vec<u8>>>;
    /// The content as a reader, if stored: an export copies many files through a small
    /// buffer instead of holding each whole.
    fn open(&self, sha256: &str) -> io::Result<Option<Box<dyn io::Read + Send>>>;
    /// Removes the content; whether there was any.
    fn remove(&self, sha256: &str) -> io::Result<bool>;
    /// Everything stored, with the time each was last written.
    fn list(&self) -> io::Result<Vec<StoredBlob>>;
    /// Removes temporary upload files not written to for `older_than`; how many.
    fn remove_stale_temps(&self, older_than: Duration) -> io::Result<usize>;
}

/// An upload in progress. Dropped without [`BlobWriter::commit`], it leaves nothing behind.
pub trait BlobWriter: Send + std::fmt::Debug {
    /// Appends bytes.
    fn write(&mut self, chunk: &[u8]) -> io::Result<()>;
    /// Makes the bytes durable and visible under `sha256` (verified by the caller), at once.
    fn commit(self: Box<Self>, sha256: &str) -> io::Result<()>;
}

/// One stored content as listed by [`BlobStore::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// Its hash.
    pub sha256: String,
    /// When it was written.
    pub modified: SystemTime,
}

/// The accepted file types, recognised by their first bytes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `FF D8 FF`.
    Jpeg,
    /// `89 50 4E 47 0D 0A 1A 0A`.
    Png,
    /// `RIFF` size `WEBP`.
    Webp,
    /// `%PDF-`.
    Pdf,
}

impl FileKind {
    /// The type of content starting with `head`, if accepted; `None` also when `head` is
    /// too short to tell.
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if head.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }

    /// The media type sent back with the content.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
        }
    }

    /// Whether it is a photo (the photo limit applies) rather than a document.
    pub fn is_photo(self) -> bool {
        !matches!(self, Self::Pdf)
    }

    /// The size limit of this type under the configuration.
    pub fn limit(self, config: &crate::Config) -> u64 {
        if self.is_photo() {
            config.max_photo_bytes
        } else {
            config.max_pdf_bytes
        }
    }
}

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Unreferenced blobs past the grace period (row and content).
    pub removed: usize,
    /// Content without a row (a crash between the rename and the row's commit), past grace.
    pub orphans: usize,
    /// Temporary files of abandoned uploads.
    pub temps: usize,
}

/// Removes blobs nobody references whose last upload is older than the grace period
/// (`--blob-grace-secs`, counted back from `now_ms`), content the database does not know
/// of that is as old, and temporary files of abandoned uploads.
pub async fn sweep(state: &AppState, now_ms: i64) -> anyhow::Result<SweepReport> {
    let grace_ms =
        i64::try_from(state.config.blob_grace_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let cutoff = now_ms.saturating_sub(grace_ms);
    let gone = state.store.delete_unreferenced_blobs(cutoff).await?;
    let store = state.blobs.clone();
    let (removed, candidates, temps) = tokio::task::spawn_blocking(move || {
        let mut removed = 0;
        for sha in &gone {
            if store.remove(sha)? {
                removed += 1;
            }
        }
        let old: Vec<String> = store
            .list()?
            .into_iter()
            .filter(|blob| millis(blob.modified) < cutoff)
            .map(|blob| blob.sha256)
            .collect();
        let temps = store.remove_stale_temps(TEMP_STALE_AFTER)?;
        io::Result::Ok((removed, old, temps))
    })
    .await??;
    let orphaned = state.store.unknown_blobs(candidates).await?;
    let store = state.blobs.clone();
    let orphans = tokio::task::spawn_blocking(move || {
        let mut orphans = 0;
        for sha in &orphaned {
            if store.remove(sha)? {
                orphans += 1;
            }
        }
        io::Result::Ok(orphans)
    })
    .await??;
    Ok(SweepReport {
        removed,
        orphans,
        temps,
    })
}

/// Removes every temporary upload file (nothing is uploading before the server listens),
/// then sweeps every `--blob-sweep-interval-secs` in the background. Call once, before
/// serving, inside the runtime.
pub fn start_sweeper(state: &AppState) -> anyhow::Result<()> {
    let temps = state.blobs.remove_stale_temps(Duration::ZERO)?;
    if temps > 0 {
        tracing::info!(temps, "removed the temporary files of interrupted uploads");
    }
    let state = state.clone();
    let every = Duration::from_secs(state.config.blob_sweep_interval_secs.max(1));
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match sweep(&state, crate::util::now_ms()).await {
                Ok(report) if report != SweepReport::default() => {
                    tracing::info!(?report, "blob sweep");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %format!("{err:#}"), "blob sweep failed"),
            }
        }
    });
    Ok(())
}

/// Milliseconds since the epoch.
fn millis(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_their_first_bytes() {
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(FileKind::Png)
        );
        assert_eq!(
            FileKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(FileKind::Webp)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(FileKind::sniff(b"<html>"), None);
        assert_eq!(FileKind::sniff(b"GIF89a"), None);
    }
}
