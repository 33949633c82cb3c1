//! Evidence files on the device: what a photo becomes before it is stored, how the upload
//! queue moves a file from "waiting" to "on the server", and which local copies may go when
//! space runs short. The browser does the I/O (`frontend/src/files/`); the rules are here so
//! they are tested natively and written once.
//!
//! A file lives on the phone under its SHA-256, in a queue of its own, apart from the record
//! outbox: records stay small and a batch of records never waits behind a 5 MB photo (the
//! lesson of CHT's attachments inside documents, `docs/sync-lessons.md`). One file goes per
//! request, so a slow link loses at most one file's progress.

use serde::{Deserialize, Serialize};

use crate::actions::evidence::FileMeta;
use crate::sync::engine::backoff_ms;

/// Largest photo the server takes by default (`--max-photo-bytes`).
pub const MAX_PHOTO_BYTES: u64 = 5 * 1024 * 1024;
/// Largest PDF the server takes by default (`--max-pdf-bytes`).
pub const MAX_PDF_BYTES: u64 = 20 * 1024 * 1024;
/// Photos are scaled down so that their longest side is at most this many pixels: enough to
/// read a banner or a signature on a page, about 300 KB as JPEG.
pub const PHOTO_LONGEST_SIDE: u32 = 1600;
/// JPEG quality of a scaled-down photo.
pub const PHOTO_JPEG_QUALITY: f64 = 0.75;
/// A photo already this small (bytes) and within [`PHOTO_LONGEST_SIDE`] is kept as taken.
pub const PHOTO_KEEP_BYTES: u64 = 1024 * 1024;
/// Longest side of the thumbnail kept beside a local photo for lists.
pub const THUMB_LONGEST_SIDE: u32 = 240;
/// Copies of delivered or opened files kept for offline viewing, in bytes; the least
/// recently opened go first beyond it. Files still to be sent are never counted out.
pub const OFFLINE_COPIES_BYTES: u64 = 150 * 1024 * 1024;
/// Below this much free space (bytes) the app warns before storing another file.
pub const LOW_SPACE_BYTES: u64 = 50 * 1024 * 1024;

/// Media types the server accepts, as picked in the browser's file dialog.
pub const ACCEPTED_MEDIA_TYPES: &str = "image/jpeg,image/png,image/webp,application/pdf";

/// What kind of file a picked file is, by its declared media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// JPEG, PNG or WebP: scaled down before it is stored.
    Photo,
    /// PDF: stored as picked.
    Pdf,
}

impl FileKind {
    /// The kind of `media_type`, or `None` for types the server refuses.
    pub fn of(media_type: &str) -> Option<Self> {
        match media_type.trim().to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" | "image/png" | "image/webp" => Some(Self::Photo),
            "application/pdf" => Some(Self::Pdf),
            _ => None,
        }
    }

    /// The server's default size limit for this kind.
    pub fn max_bytes(self) -> u64 {
        match self {
            Self::Photo => MAX_PHOTO_BYTES,
            Self::Pdf => MAX_PDF_BYTES,
        }
    }
}

/// Size of a photo of `width` x `height` after scaling down to [`PHOTO_LONGEST_SIDE`]
/// (`longest` in general), keeping its proportions; never scaled up, never below 1 px.
pub fn scaled_size(width: u32, height: u32, longest: u32) -> (u32, u32) {
    let side = width.max(height);
    if side <= longest || side == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |v: u32| {
        ((u64::from(v) * u64::from(longest) + u64::from(side) / 2) / u64::from(side)).max(1) as u32
    };
    (scale(width), scale(height))
}

/// Whether a photo may be stored as it was taken instead of being re-encoded.
pub fn keep_photo_as_taken(media_type: &str, bytes: u64, width: u32, height: u32) -> bool {
    let compact = matches!(media_type, "image/jpeg" | "image/webp");
    compact && bytes <= PHOTO_KEEP_BYTES && width.max(height) <= PHOTO_LONGEST_SIDE
}

/// Where one local file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// Stored on the phone, to be sent.
    Waiting,
    /// A request with it is under way.
    Sending,
    /// The server confirmed it holds the content; the local copy is only a cache now.
    OnServer,
    /// The server refused it for good (too large, not a photo or PDF): sending again would
    /// not help. The reason is kept for the screen.
    Refused,
}

impl FileState {
    /// Whether the local copy is the only one, so it must never be evicted.
    pub fn only_copy(self) -> bool {
        matches!(self, Self::Waiting | Self::Sending)
    }
}

/// One file on the device: its reference, its state in the upload queue, and what it is
/// attached to until the record naming it has been saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalFile {
    /// The reference that travels in records.
    pub meta: FileMeta,
    /// Upload state.
    pub state: FileState,
    /// Failed attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Not to be tried before this time (ms since the epoch).
    #[serde(default)]
    pub next_try_ms: i64,
    /// The last refusal or failure, in words for the screen.
    #[serde(default)]
    pub error: Option<String>,
    /// When it was stored on the device (ms since the epoch).
    pub added_ms: i64,
    /// When it was last opened on this device (ms since the epoch), for eviction.
    #[serde(default)]
    pub opened_ms: i64,
    /// The records this file was attached to on the device (for evidence:
    /// `checklist/<regency>/<year>/<item>`) that have not been saved with it yet; empty once
    /// saved, and for copies fetched from the server.
    #[serde(default)]
    pub attached_to: Vec<String>,
    /// Whether the content is on this device (false for a reference whose copy was evicted).
    #[serde(default = "yes")]
    pub has_content: bool,
}

fn yes() -> bool {
    true
}

/// The server's answer to an upload, as the queue needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadAnswer {
    /// 200 or 201: the server holds the content.
    Stored,
    /// No answer, a timeout, 429 or 5xx: try again later (after `retry_after_ms` if the
    /// server said so).
    TryLater {
        /// The server's `Retry-After`, in ms.
        retry_after_ms: Option<u64>,
    },
    /// 401: the session is gone; the file waits for the next sign-in without counting it.
    SignedOut,
    /// 413, 415, 422 and other 4xx: this content will never be accepted.
    Refused(String),
}

impl UploadAnswer {
    /// The answer for an HTTP status (0 for no answer at all).
    pub fn from_status(status: u16, message: &str, retry_after_ms: Option<u64>) -> Self {
        match status {
            200..=299 => Self::Stored,
            401 => Self::SignedOut,
            0 | 408 | 429 | 500..=599 => Self::TryLater { retry_after_ms },
            _ => Self::Refused(message.to_owned()),
        }
    }
}

impl LocalFile {
    /// A file just stored on the device, due at once.
    pub fn new(meta: FileMeta, now_ms: i64) -> Self {
        Self {
            meta,
            state: FileState::Waiting,
            attempts: 0,
            next_try_ms: now_ms,
            error: None,
            added_ms: now_ms,
            opened_ms: now_ms,
            attached_to: Vec::new(),
            has_content: true,
        }
    }

    /// A copy of a file fetched from the server, kept for offline viewing.
    pub fn cached(meta: FileMeta, now_ms: i64) -> Self {
        Self {
            state: FileState::OnServer,
            ..Self::new(meta, now_ms)
        }
    }

    /// Whether the queue should send it now.
    pub fn due(&self, now_ms: i64) -> bool {
        self.state == FileState::Waiting && self.has_content && self.next_try_ms <= now_ms
    }

    /// The state after the server's `answer`; `random_unit` in [0, 1) spreads retries.
    pub fn answered(&mut self, answer: UploadAnswer, now_ms: i64, random_unit: f64) {
        match answer {
            UploadAnswer::Stored => {
                self.state = FileState::OnServer;
                self.error = None;
            }
            UploadAnswer::TryLater { retry_after_ms } => {
                let delay = backoff_ms(self.attempts, random_unit).max(retry_after_ms.unwrap_or(0));
                self.state = FileState::Waiting;
                self.attempts = self.attempts.saturating_add(1);
                self.next_try_ms = now_ms.saturating_add(i64::try_from(delay).unwrap_or(i64::MAX));
            }
            UploadAnswer::SignedOut => self.state = FileState::Waiting,
            UploadAnswer::Refused(reason) => {
                self.state = FileState::Refused;
                self.error = Some(reason);
            }
        }
    }

    /// Notes that the record `target` is to be saved with this file (once).
    pub fn attach(&mut self, target: &str) {
        if !self.attached_to.iter().any(|t| t == target) {
            self.attached_to.push(target.to_owned());
        }
    }

    /// Notes that `target` has been saved with this file.
    pub fn saved_in(&mut self, target: &str) {
        self.attached_to.retain(|t| t != target);
    }

    /// After a reload: a send that was under way did not finish as far as anyone knows.
    pub fn after_restart(mut self) -> Self {
        if self.state == FileState::Sending {
            self.state = FileState::Waiting;
        }
        self
    }
}

/// The next file to send: the oldest due one, so files go in the order they were taken.
pub fn next_due(files: &[LocalFile], now_ms: i64) -> Option<&LocalFile> {
    files
        .iter()
        .filter(|f| f.due(now_ms))
        .min_by_key(|f| (f.added_ms, f.meta.sha256.clone()))
}

/// When the queue should look again (ms since the epoch), if anything is waiting.
pub fn next_wake_ms(files: &[LocalFile]) -> Option<i64> {
    files
        .iter()
        .filter(|f| f.state == FileState::Waiting && f.has_content)
        .map(|f| f.next_try_ms)
        .min()
}

/// Local copies to drop so the copies kept for viewing fit in `budget` bytes: delivered and
/// cached files only, least recently opened first. Files not yet on the server are never
/// chosen, whatever the budget.
pub fn copies_to_evict(files: &[LocalFile], budget: u64) -> Vec<String> {
    let mut evictable: Vec<&LocalFile> = files
        .iter()
        .filter(|f| f.has_content && !f.state.only_copy())
        .collect();
    let mut total: u64 = evictable.iter().map(|f| f.meta.size).sum();
    evictable.sort_by_key(|f| (f.opened_ms, f.meta.sha256.clone()));
    let mut chosen = Vec::new();
    for file in evictable {
        if total <= budget {
            break;
        }
        total -= file.meta.size;
        chosen.push(file.meta.sha256.clone());
    }
    chosen
}

/// What the browser's storage estimate says about storing `adding` more bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceVerdict {
    /// Plenty of room.
    Fits,
    /// It fits, but less than [`LOW_SPACE_BYTES`] would be left: warn.
    Low {
        /// Bytes free after storing it.
        left: u64,
    },
    /// It does not fit (keeping a safety margin of one more such file).
    Full,
}

/// The verdict for storing `adding` bytes when `usage` of `quota` bytes are used; an unknown
/// quota (0) counts as plenty, since the write itself will still fail cleanly.
pub fn space_for(usage: u64, quota: u64, adding: u64) -> SpaceVerdict {
    if quota == 0 {
        return SpaceVerdict::Fits;
    }
    let free = quota.saturating_sub(usage);
    if free < adding.saturating_mul(2) {
        return SpaceVerdict::Full;
    }
    let left = free - adding;
    if left < LOW_SPACE_BYTES {
        SpaceVerdict::Low { left }
    } else {
        SpaceVerdict::Fits
    }
}

/// A size for people: `"850 KB"`, `"3.4 MB"` (decimal units, as phones show them).
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", (bytes + 500) / 1_000),
        _ => {
            let tenths = (bytes + 50_000) / 100_000;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(sha: char, size: u64) -> FileMeta {
        FileMeta {
            name: format!("{sha}.jpg"),
            size,
            sha256: sha.to_string().repeat(64),
            media_type: "image/jpeg".into(),
            taken_at: None,
            pending: false,
        }
    }

    #[test]
    fn photos_shrink_to_the_longest_side_and_keep_their_shape() {
        assert_eq!(scaled_size(4000, 3000, 1600), (1600, 1200));
        assert_eq!(scaled_size(3000, 4000, 1600), (1200, 1600));
        assert_eq!(scaled_size(1200, 900, 1600), (1200, 900), "never scaled up");
        assert_eq!(
            scaled_size(16000, 10, 1600),
            (1600, 1),
            "never below a pixel"
        );
        assert_eq!(scaled_size(0, 0, 1600), (1, 1));
    }

    #[test]
    fn small_jpegs_are_kept_as_taken_and_everything_else_is_re_encoded() {
        assert!(keep_photo_as_taken("image/jpeg", 400_000, 1600, 1200));
        assert!(
            !keep_photo_as_taken("image/jpeg", 3_000_000, 1600, 1200),
            "too heavy"
        );
        assert!(
            !keep_photo_as_taken("image/jpeg", 400_000, 4000, 3000),
            "too large"
        );
        assert!(
            !keep_photo_as_taken("image/png", 400_000, 800, 600),
            "PNG photos are huge"
        );
    }

    #[test]
    fn kinds_follow_the_servers_list() {
        assert_eq!(FileKind::of("image/JPEG"), Some(FileKind::Photo));
        assert_eq!(FileKind::of("application/pdf"), Some(FileKind::Pdf));
        assert_eq!(FileKind::of("image/gif"), None);
        assert_eq!(FileKind::of("text/html"), None);
        assert_eq!(FileKind::Pdf.max_bytes(), MAX_PDF_BYTES);
    }

    #[test]
    fn failures_back_off_and_refusals_stop() {
        let mut file = LocalFile::new(meta('a', 10), 1_000);
        assert!(file.due(1_000));
        file.answered(UploadAnswer::from_status(0, "", None), 1_000, 0.0);
        assert_eq!((file.state, file.attempts), (FileState::Waiting, 1));
        assert!(!file.due(1_500) && file.due(3_000), "waits about 2 s");
        file.answered(UploadAnswer::from_status(503, "", Some(60_000)), 3_000, 0.0);
        assert_eq!(file.next_try_ms, 63_000, "Retry-After is respected");
        file.answered(UploadAnswer::from_status(401, "", None), 63_000, 0.0);
        assert_eq!(file.attempts, 2, "a lost session is not a failed attempt");
        file.answered(
            UploadAnswer::from_status(413, "Berkas terlalu besar", None),
            63_000,
            0.0,
        );
        assert_eq!(file.state, FileState::Refused);
        assert!(!file.due(i64::MAX));
        assert_eq!(file.error.as_deref(), Some("Berkas terlalu besar"));
    }

    #[test]
    fn a_confirmed_upload_ends_the_queue_for_that_file() {
        let mut file = LocalFile::new(meta('a', 10), 0);
        file.answered(UploadAnswer::from_status(201, "", None), 5, 0.5);
        assert_eq!(file.state, FileState::OnServer);
        assert!(!file.due(i64::MAX));
        assert_eq!(next_wake_ms(&[file]), None);
    }

    #[test]
    fn an_interrupted_send_is_waiting_again_after_a_reload() {
        let mut file = LocalFile::new(meta('a', 10), 0);
        file.state = FileState::Sending;
        assert_eq!(file.after_restart().state, FileState::Waiting);
    }

    #[test]
    fn a_file_remembers_each_record_still_to_be_saved_with_it_once() {
        let mut file = LocalFile::new(meta('a', 10), 0);
        file.attach("checklist/63.03/2026/a1-analisis");
        file.attach("checklist/63.03/2026/a1-analisis");
        file.attach("checklist/63.03/2026/a2-rencana");
        assert_eq!(file.attached_to.len(), 2);
        file.saved_in("checklist/63.03/2026/a1-analisis");
        assert_eq!(file.attached_to, ["checklist/63.03/2026/a2-rencana"]);
    }

    #[test]
    fn files_go_in_the_order_they_were_taken() {
        let first = LocalFile::new(meta('b', 10), 1);
        let second = LocalFile::new(meta('a', 10), 2);
        let files = [second, first];
        assert_eq!(next_due(&files, 10).map(|f| f.added_ms), Some(1));
    }

    #[test]
    fn only_copies_on_the_server_are_evicted_oldest_opened_first() {
        let mut old = LocalFile::cached(meta('a', 60), 0);
        old.opened_ms = 1;
        let mut recent = LocalFile::cached(meta('b', 60), 0);
        recent.opened_ms = 9;
        let waiting = LocalFile::new(meta('c', 500), 0);
        let files = [recent, waiting, old];
        assert_eq!(copies_to_evict(&files, 100), vec!["a".repeat(64)]);
        assert_eq!(
            copies_to_evict(&files, 0).len(),
            2,
            "the waiting file is never chosen"
        );
        assert!(copies_to_evict(&files, 1_000).is_empty());
    }

    #[test]
    fn space_runs_low_before_it_runs_out() {
        const MB: u64 = 1_000_000;
        assert_eq!(space_for(0, 0, 5 * MB), SpaceVerdict::Fits, "unknown quota");
        assert_eq!(space_for(100 * MB, 1_000 * MB, 5 * MB), SpaceVerdict::Fits);
        assert_eq!(
            space_for(950 * MB, 1_000 * MB, 5 * MB),
            SpaceVerdict::Low { left: 45 * MB }
        );
        assert_eq!(space_for(992 * MB, 1_000 * MB, 5 * MB), SpaceVerdict::Full);
    }

    #[test]
    fn sizes_read_like_a_phone_shows_them() {
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(312_400), "312 KB");
        assert_eq!(human_size(3_450_000), "3.5 MB");
    }
}
