//! Crash safety of the blob store: the real server binary is killed with SIGKILL in the
//! middle of a large upload. After a restart no partial blob is visible (HEAD 404, nothing in
//! the store, the temporary file cleaned at start-up) and the retried upload succeeds.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use common::{free_port, start_quiet, wait_healthy};

/// 4 MiB: under the default photo limit, large enough to be caught mid-way.
const UPLOAD_BYTES: usize = 4 * 1024 * 1024;
/// How much is sent before the kill.
const SENT_BEFORE_KILL: usize = 1024 * 1024;

async fn login(client: &reqwest::Client, base: &str) -> String {
    common::login(client, base, "supervisor.banjar", "supervisor123").await
}

fn photo() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..UPLOAD_BYTES - 4).map(|i| (i % 253) as u8));
    bytes
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Files of the store outside `tmp/`, and the files in `tmp/`.
fn store_files(data: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let root = data.join("blobs");
    let mut all = Vec::new();
    walk(&root, &mut all);
    all.into_iter()
        .partition(|path| !path.starts_with(root.join("tmp")))
}

async fn head(client: &reqwest::Client, base: &str, token: &str, hash: &str) -> u16 {
    client
        .head(format!("{base}/api/v1/blobs/{hash}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("head")
        .status()
        .as_u16()
}

#[tokio::test]
async fn sigkill_during_an_upload_leaves_no_partial_blob_and_the_retry_succeeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_path_buf();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start_quiet(&data, port);
    wait_healthy(&client, &base).await;
    let token = login(&client, &base).await;
    let body = photo();
    let hash = hex(&body);

    // Send the headers and the first megabyte slowly, by hand, and keep the rest back.
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let request = format!(
        "PUT /api/v1/blobs/{hash} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: image/jpeg\r\nContent-Length: {UPLOAD_BYTES}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("headers");
    for chunk in body[..SENT_BEFORE_KILL].chunks(64 * 1024) {
        stream.write_all(chunk).await.expect("part of the body");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Wait until the server has written part of it to its temporary file.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, temps) = store_files(&data);
        let written = temps
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .any(|m| m.len() > 0);
        if written {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the upload never reached the disk"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reap");
    drop(stream);
    let (stored, temps) = store_files(&data);
    assert!(stored.is_empty(), "no partial blob in place: {stored:?}");
    assert_eq!(temps.len(), 1, "the crash left its temporary file");

    // Restart: the temporary file is cleaned, nothing is visible, the retry succeeds.
    let mut server = start_quiet(&data, port);
    wait_healthy(&client, &base).await;
    let token = login(&client, &base).await;
    let (stored, temps) = store_files(&data);
    assert!(stored.is_empty(), "{stored:?}");
    assert!(temps.is_empty(), "cleaned at start-up: {temps:?}");
    assert_eq!(head(&client, &base, &token, &hash).await, 404);

    let retry = client
        .put(format!("{base}/api/v1/blobs/{hash}"))
        .bearer_auth(&token)
        .body(body.clone())
        .send()
        .await
        .expect("retry");
    assert_eq!(retry.status(), 201);
    assert_eq!(head(&client, &base, &token, &hash).await, 200);
    let got = client
        .get(format!("{base}/api/v1/blobs/{hash}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .bytes()
        .await
        .expect("body");
    assert_eq!(got.len(), UPLOAD_BYTES);
    assert_eq!(hex(&got), hash);
    let (stored, temps) = store_files(&data);
    assert_eq!(stored.len(), 1);
    assert!(temps.is_empty());
    server.kill().expect("stop");
    server.wait().expect("reap");
}
