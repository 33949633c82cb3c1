//! Evidence files on the device, in both modules: a picked file or photo is prepared in a
//! worker (scaled down, hashed), stored in the account's files database, and sent by a queue
//! of its own, one file per request; records carry only its reference
//! ([`FileMeta`]). The rules (sizes, states, backoff, eviction, space) are in
//! [`konvergen_shared::files`].

mod prepare;
mod queue;
mod store;
mod transfer;
pub mod view;

use konvergen_shared::actions::evidence::{FileMeta, MAX_FILE_NAME_CHARS};
use konvergen_shared::files::{self as rules, FileKind, LocalFile, SpaceVerdict};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::Blob;

pub use store::database_name;
use store::{FileDb, NewFile};

use crate::i18n::{DeskKey, Lang, desk_msg, t};

/// Why a file could not be stored or opened.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    /// Not a photo or PDF.
    #[error("not accepted")]
    NotAccepted,
    /// Larger than the server takes.
    #[error("too large")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit for its kind.
        limit: u64,
    },
    /// The device's storage would run out.
    #[error("storage full")]
    StorageFull,
    /// The browser could not read or decode it.
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// Not on this device and the server cannot be reached.
    #[error("not on this device")]
    NotHere,
    /// The server refused; its message.
    #[error("{0}")]
    Server(String),
}

impl FileError {
    fn from_js(err: &JsValue) -> Self {
        Self::Unreadable(err.as_string().unwrap_or_else(|| format!("{err:?}")))
    }

    fn unreadable() -> Self {
        Self::Unreadable(String::new())
    }

    /// The error in words for the screen.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::NotAccepted => t(lang, DeskKey::FileNotAccepted).to_owned(),
            Self::TooLarge { size, limit } => desk_msg::file_too_large(
                lang,
                &rules::human_size(*size),
                &rules::human_size(*limit),
            ),
            Self::StorageFull => t(lang, DeskKey::FileStorageFull).to_owned(),
            Self::Unreadable(_) => t(lang, DeskKey::FileUnreadable).to_owned(),
            Self::NotHere => t(lang, DeskKey::FileNotHere).to_owned(),
            Self::Server(message) => message.clone(),
        }
    }
}

impl From<rexie::Error> for FileError {
    fn from(err: rexie::Error) -> Self {
        let text = err.to_string();
        // The browser's estimate can be generous; the write itself is the final word.
        if text.contains("Quota") {
            return Self::StorageFull;
        }
        Self::Unreadable(text)
    }
}

impl From<serde_json::Error> for FileError {
    fn from(err: serde_json::Error) -> Self {
        Self::Unreadable(err.to_string())
    }
}

/// The files of the signed-in account: a handle for the screens, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct Files {
    db: StoredValue<FileDb, LocalStorage>,
    token: StoredValue<String>,
    worker_script: &'static str,
    /// Every file on the device, re-read after each change.
    pub entries: RwSignal<Vec<LocalFile>>,
    /// Bytes left when the last stored file left less than [`rules::LOW_SPACE_BYTES`].
    pub low_space: RwSignal<Option<u64>>,
}

impl Files {
    /// Opens the files of `username` and starts the upload queue; the caller provides the
    /// handle to the screens (`<Provider value=files>`). `worker_script` is the address of `files-worker.js` for this module.
    pub async fn start(
        username: &str,
        token: &str,
        worker_script: &'static str,
    ) -> Result<Self, FileError> {
        let db = FileDb::open(username).await?;
        let files = Self {
            db: StoredValue::new_local(db),
            token: StoredValue::new(token.to_owned()),
            worker_script,
            entries: RwSignal::new(Vec::new()),
            low_space: RwSignal::new(None),
        };
        files.recover_interrupted_sends().await?;
        warm_worker_cache(worker_script);
        if !token.is_empty() {
            queue::start(files);
        }
        Ok(files)
    }

    /// The files of this page, if the module opened them.
    pub fn get() -> Option<Self> {
        use_context::<Self>()
    }

    fn db(&self) -> FileDb {
        self.db.get_value()
    }

    async fn refresh(&self) -> Result<(), FileError> {
        let entries = self.db().entries().await?;
        self.entries.set(entries);
        Ok(())
    }

    async fn recover_interrupted_sends(&self) -> Result<(), FileError> {
        let db = self.db();
        for entry in db.entries().await? {
            let recovered = entry.clone().after_restart();
            if recovered != entry {
                db.update(&recovered).await?;
            }
        }
        self.refresh().await
    }

    /// The local entry of `sha256` (tracked).
    pub fn entry(&self, sha256: &str) -> Option<LocalFile> {
        self.entries
            .with(|entries| entries.iter().find(|e| e.meta.sha256 == sha256).cloned())
    }

    /// Files attached to `target` on this device that the record does not name yet (tracked).
    pub fn attached_to(&self, target: &str) -> Vec<LocalFile> {
        self.entries.with(|entries| {
            entries
                .iter()
                .filter(|e| e.attached_to.iter().any(|t| t == target))
                .cloned()
                .collect()
        })
    }

    /// Prepares `file` (a photo is scaled down), stores it and queues it for sending, noting
    /// that `target` is to be saved with it. The same content picked again is stored once.
    pub async fn attach(&self, file: &web_sys::File, target: &str) -> Result<FileMeta, FileError> {
        let kind = FileKind::of(&file.type_()).ok_or(FileError::NotAccepted)?;
        if kind == FileKind::Pdf {
            check_size(file.size() as u64, kind)?;
        }
        let prepared = prepare::prepare(self.worker_script, file, kind).await?;
        let db = self.db();
        let known = match db.made_from(&prepared.source_sha256).await? {
            Some(sha256) => db.entry(&sha256).await?,
            None => db.entry(&prepared.sha256).await?,
        };
        if let Some(mut entry) = known {
            entry.attach(target);
            db.update(&entry).await?;
            self.refresh().await?;
            return Ok(entry.meta);
        }
        let size = prepared.content.size() as u64;
        check_size(size, kind)?;
        self.check_space(size).await?;
        let meta = FileMeta {
            name: stored_name(&file.name(), &prepared.media_type),
            size,
            sha256: prepared.sha256.clone(),
            media_type: prepared.media_type.clone(),
            taken_at: taken_at(file),
            pending: false,
        };
        let mut entry = LocalFile::new(meta, now_ms());
        entry.attach(target);
        db.add(NewFile {
            entry: &entry,
            content: &prepared.content,
            thumb: prepared.thumb.as_ref(),
            source_sha256: &prepared.source_sha256,
        })
        .await?;
        crate::pwa::ask_persistent_storage();
        self.refresh().await?;
        Ok(entry.meta)
    }

    async fn check_space(&self, adding: u64) -> Result<(), FileError> {
        let info = crate::pwa::storage_info().await;
        match rules::space_for(info.usage as u64, info.quota as u64, adding) {
            SpaceVerdict::Fits => self.low_space.set(None),
            SpaceVerdict::Low { left } => self.low_space.set(Some(left)),
            SpaceVerdict::Full => return Err(FileError::StorageFull),
        }
        Ok(())
    }

    /// Notes that the record `target` has been saved naming `sha256`.
    pub async fn saved_in(&self, sha256: &str, target: &str) -> Result<(), FileError> {
        let db = self.db();
        if let Some(mut entry) = db.entry(sha256).await? {
            entry.saved_in(target);
            db.update(&entry).await?;
        }
        self.refresh().await
    }

    /// The content of a file: the copy on this device, or else fetched from the server and
    /// kept, so it opens again offline.
    pub async fn content(&self, meta: &FileMeta) -> Result<Blob, FileError> {
        let db = self.db();
        let entry = db.entry(&meta.sha256).await?;
        if let Some(mut entry) = entry.filter(|e| e.has_content)
            && let Some(content) = db.content(&meta.sha256).await?
        {
            entry.opened_ms = now_ms();
            db.update(&entry).await?;
            return Ok(content);
        }
        let content = transfer::download(&self.token.get_value(), &meta.sha256).await?;
        let kept = LocalFile::cached(
            FileMeta {
                pending: false,
                ..meta.clone()
            },
            now_ms(),
        );
        db.keep_copy(&kept, &content).await?;
        self.evict_copies().await?;
        self.refresh().await?;
        Ok(content)
    }

    /// The thumbnail made when the photo was taken on this device, if it was.
    pub async fn thumbnail(&self, sha256: &str) -> Option<Blob> {
        self.db().thumb(sha256).await.ok().flatten()
    }

    /// Drops the least recently opened copies beyond [`rules::OFFLINE_COPIES_BYTES`].
    async fn evict_copies(&self) -> Result<(), FileError> {
        let db = self.db();
        let entries = db.entries().await?;
        for sha256 in rules::copies_to_evict(&entries, rules::OFFLINE_COPIES_BYTES) {
            if let Some(entry) = entries.iter().find(|e| e.meta.sha256 == sha256) {
                db.drop_content(entry).await?;
            }
        }
        Ok(())
    }
}

/// Fetches the worker script once, so the service worker has it for a first file taken
/// offline.
fn warm_worker_cache(script: &'static str) {
    leptos::task::spawn_local(async move {
        let _ = gloo_net::http::Request::get(script).send().await;
    });
}

fn check_size(size: u64, kind: FileKind) -> Result<(), FileError> {
    let limit = kind.max_bytes();
    if size > limit {
        return Err(FileError::TooLarge { size, limit });
    }
    Ok(())
}

/// The picked name without folders, at most [`MAX_FILE_NAME_CHARS`], with `.jpg` when the
/// photo was re-encoded as JPEG.
fn stored_name(picked: &str, media_type: &str) -> String {
    let base = picked.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let base = if base.is_empty() { "berkas" } else { base };
    let name = match (media_type, base.rsplit_once('.')) {
        ("image/jpeg", Some((stem, ext)))
            if !matches!(ext.to_ascii_lowercase().as_str(), "jpg" | "jpeg") =>
        {
            format!("{stem}.jpg")
        }
        _ => base.to_owned(),
    };
    name.chars().take(MAX_FILE_NAME_CHARS).collect()
}

/// The file's own time: for a photo from the camera, when it was taken.
fn taken_at(file: &web_sys::File) -> Option<time::OffsetDateTime> {
    let ms = file.last_modified();
    (ms > 0.0)
        .then(|| time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).ok())
        .flatten()
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[cfg(test)]
mod tests {
    use super::stored_name;

    #[test]
    fn names_lose_their_folders_and_re_encoded_photos_become_jpg() {
        assert_eq!(
            stored_name("C:\\Foto\\rembuk.png", "image/jpeg"),
            "rembuk.jpg"
        );
        assert_eq!(
            stored_name("/sdcard/DCIM/IMG_1.JPG", "image/jpeg"),
            "IMG_1.JPG"
        );
        assert_eq!(stored_name("perbup.pdf", "application/pdf"), "perbup.pdf");
        assert_eq!(stored_name("  ", "application/pdf"), "berkas");
        assert_eq!(
            stored_name(&"a".repeat(300), "application/pdf")
                .chars()
                .count(),
            255
        );
    }
}
