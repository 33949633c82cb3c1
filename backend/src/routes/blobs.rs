//! Evidence files by content hash: `PUT` streams an upload into the blob store, `HEAD` says
//! whether the caller can have it, `GET` returns it.
//!
//! Reads are scoped: the content is readable by whoever uploaded it and by whoever may read
//! a record naming it (today: the evidence items of a checklist, read by the regency's
//! supervisor and the province); everyone else gets 404, as if it did not exist.

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use http_body_util::BodyExt;
use konvergen_shared::actions::evidence::is_sha256_hex;
use konvergen_shared::api::{BlobReceipt, ErrorBody, Role};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::Caller;
use crate::blobs::{BlobWriter, FileKind, SNIFF_BYTES, UPLOAD_IDLE_TIMEOUT, WRITE_CHUNK_BYTES};
use crate::db::{BlobRow, KIND_CHECKLIST_ITEM, KIND_DISTRICT_RECORD, Recorded};
use crate::error::{ApiError, ApiResult, AppJson, uniform_errors};
use crate::util::now_ms;

/// Content-addressed, so a copy never goes stale; `private`: it is scoped to the caller.
const CACHE_CONTROL: &str = "private, max-age=31536000, immutable";

/// The blob routes, outside the API's request timeout (an upload on a slow link takes
/// longer; [`UPLOAD_IDLE_TIMEOUT`] drops stalled ones) and body limit (each type has its
/// own, enforced while streaming).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/api/v1/blobs/{sha256}",
            put(upload)
                .head(head)
                .get(download)
                .layer(DefaultBodyLimit::disable()),
        )
        .with_state(state)
        .layer(middleware::from_fn(uniform_errors))
}

/// Stores a file under its SHA-256 after checking hash, size and type.
#[utoipa::path(put, path = "/api/v1/blobs/{sha256}", tag = "blobs", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "SHA-256 of the body, 64 hex digits")),
    request_body(content = Vec<u8>, description = "The file: JPEG, PNG, WebP or PDF; Content-Length required"),
    responses((status = 201, body = BlobReceipt), (status = 200, description = "Already stored", body = BlobReceipt),
        (status = 411, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Hash or size do not match the body", body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    caller.require(&[Role::Cadre, Role::Supervisor, Role::Agency, Role::Province])?;
    let sha256 = parse_hash(&sha256)?;
    let declared = declared_size(&headers)?;
    let largest = state.config.max_photo_bytes.max(state.config.max_pdf_bytes);
    if declared > largest {
        return Err(ApiError::FileTooLarge { limit: largest });
    }
    let store = state.blobs.clone();
    let writer = on_blocking_pool(move || store.begin()).await?;
    let (writer, kind) = receive(&state, writer, body, declared, &sha256).await?;
    let blob = BlobRow {
        sha256: sha256.clone(),
        size: declared,
        media_type: kind.media_type().to_owned(),
    };
    let store = state.blobs.clone();
    let target = sha256.clone();
    on_blocking_pool(move || {
        // The same content already in place: the temporary copy goes (on drop).
        if store.exists(&target)? {
            return Ok(());
        }
        writer.commit(&target)
    })
    .await?;
    let row = blob.clone();
    let user = caller.me.id;
    let recorded = state.store.record_upload(row, user, now_ms()).await?;
    let status = match recorded {
        Recorded::Created => StatusCode::CREATED,
        Recorded::AlreadyThere => StatusCode::OK,
    };
    let receipt = BlobReceipt {
        sha256,
        size: blob.size,
        media_type: blob.media_type,
        stored: recorded == Recorded::Created,
    };
    Ok((status, AppJson(receipt)).into_response())
}

/// Whether the caller can have the file: 200 with its size and type, or 404.
#[utoipa::path(head, path = "/api/v1/blobs/{sha256}", tag = "blobs", security(("bearer" = [])),
    params(("sha256" = String, Path)),
    responses((status = 200, description = "Stored and readable by the caller"), (status = 404, description = "Not stored, or not readable by the caller")))]
pub async fn head(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    let blob = readable(&state, &caller, &sha256).await?;
    let store = state.blobs.clone();
    let sha = blob.sha256.clone();
    let exists = on_blocking_pool(move || store.exists(&sha)).await?;
    if !exists {
        return Err(ApiError::NotFound);
    }
    let mut response = StatusCode::OK.into_response();
    set_headers(response.headers_mut(), &blob);
    Ok(response)
}

/// The file, with its type and long private caching.
#[utoipa::path(get, path = "/api/v1/blobs/{sha256}", tag = "blobs", security(("bearer" = [])),
    params(("sha256" = String, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    let blob = readable(&state, &caller, &sha256).await?;
    let store = state.blobs.clone();
    let sha = blob.sha256.clone();
    let bytes = on_blocking_pool(move || store.read(&sha))
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut response = Body::from(bytes).into_response();
    set_headers(response.headers_mut(), &blob);
    Ok(response)
}

fn set_headers(headers: &mut HeaderMap, blob: &BlobRow) {
    let extension = match blob.media_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "pdf",
    };
    let pairs = [
        (header::CONTENT_TYPE, blob.media_type.clone()),
        (header::CONTENT_LENGTH, blob.size.to_string()),
        (header::CACHE_CONTROL, CACHE_CONTROL.to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{}.{extension}\"", blob.sha256),
        ),
        (header::ETAG, format!("\"{}\"", blob.sha256)),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}

/// The blob's row when the caller may read it; [`ApiError::NotFound`] otherwise, the same
/// answer as for a hash nobody uploaded.
async fn readable(state: &AppState, caller: &Caller, sha256: &str) -> ApiResult<BlobRow> {
    let sha256 = parse_hash(sha256).map_err(|_| ApiError::NotFound)?;
    let user = caller.me.id;
    let role = caller.me.role;
    let access = state
        .store
        .blob_access(sha256, user, kinds_readable_by(role))
        .await?;
    let blob = access.blob.ok_or(ApiError::NotFound)?;
    let by_record = access
        .regions
        .iter()
        .any(|region| caller.scope.contains(region));
    if access.uploader || by_record {
        Ok(blob)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The records whose files a role reads in its scope: a checklist is read by the regency's
/// supervisor and the province (routes/actions.rs `show`); the team's records by the whole
/// team (agencies included) and the province.
fn kinds_readable_by(role: Role) -> &'static [&'static str] {
    match role {
        Role::Supervisor | Role::Province | Role::Assessor => {
            &[KIND_CHECKLIST_ITEM, KIND_DISTRICT_RECORD]
        }
        Role::Agency => &[KIND_DISTRICT_RECORD],
        Role::Cadre | Role::Admin => &[],
    }
}

/// The path's hash in lower case, or 422 on field `sha256`.
fn parse_hash(text: &str) -> ApiResult<String> {
    if is_sha256_hex(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(ApiError::field(
            "sha256",
            "invalid_format",
            "SHA-256 harus 64 digit heksadesimal",
            "SHA-256 must be 64 hex digits",
        ))
    }
}

/// `Content-Length`: required (411), positive (422 on `size`).
fn declared_size(headers: &HeaderMap) -> ApiResult<u64> {
    let value = headers
        .get(header::CONTENT_LENGTH)
        .ok_or(ApiError::LengthRequired)?;
    let size: u64 = value
        .to_str()
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| ApiError::BadRequest("Content-Length is not a number".to_owned()))?;
    if size == 0 {
        return Err(ApiError::field(
            "size",
            "empty",
            "Berkas kosong",
            "The file is empty",
        ));
    }
    Ok(size)
}

/// Streams the body into `writer`, hashing as it goes, and checks type, size and hash.
async fn receive(
    state: &AppState,
    mut writer: Box<dyn BlobWriter>,
    mut body: Body,
    declared: u64,
    sha256: &str,
) -> ApiResult<(Box<dyn BlobWriter>, FileKind)> {
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut kind: Option<FileKind> = None;
    let mut limit = state.config.max_photo_bytes.max(state.config.max_pdf_bytes);
    let mut received: u64 = 0;
    let mut pending: Vec<u8> = Vec::with_capacity(WRITE_CHUNK_BYTES);
    loop {
        let frame = tokio::time::timeout(UPLOAD_IDLE_TIMEOUT, body.frame())
            .await
            .map_err(|_| ApiError::UploadStalled)?;
        let Some(frame) = frame else { break };
        let frame =
            frame.map_err(|err| ApiError::BadRequest(format!("upload interrupted: {err}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        received += data.len() as u64;
        if kind.is_none() && head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - head.len()).min(data.len());
            head.extend_from_slice(&data[..take]);
            if head.len() >= SNIFF_BYTES {
                let found = FileKind::sniff(&head).ok_or(ApiError::UnsupportedFileType)?;
                limit = found.limit(&state.config);
                kind = Some(found);
            }
        }
        if declared > limit || received > limit {
            return Err(ApiError::FileTooLarge { limit });
        }
        if received > declared {
            return Err(size_mismatch());
        }
        hasher.update(&data);
        pending.extend_from_slice(&data);
        if pending.len() >= WRITE_CHUNK_BYTES {
            writer = flush(writer, std::mem::take(&mut pending)).await?;
        }
    }
    // Shorter than the sniff window: a tiny file of a type told by fewer bytes.
    let kind = match kind {
        Some(kind) => kind,
        None => FileKind::sniff(&head).ok_or(ApiError::UnsupportedFileType)?,
    };
    if declared > kind.limit(&state.config) {
        return Err(ApiError::FileTooLarge {
            limit: kind.limit(&state.config),
        });
    }
    if received != declared {
        return Err(size_mismatch());
    }
    let actual = hex(&hasher.finalize());
    if actual != sha256 {
        return Err(ApiError::field(
            "sha256",
            "mismatch",
            &format!("Isi berkas tidak cocok dengan SHA-256 (isinya {actual})"),
            &format!("The content does not match the SHA-256 (it hashes to {actual})"),
        ));
    }
    if !pending.is_empty() {
        writer = flush(writer, pending).await?;
    }
    Ok((writer, kind))
}

fn size_mismatch() -> ApiError {
    ApiError::field(
        "size",
        "mismatch",
        "Ukuran berkas tidak sesuai Content-Length",
        "The body size does not match Content-Length",
    )
}

/// Writes `bytes` on the blocking pool and hands the writer back.
async fn flush(mut writer: Box<dyn BlobWriter>, bytes: Vec<u8>) -> ApiResult<Box<dyn BlobWriter>> {
    on_blocking_pool(move || {
        writer.write(&bytes)?;
        Ok(writer)
    })
    .await
}

/// Runs file work of the blob store on the blocking pool (its methods block).
async fn on_blocking_pool<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> ApiResult<T> {
    let done = tokio::task::spawn_blocking(work)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(done.map_err(anyhow::Error::from)?)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
