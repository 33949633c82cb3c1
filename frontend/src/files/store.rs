//! The files database of one account (`konvergen.files.<user>`), apart from its record
//! database so a large photo never sits in the transaction of a form. Four stores, all keyed
//! by SHA-256: the queue entries (`LocalFile` as JSON), the content and the thumbnails as
//! `Blob`s (IndexedDB keeps them as files, not as bytes in memory), and which picked
//! original became which stored file, so the same photo picked twice is stored once.

use std::rc::Rc;

use konvergen_shared::files::LocalFile;
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

use super::FileError;

const SCHEMA_VERSION: u32 = 1;
const ENTRIES: &str = "entries";
const CONTENT: &str = "content";
const THUMBS: &str = "thumbs";
const SOURCES: &str = "sources";

/// Name of the files database of `username` (deleted with the account's data at sign-out).
pub fn database_name(username: &str) -> String {
    format!("konvergen.files.{username}")
}

/// One account's stored files.
#[derive(Debug, Clone)]
pub struct FileDb {
    db: Rc<Rexie>,
}

/// What a prepared file adds to the database, in one transaction.
pub struct NewFile<'a> {
    /// The queue entry.
    pub entry: &'a LocalFile,
    /// The content to upload.
    pub content: &'a Blob,
    /// A small picture for lists (photos only).
    pub thumb: Option<&'a Blob>,
    /// SHA-256 of the file as picked, before scaling.
    pub source_sha256: &'a str,
}

impl FileDb {
    /// Opens (creating if needed) the files database of `username`.
    pub async fn open(username: &str) -> Result<Self, FileError> {
        let db = Rexie::builder(&database_name(username))
            .version(SCHEMA_VERSION)
            .add_object_store(ObjectStore::new(ENTRIES))
            .add_object_store(ObjectStore::new(CONTENT))
            .add_object_store(ObjectStore::new(THUMBS))
            .add_object_store(ObjectStore::new(SOURCES))
            .build()
            .await?;
        Ok(Self { db: Rc::new(db) })
    }

    /// Every entry, as stored.
    pub async fn entries(&self) -> Result<Vec<LocalFile>, FileError> {
        let tx = self.db.transaction(&[ENTRIES], TransactionMode::ReadOnly)?;
        let values = tx.store(ENTRIES)?.get_all(None, None).await?;
        values.into_iter().map(|value| decode(&value)).collect()
    }

    /// The entry of `sha256`, if any.
    pub async fn entry(&self, sha256: &str) -> Result<Option<LocalFile>, FileError> {
        let tx = self.db.transaction(&[ENTRIES], TransactionMode::ReadOnly)?;
        let value = tx.store(ENTRIES)?.get(JsValue::from_str(sha256)).await?;
        value.as_ref().map(decode).transpose()
    }

    /// The stored file made from the original with hash `source_sha256`, if it was picked before.
    pub async fn made_from(&self, source_sha256: &str) -> Result<Option<String>, FileError> {
        let tx = self.db.transaction(&[SOURCES], TransactionMode::ReadOnly)?;
        let value = tx
            .store(SOURCES)?
            .get(JsValue::from_str(source_sha256))
            .await?;
        Ok(value.and_then(|v| v.as_string()))
    }

    /// Stores a new file with its entry, thumbnail and origin, all or nothing.
    pub async fn add(&self, file: NewFile<'_>) -> Result<(), FileError> {
        let key = JsValue::from_str(&file.entry.meta.sha256);
        let tx = self.db.transaction(
            &[ENTRIES, CONTENT, THUMBS, SOURCES],
            TransactionMode::ReadWrite,
        )?;
        tx.store(CONTENT)?.put(file.content, Some(&key)).await?;
        if let Some(thumb) = file.thumb {
            tx.store(THUMBS)?.put(thumb, Some(&key)).await?;
        }
        tx.store(SOURCES)?
            .put(&key, Some(&JsValue::from_str(file.source_sha256)))
            .await?;
        tx.store(ENTRIES)?
            .put(&encode(file.entry)?, Some(&key))
            .await?;
        tx.done().await?;
        Ok(())
    }

    /// Keeps a copy fetched from the server, for opening it again offline.
    pub async fn keep_copy(&self, entry: &LocalFile, content: &Blob) -> Result<(), FileError> {
        let key = JsValue::from_str(&entry.meta.sha256);
        let tx = self
            .db
            .transaction(&[ENTRIES, CONTENT], TransactionMode::ReadWrite)?;
        tx.store(CONTENT)?.put(content, Some(&key)).await?;
        tx.store(ENTRIES)?.put(&encode(entry)?, Some(&key)).await?;
        tx.done().await?;
        Ok(())
    }

    /// Rewrites an entry (its state changed).
    pub async fn update(&self, entry: &LocalFile) -> Result<(), FileError> {
        let key = JsValue::from_str(&entry.meta.sha256);
        let tx = self
            .db
            .transaction(&[ENTRIES], TransactionMode::ReadWrite)?;
        tx.store(ENTRIES)?.put(&encode(entry)?, Some(&key)).await?;
        tx.done().await?;
        Ok(())
    }

    /// The content of `sha256`, if it is on this device.
    pub async fn content(&self, sha256: &str) -> Result<Option<Blob>, FileError> {
        self.blob(CONTENT, sha256).await
    }

    /// The thumbnail of `sha256`, if one was made here.
    pub async fn thumb(&self, sha256: &str) -> Result<Option<Blob>, FileError> {
        self.blob(THUMBS, sha256).await
    }

    async fn blob(&self, store: &str, sha256: &str) -> Result<Option<Blob>, FileError> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly)?;
        let value = tx.store(store)?.get(JsValue::from_str(sha256)).await?;
        Ok(value.and_then(|v| v.dyn_into::<Blob>().ok()))
    }

    /// Drops the local copy of a file the server holds; the entry stays (without content) so
    /// the list still knows the file.
    pub async fn drop_content(&self, entry: &LocalFile) -> Result<(), FileError> {
        let key = JsValue::from_str(&entry.meta.sha256);
        let kept = LocalFile {
            has_content: false,
            ..entry.clone()
        };
        let tx = self
            .db
            .transaction(&[ENTRIES, CONTENT, THUMBS], TransactionMode::ReadWrite)?;
        tx.store(CONTENT)?.delete(key.clone()).await?;
        tx.store(THUMBS)?.delete(key.clone()).await?;
        tx.store(ENTRIES)?.put(&encode(&kept)?, Some(&key)).await?;
        tx.done().await?;
        Ok(())
    }
}

fn encode(entry: &LocalFile) -> Result<JsValue, FileError> {
    Ok(JsValue::from_str(&serde_json::to_string(entry)?))
}

fn decode(value: &JsValue) -> Result<LocalFile, FileError> {
    let text = value.as_string().unwrap_or_default();
    Ok(serde_json::from_str(&text)?)
}
