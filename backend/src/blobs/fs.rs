//! The blob store on the local file system, under the data folder:
//!
//! ```text
//! blobs/tmp/<uuid>.part        uploads in progress (one file each, never shared)
//! blobs/ab/cd/abcd…(64 hex)    stored content, named by its SHA-256
//! ```
//!
//! An upload is written to its own temporary file, fsynced, then renamed into place and the
//! folder fsynced: a reader sees the whole content or nothing, concurrent uploads of the same
//! content each rename identical bytes, and a crash leaves at most a temporary file, which
//! the start-up and the sweeper remove.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{BlobStore, BlobWriter, StoredBlob};

/// Extension of temporary upload files.
const PART_EXTENSION: &str = "part";

/// Content-addressed files under one folder.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    /// Opens (creating if needed) the store at `root`.
    pub fn open(root: PathBuf) -> io::Result<Self> {
        fs::create_dir_all(root.join("tmp"))?;
        Ok(Self { root })
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// `blobs/ab/cd/abcd…`; `None` for anything but 64 lower-case hex digits, so no name
    /// from a request can point outside the store.
    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| {
            self.root
                .join(&sha256[0..2])
                .join(&sha256[2..4])
                .join(sha256)
        })
    }
}

impl BlobStore for FsBlobStore {
    fn begin(&self) -> io::Result<Box<dyn BlobWriter>> {
        let path = self
            .tmp_dir()
            .join(format!("{}.{PART_EXTENSION}", uuid::Uuid::now_v7()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Box::new(FsWriter {
            root: self.clone(),
            path,
            file: Some(file),
        }))
    }

    fn exists(&self, sha256: &str) -> io::Result<bool> {
        match self.path_of(sha256) {
            Some(path) => path.try_exists(),
            None => Ok(false),
        }
    }

    fn read(&self, sha256: &str) -> io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(None);
        };
        match fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    fn open(&self, sha256: &str) -> io::Result<Option<Box<dyn io::Read + Send>>> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(None);
        };
        match File::open(path) {
            Ok(file) => Ok(Some(Box::new(file))),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    fn remove(&self, sha256: &str) -> io::Result<bool> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(false);
        };
        match fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err),
        }
    }

    fn list(&self) -> io::Result<Vec<StoredBlob>> {
        let mut found = Vec::new();
        for first in read_dirs(&self.root)? {
            if first.file_name().is_some_and(|name| name == "tmp") {
                continue;
            }
            for second in read_dirs(&first)? {
                for entry in fs::read_dir(&second)? {
                    let entry = entry?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if self.path_of(&name).is_none() || !entry.file_type()?.is_file() {
                        continue;
                    }
                    found.push(StoredBlob {
                        sha256: name,
                        modified: entry.metadata()?.modified()?,
                    });
                }
            }
        }
        Ok(found)
    }

    fn remove_stale_temps(&self, older_than: Duration) -> io::Result<usize> {
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in fs::read_dir(self.tmp_dir())? {
            let entry = entry?;
            let modified = entry.metadata()?.modified()?;
            let age = now.duration_since(modified).unwrap_or_default();
            if age >= older_than {
                match fs::remove_file(entry.path()) {
                    Ok(()) => removed += 1,
                    Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                    Err(err) => return Err(err),
                }
            }
        }
        Ok(removed)
    }
}

/// The sub-folders of `dir` (none when it does not exist).
fn read_dirs(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            dirs.push(entry.path());
        }
    }
    Ok(dirs)
}

/// One upload's temporary file; removed on drop unless committed.
#[derive(Debug)]
struct FsWriter {
    root: FsBlobStore,
    path: PathBuf,
    file: Option<File>,
}

impl BlobWriter for FsWriter {
    fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.write_all(chunk),
            None => Err(io::Error::other("upload already finished")),
        }
    }

    fn commit(mut self: Box<Self>, sha256: &str) -> io::Result<()> {
        let target = self
            .root
            .path_of(sha256)
            .ok_or_else(|| io::Error::other("not a SHA-256"))?;
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("upload already finished"))?;
        file.sync_all()?;
        drop(file);
        let folder = target
            .parent()
            .ok_or_else(|| io::Error::other("blob path without folder"))?;
        fs::create_dir_all(folder)?;
        fs::rename(&self.path, &target)?;
        // The rename is durable only once the folder's entry is.
        File::open(folder)?.sync_all()?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for FsWriter {
    fn drop(&mut self) {
        self.file.take();
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.path);
        }
    }
}
