//! The evidence-file store: `PUT/HEAD/GET /api/v1/blobs/{sha256}`, content-addressed,
//! checked by hash, size and first bytes, readable by the uploader and by whoever may read a
//! record naming it, swept when nobody does.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use konvergen_backend::{AppState, Config};
use konvergen_tests::TestServer;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const CHECKLIST: &str = "/api/v1/actions/checklists/63.03/2026";

pub(crate) fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JPEG-looking body of `len` bytes, different for each `seed`.
pub(crate) fn jpeg(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, seed];
    bytes.extend((0..len.saturating_sub(5)).map(|i| (i % 251) as u8 ^ seed));
    bytes
}

pub(crate) fn pdf(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.push(seed);
    bytes.extend((0..len.saturating_sub(10)).map(|i| (i % 241) as u8 ^ seed));
    bytes
}

fn blob_path(hash: &str) -> String {
    format!("/api/v1/blobs/{hash}")
}

pub(crate) async fn put(
    server: &TestServer,
    token: &str,
    hash: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    server
        .client
        .put(server.url(&blob_path(hash)))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("put blob")
}

async fn head_status(server: &TestServer, token: &str, hash: &str) -> u16 {
    server
        .client
        .head(server.url(&blob_path(hash)))
        .bearer_auth(token)
        .send()
        .await
        .expect("head")
        .status()
        .as_u16()
}

pub(crate) async fn get_status(server: &TestServer, token: &str, hash: &str) -> u16 {
    server
        .get(token, &blob_path(hash))
        .send()
        .await
        .expect("get")
        .status()
        .as_u16()
}

pub(crate) fn data_dir(server: &TestServer) -> PathBuf {
    server.database.parent().expect("data dir").to_path_buf()
}

/// Every file of the blob store outside `tmp/`.
fn stored_files(server: &TestServer) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "tmp") {
                    walk(&path, out);
                }
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&data_dir(server).join("blobs"), &mut files);
    files
}

fn temp_files(server: &TestServer) -> usize {
    std::fs::read_dir(data_dir(server).join("blobs").join("tmp"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

/// Saves checklist item a1.1 of Banjar 2026 with these files.
async fn set_files(server: &TestServer, token: &str, files: Value) -> Value {
    let body = json!({"done": true, "files": files, "done_on": "2026-05-02"});
    let response = server
        .client
        .put(server.url(&format!("{CHECKLIST}/items/a1.1")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("put item");
    let status = response.status();
    let view: Value = response.json().await.expect("view");
    assert_eq!(status, 200, "{view}");
    view
}

fn file_meta(name: &str, bytes: &[u8], media_type: &str) -> Value {
    json!({"name": name, "size": bytes.len(), "sha256": sha(bytes), "media_type": media_type,
           "taken_at": "2026-05-02T08:30:00Z"})
}

#[tokio::test]
async fn upload_head_get_and_a_repeated_upload_stores_once() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let photo = jpeg(1, 40_000);
    let hash = sha(&photo);

    let first = put(&server, &banjar, &hash, photo.clone()).await;
    assert_eq!(first.status(), 201);
    let receipt: Value = first.json().await.expect("receipt");
    assert_eq!(receipt["sha256"], hash.as_str());
    assert_eq!(receipt["size"], 40_000);
    assert_eq!(receipt["media_type"], "image/jpeg");
    assert_eq!(receipt["stored"], true);

    let again = put(&server, &banjar, &hash.to_uppercase(), photo.clone()).await;
    assert_eq!(again.status(), 200, "a repeated upload is a success");
    let receipt: Value = again.json().await.expect("receipt");
    assert_eq!(receipt["stored"], false);
    let files = stored_files(&server);
    assert_eq!(files.len(), 1, "stored once: {files:?}");
    assert!(files[0].ends_with(format!("{}/{}/{hash}", &hash[0..2], &hash[2..4])));
    assert_eq!(temp_files(&server), 0);

    let head = server
        .client
        .head(server.url(&blob_path(&hash)))
        .bearer_auth(&banjar)
        .send()
        .await
        .expect("head");
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], "40000");
    assert_eq!(head_status(&server, &banjar, &sha(b"nothing")).await, 404);

    let got = server
        .get(&banjar, &blob_path(&hash))
        .send()
        .await
        .expect("get");
    assert_eq!(got.status(), 200);
    let headers = got.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(
        headers["cache-control"],
        "private, max-age=31536000, immutable"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("text")
            .starts_with("inline")
    );
    assert_eq!(got.bytes().await.expect("body").as_ref(), photo.as_slice());
}

#[tokio::test]
async fn a_wrong_or_malformed_hash_is_422_and_stores_nothing() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let photo = jpeg(2, 5_000);

    let wrong = put(&server, &banjar, &sha(b"something else"), photo.clone()).await;
    assert_eq!(wrong.status(), 422);
    let body: Value = wrong.json().await.expect("error");
    assert_eq!(body["error"], "validation");
    assert_eq!(body["fields"][0]["field"], "sha256");
    assert_eq!(body["fields"][0]["code"], "mismatch");

    let malformed = put(&server, &banjar, "not-a-hash", photo).await;
    assert_eq!(malformed.status(), 422);
    let body: Value = malformed.json().await.expect("error");
    assert_eq!(body["fields"][0]["field"], "sha256");

    assert!(stored_files(&server).is_empty());
    assert_eq!(temp_files(&server), 0, "the temporary file is removed");
}

#[tokio::test]
async fn a_file_over_its_type_limit_is_413() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.max_photo_bytes = 1024;
        config.max_pdf_bytes = 8 * 1024;
    })
    .await
    .expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;

    // Over the photo limit, under the PDF one: found once the first bytes tell the type.
    let photo = jpeg(3, 2048);
    let response = put(&server, &banjar, &sha(&photo), photo).await;
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.expect("error");
    assert_eq!(body["error"], "payload_too_large");
    assert!(body["message"].as_str().expect("message").contains("1 KB"));

    // Over every limit: refused from Content-Length alone.
    let big = pdf(3, 16 * 1024);
    let response = put(&server, &banjar, &sha(&big), big).await;
    assert_eq!(response.status(), 413);

    // A PDF of the same size as the refused photo is fine.
    let document = pdf(4, 2048);
    let response = put(&server, &banjar, &sha(&document), document).await;
    assert_eq!(response.status(), 201);
    assert_eq!(stored_files(&server).len(), 1);
    assert_eq!(temp_files(&server), 0);
}

#[tokio::test]
async fn a_wrong_type_disguised_by_name_and_content_type_is_415() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    for fake in [
        b"<html><script>alert(1)</script></html>".to_vec(),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
        b"RIFF\x10\x00\x00\x00WAVEfmt ".to_vec(),
        b"MZ".to_vec(),
    ] {
        let hash = sha(&fake);
        let response = server
            .client
            .put(server.url(&blob_path(&hash)))
            .bearer_auth(&banjar)
            .header("content-type", "image/jpeg")
            .header("content-disposition", "attachment; filename=\"foto.jpg\"")
            .body(fake)
            .send()
            .await
            .expect("put");
        assert_eq!(response.status(), 415);
        let body: Value = response.json().await.expect("error");
        assert_eq!(body["error"], "unsupported_media_type");
    }
    assert!(stored_files(&server).is_empty());
}

#[tokio::test]
async fn reads_are_scoped_to_the_uploader_and_the_readers_of_a_referencing_record() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let tapin = server.login("supervisor.tapin", "supervisor123").await;
    let cadre = server.login("kader.sipai", "kader123").await;
    let province = server.login("provinsi.kalsel", "provinsi123").await;
    let document = pdf(5, 30_000);
    let hash = sha(&document);
    assert_eq!(
        put(&server, &banjar, &hash, document.clone())
            .await
            .status(),
        201
    );

    // Nobody but the uploader until a record names it.
    for token in [&tapin, &cadre, &province] {
        assert_eq!(get_status(&server, token, &hash).await, 404);
        assert_eq!(head_status(&server, token, &hash).await, 404);
    }
    assert_eq!(get_status(&server, &banjar, &hash).await, 200);

    // Banjar's checklist names it: the province reads it, Tapin and the cadre still do not.
    set_files(
        &server,
        &banjar,
        json!([file_meta("perbup.pdf", &document, "application/pdf")]),
    )
    .await;
    let got = server
        .get(&province, &blob_path(&hash))
        .send()
        .await
        .expect("get");
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert_eq!(
        got.bytes().await.expect("body").as_ref(),
        document.as_slice()
    );
    assert_eq!(head_status(&server, &province, &hash).await, 200);
    assert_eq!(get_status(&server, &tapin, &hash).await, 404);
    assert_eq!(get_status(&server, &cadre, &hash).await, 404);

    // The item stops naming it: back to the uploader only.
    set_files(&server, &banjar, json!([])).await;
    assert_eq!(get_status(&server, &province, &hash).await, 404);
    assert_eq!(head_status(&server, &province, &hash).await, 404);
    assert_eq!(get_status(&server, &banjar, &hash).await, 200);
}

#[tokio::test]
async fn a_record_may_name_a_file_before_it_arrives_and_shows_it_pending() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let photo = jpeg(6, 10_000);
    let hash = sha(&photo);

    let view = set_files(
        &server,
        &banjar,
        json!([file_meta("rembuk.jpg", &photo, "image/jpeg")]),
    )
    .await;
    let file = &view["checklist"]["items"]["a1.1"]["files"][0];
    assert_eq!(file["pending"], true, "{file}");
    assert_eq!(file["taken_at"], "2026-05-02T08:30:00Z");

    assert_eq!(put(&server, &banjar, &hash, photo).await.status(), 201);
    let view: Value = server
        .get(&banjar, CHECKLIST)
        .send()
        .await
        .expect("checklist")
        .json()
        .await
        .expect("json");
    let file = &view["checklist"]["items"]["a1.1"]["files"][0];
    assert_eq!(file["sha256"], hash.as_str());
    assert!(file.get("pending").is_none(), "delivered: {file}");
}

#[tokio::test]
async fn the_sweeper_removes_only_unreferenced_blobs_past_the_grace_period() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let old_unreferenced = jpeg(7, 3_000);
    let old_referenced = pdf(8, 3_000);
    let fresh_unreferenced = jpeg(9, 3_000);
    for bytes in [&old_unreferenced, &old_referenced, &fresh_unreferenced] {
        assert_eq!(
            put(&server, &banjar, &sha(bytes), bytes.clone())
                .await
                .status(),
            201
        );
    }
    set_files(
        &server,
        &banjar,
        json!([file_meta("notulen.pdf", &old_referenced, "application/pdf")]),
    )
    .await;
    // Two of them were last uploaded eight days ago (the grace period is seven).
    let eight_days_ms = 8 * 24 * 60 * 60 * 1000_i64;
    let db = rusqlite::Connection::open(&server.database).expect("open db");
    for bytes in [&old_unreferenced, &old_referenced] {
        db.execute(
            "UPDATE blob SET last_put_at = last_put_at - ?2 WHERE sha256 = ?1",
            rusqlite::params![sha(bytes), eight_days_ms],
        )
        .expect("backdate");
    }
    // A crashed upload's temporary file, an hour old, and content without a row.
    let blobs = data_dir(&server).join("blobs");
    let stale = std::fs::File::create(blobs.join("tmp").join("crashed.part")).expect("temp");
    stale
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("mtime");
    let orphan_hash = sha(b"orphan");
    let orphan_dir = blobs.join(&orphan_hash[0..2]).join(&orphan_hash[2..4]);
    std::fs::create_dir_all(&orphan_dir).expect("dir");
    let orphan = std::fs::File::create(orphan_dir.join(&orphan_hash)).expect("orphan");
    orphan
        .set_modified(SystemTime::now() - Duration::from_secs(8 * 24 * 3600))
        .expect("mtime");

    let state = AppState::open(Config::for_tests(data_dir(&server))).expect("state");
    let report = konvergen_backend::blobs::sweep(&state, konvergen_backend::util::now_ms())
        .await
        .expect("sweep");
    assert_eq!(report.removed, 1, "{report:?}");
    assert_eq!(report.orphans, 1, "{report:?}");
    assert_eq!(report.temps, 1, "{report:?}");

    assert_eq!(
        head_status(&server, &banjar, &sha(&old_unreferenced)).await,
        404
    );
    assert_eq!(
        head_status(&server, &banjar, &sha(&old_referenced)).await,
        200
    );
    assert_eq!(
        head_status(&server, &banjar, &sha(&fresh_unreferenced)).await,
        200
    );
    assert_eq!(stored_files(&server).len(), 2);
    assert_eq!(temp_files(&server), 0);

    // A swept file named again by a record shows pending, and can be uploaded again.
    assert_eq!(
        put(
            &server,
            &banjar,
            &sha(&old_unreferenced),
            old_unreferenced.clone()
        )
        .await
        .status(),
        201
    );
}

#[tokio::test]
async fn fifty_concurrent_uploads_of_one_file_all_succeed_and_store_it_once() {
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let photo = jpeg(10, 300_000);
    let hash = sha(&photo);
    let mut uploads = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (client, url, token, body) = (
            server.client.clone(),
            server.url(&blob_path(&hash)),
            banjar.clone(),
            photo.clone(),
        );
        uploads.spawn(async move {
            client
                .put(url)
                .bearer_auth(token)
                .body(body)
                .send()
                .await
                .expect("put")
                .status()
                .as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = uploads.join_next().await {
        statuses.push(status.expect("task"));
    }
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 201),
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(stored_files(&server).len(), 1);
    assert_eq!(temp_files(&server), 0);
    let got = server
        .get(&banjar, &blob_path(&hash))
        .send()
        .await
        .expect("get");
    assert_eq!(got.bytes().await.expect("body").as_ref(), photo.as_slice());
}

#[tokio::test]
async fn an_upload_without_content_length_is_411() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start_demo().await.expect("server");
    let banjar = server.login("supervisor.banjar", "supervisor123").await;
    let photo = jpeg(11, 100);
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let mut request = format!(
        "PUT {} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {banjar}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n",
        blob_path(&sha(&photo)),
        photo.len()
    )
    .into_bytes();
    request.extend_from_slice(&photo);
    request.extend_from_slice(b"\r\n0\r\n\r\n");
    stream.write_all(&request).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 411"), "{answer}");
    assert!(answer.contains("length_required"), "{answer}");
    assert!(stored_files(&server).is_empty());
}
