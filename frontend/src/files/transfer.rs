//! The three requests of the file queue and the viewer: does the server hold a hash (HEAD),
//! send one file (PUT, the `Blob` goes to fetch as it is, never through wasm memory), and
//! fetch one file (GET, answered as a `Blob`).

use gloo_net::http::{Request, Response};
use konvergen_shared::api::ErrorBody;
use konvergen_shared::files::UploadAnswer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Blob};

use super::FileError;

/// Slowest link an upload is given time for (bytes per second), on top of [`BASE_TIMEOUT_MS`]:
/// a 5 MB photo may take 11 minutes on a bad 3G cell before it is abandoned and retried.
const SLOWEST_BYTES_PER_SEC: f64 = 8_000.0;
const BASE_TIMEOUT_MS: f64 = 30_000.0;

fn blob_path(sha256: &str) -> String {
    format!("/api/v1/blobs/{sha256}")
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Whether the server says it already holds `sha256` for this account (then nothing needs
/// to be sent); any other answer, or none, means "send it".
pub async fn server_has(token: &str, sha256: &str) -> bool {
    let sent = gloo_net::http::RequestBuilder::new(&blob_path(sha256))
        .method(gloo_net::http::Method::HEAD)
        .header("authorization", &bearer(token))
        .send()
        .await;
    sent.is_ok_and(|response| response.status() == 200)
}

/// Sends one file; the answer says what the queue does next.
pub async fn upload(token: &str, sha256: &str, media_type: &str, content: &Blob) -> UploadAnswer {
    let controller = AbortController::new().ok();
    let timeout_ms = BASE_TIMEOUT_MS + content.size() / SLOWEST_BYTES_PER_SEC * 1000.0;
    let _timer = controller.clone().map(|controller| {
        gloo_timers::callback::Timeout::new(timeout_ms as u32, move || controller.abort())
    });
    let request = Request::put(&blob_path(sha256))
        .header("authorization", &bearer(token))
        .header("content-type", media_type)
        .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref())
        .body(content);
    let Ok(request) = request else {
        return UploadAnswer::from_status(0, "", None);
    };
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            let wait = retry_after(&response);
            let message = error_message(&response).await;
            UploadAnswer::from_status(status, &message, wait)
        }
        Err(_) => UploadAnswer::from_status(0, "", None),
    }
}

/// Fetches the content of `sha256`.
pub async fn download(token: &str, sha256: &str) -> Result<Blob, FileError> {
    let response = Request::get(&blob_path(sha256))
        .header("authorization", &bearer(token))
        .send()
        .await
        .map_err(|_| FileError::NotHere)?;
    if !response.ok() {
        return Err(FileError::Server(error_message(&response).await));
    }
    let raw: web_sys::Response = response.into();
    let promise = raw.blob().map_err(|err| FileError::from_js(&err))?;
    let blob = JsFuture::from(promise)
        .await
        .map_err(|err| FileError::from_js(&err))?;
    blob.dyn_into().map_err(|_| FileError::unreadable())
}

fn retry_after(response: &Response) -> Option<u64> {
    let seconds: u64 = response.headers().get("retry-after")?.trim().parse().ok()?;
    Some(seconds.saturating_mul(1000))
}

/// The server's message in the one error shape, or the status when there is none.
async fn error_message(response: &Response) -> String {
    if response.ok() {
        return String::new();
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => body.message,
        Err(_) => format!("HTTP {}", response.status()),
    }
}
