//! A response body written by a blocking thread: the thread writes into a [`ChunkWriter`],
//! which hands the bytes to the body in chunks through a small channel. A slow client
//! slows the writer down instead of the bytes piling up in memory: at most
//! [`QUEUED_CHUNKS`] chunks of [`CHUNK_BYTES`] wait at any time.

use std::io::{self, Write};

use axum::body::{Body, Bytes};
use tokio::sync::mpsc;

/// Bytes gathered before a chunk is handed to the body.
pub const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks that may wait for the client.
pub const QUEUED_CHUNKS: usize = 4;

type Chunk = io::Result<Bytes>;

/// The writing end of a streamed body.
#[derive(Debug)]
pub struct ChunkWriter {
    sender: mpsc::Sender<Chunk>,
    buffer: Vec<u8>,
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
        self.sender
            .blocking_send(Ok(Bytes::from(chunk)))
            // The receiver is gone: the client hung up, so stop writing.
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "download cancelled"))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            Ok(())
        } else {
            self.send()
        }
    }
}

/// A body whose bytes `write` produces on the blocking pool. When `write` fails midway the
/// body ends with an error, so the client's download breaks off instead of ending in what
/// looks like a whole file.
pub fn streamed(write: impl FnOnce(&mut ChunkWriter) -> io::Result<()> + Send + 'static) -> Body {
    let (sender, receiver) = mpsc::channel::<Chunk>(QUEUED_CHUNKS);
    let failed = sender.clone();
    tokio::task::spawn_blocking(move || {
        let mut writer = ChunkWriter {
            sender,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        };
        let outcome = write(&mut writer).and_then(|()| writer.flush());
        if let Err(err) = outcome {
            if err.kind() != io::ErrorKind::BrokenPipe {
                tracing::warn!(error = %err, "streamed download failed");
            }
            let _ = failed.blocking_send(Err(err));
        }
    });
    Body::from_stream(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|chunk| (chunk, receiver)) },
    ))
}
