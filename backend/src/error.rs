//! The one error type of the HTTP layer and its mapping to the shared [`ErrorBody`].
//!
//! 4xx answers carry a message the user can act on; 5xx answers are opaque to the client and
//! logged on the server, so no internal detail (SQL, paths) leaks out.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use konvergen_shared::api::{ErrorBody, FieldError};

use crate::db::DbError;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request body or query failed validation; each field says why.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request could not be read (malformed JSON, wrong type, unknown field).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// No valid session token.
    #[error("unauthorized")]
    Unauthorized,
    /// Sign-in with a wrong name or password (or a disabled account: the same answer, so
    /// it does not reveal which accounts exist). 401 like [`Self::Unauthorized`], with a
    /// message the sign-in screen shows as it is.
    #[error("wrong name or password")]
    WrongLogin,
    /// Authenticated, but the resource is outside the caller's role or area.
    #[error("forbidden")]
    Forbidden,
    /// The resource does not exist (or is outside the caller's area: both look the same).
    #[error("not found")]
    NotFound,
    /// No endpoint has this path.
    #[error("no such endpoint")]
    NoSuchEndpoint,
    /// The request conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A write based on an outdated version (optimistic concurrency): 409 whose messages
    /// name what is stale; the field error (code `stale`) carries the same texts.
    #[error("stale: {}", .0.message_en)]
    Stale(FieldError),
    /// A step the current state does not allow, with the reason in both languages on the
    /// field it is about (e.g. scoring a district that has not submitted): 409.
    #[error("refused: {}", .0.message_en)]
    Refused(FieldError),
    /// Too many attempts; try again after this many seconds (sent as `Retry-After`).
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until an attempt can be admitted.
        retry_after_secs: u64,
    },
    /// The server is saturated (e.g. password verifications); try again shortly.
    #[error("busy")]
    Busy {
        /// Seconds to wait (sent as `Retry-After`).
        retry_after_secs: u64,
    },
    /// The request body is larger than the configured limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body is not declared as JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// An uploaded file larger than the limit of its type (bytes).
    #[error("file too large (limit {limit} bytes)")]
    FileTooLarge {
        /// The limit that applies, in bytes.
        limit: u64,
    },
    /// An uploaded file whose first bytes are none of the accepted types, whatever its name
    /// or `Content-Type` claims.
    #[error("unsupported file type")]
    UnsupportedFileType,
    /// An upload without `Content-Length`: its size must be known before it is accepted.
    #[error("length required")]
    LengthRequired,
    /// An upload that sent nothing for too long.
    #[error("upload stalled")]
    UploadStalled,
    /// Anything unexpected: logged, answered with an opaque 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A refusal (409) about a single field.
    pub fn refused(field: &str, code: &str, message_id: &str, message_en: &str) -> Self {
        Self::Refused(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_id: message_id.to_owned(),
            message_en: message_en.to_owned(),
        })
    }

    /// A validation error about a single field.
    pub fn field(field: &str, code: &str, message_id: &str, message_en: &str) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_id: message_id.to_owned(),
            message_en: message_en.to_owned(),
        }])
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::WrongLogin => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound | Self::NoSuchEndpoint => StatusCode::NOT_FOUND,
            Self::Conflict(_) | Self::Stale(_) | Self::Refused(_) => StatusCode::CONFLICT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType | Self::UnsupportedFileType => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::LengthRequired => StatusCode::LENGTH_REQUIRED,
            Self::UploadStalled => StatusCode::REQUEST_TIMEOUT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let (message, message_en) = match self {
            Self::Validation(_) => ("Data tidak valid", "Invalid data".to_owned()),
            Self::BadRequest(detail) => ("Permintaan tidak dapat dibaca", detail.clone()),
            Self::Unauthorized => (
                "Sesi tidak valid, silakan masuk lagi",
                "Not signed in or session expired".to_owned(),
            ),
            Self::WrongLogin => (
                "Nama pengguna atau kata sandi salah",
                "Wrong username or password".to_owned(),
            ),
            Self::Forbidden => ("Akses ditolak", "Access denied".to_owned()),
            Self::NotFound => ("Data tidak ditemukan", "Not found".to_owned()),
            Self::NoSuchEndpoint => ("Alamat tidak ditemukan", "No such endpoint".to_owned()),
            Self::Conflict(detail) => ("Data bertentangan", detail.clone()),
            Self::Stale(field) | Self::Refused(field) => {
                (field.message_id.as_str(), field.message_en.clone())
            }
            Self::TooManyRequests { .. } => (
                "Terlalu banyak percobaan, coba lagi nanti",
                "Too many attempts, try again later".to_owned(),
            ),
            Self::Busy { .. } => (
                "Server sedang sibuk, coba lagi sebentar lagi",
                "The server is busy, try again shortly".to_owned(),
            ),
            Self::PayloadTooLarge => (
                "Data yang dikirim terlalu besar",
                "Request body too large".to_owned(),
            ),
            Self::UnsupportedMediaType => (
                "Format data harus JSON",
                "Expected Content-Type: application/json".to_owned(),
            ),
            Self::FileTooLarge { limit } => {
                let id = format!("Berkas terlalu besar (maksimal {} KB)", limit / 1024);
                let en = format!("File too large (at most {} KB)", limit / 1024);
                return self.with_message(id, en);
            }
            Self::UnsupportedFileType => (
                "Jenis berkas tidak didukung: hanya foto JPEG, PNG, WebP atau PDF",
                "Unsupported file type: only JPEG, PNG or WebP photos or PDF".to_owned(),
            ),
            Self::LengthRequired => (
                "Ukuran berkas (Content-Length) harus disebutkan",
                "The file size (Content-Length) is required".to_owned(),
            ),
            Self::UploadStalled => (
                "Pengiriman berkas terhenti, coba lagi",
                "The upload stalled, try again".to_owned(),
            ),
            Self::Internal(_) => (
                "Terjadi kesalahan di server",
                "Internal server error".to_owned(),
            ),
        };
        let fields = match self {
            Self::Validation(fields) => fields.clone(),
            Self::Stale(field) | Self::Refused(field) => vec![field.clone()],
            _ => Vec::new(),
        };
        let code = match self {
            Self::NoSuchEndpoint => "no_such_endpoint",
            _ => error_code(self.status()),
        };
        ErrorBody {
            error: code.to_owned(),
            message: message.to_owned(),
            message_en,
            fields,
        }
    }
}

impl ApiError {
    /// The body of this error with messages built at run time.
    fn with_message(&self, message: String, message_en: String) -> ErrorBody {
        ErrorBody {
            error: error_code(self.status()).to_owned(),
            message,
            message_en,
            fields: Vec::new(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(err) = &self {
            tracing::error!(error = %format!("{err:#}"), "internal error");
        }
        let mut response = (self.status(), Json(self.body())).into_response();
        if let Self::TooManyRequests { retry_after_secs } | Self::Busy { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => Self::NotFound,
            DbError::Conflict(detail) => Self::Conflict(detail),
            DbError::Other(err) => Self::Internal(err),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(err) => data_error(&err.body_text()),
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            JsonRejection::BytesRejection(_)
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Self::PayloadTooLarge
            }
            other => Self::BadRequest(other.body_text()),
        }
    }
}

/// Well-formed JSON of the wrong shape: serde names the path of the offending field
/// (`mutations[0].seq: invalid type ...`) or the unknown one, so the answer can too.
fn data_error(text: &str) -> ApiError {
    let detail = text
        .split_once("target type: ")
        .map_or(text, |(_, rest)| rest);
    let detail = detail.split(" at line ").next().unwrap_or(detail);
    let field = match detail.split_once(": ") {
        Some((path, _)) if !path.contains(' ') => path.trim_end_matches('.').to_owned(),
        _ => unknown_field(detail).unwrap_or_default(),
    };
    // An empty key (`{"": 1}`) leaves an empty path segment, and nothing to name: point at
    // the object holding it, or at the body as a whole.
    let field = if field.is_empty() {
        "body".to_owned()
    } else {
        field
    };
    ApiError::Validation(vec![FieldError {
        field,
        code: "invalid".to_owned(),
        message_id: format!("Isian tidak sesuai format: {detail}"),
        message_en: detail.to_owned(),
    }])
}

/// `unknown field `surprise`, expected ...` → `surprise`.
fn unknown_field(detail: &str) -> Option<String> {
    let rest = detail.strip_prefix("unknown field `")?;
    rest.split('`').next().map(str::to_owned)
}

/// `Json` whose rejections use the shared error shape.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// Short machine code for a status, used as `ErrorBody::error`.
fn error_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::CONFLICT => "conflict",
        StatusCode::LENGTH_REQUIRED => "length_required",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "validation",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        StatusCode::SERVICE_UNAVAILABLE => "busy",
        s if s.is_server_error() => "internal",
        _ => "error",
    }
}

/// Middleware that gives error responses produced outside our handlers (unknown route,
/// wrong method, timeout, body limit) the same JSON shape as handler errors.
pub async fn uniform_errors(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (message, message_en) = match status {
        StatusCode::NOT_FOUND => ("Alamat tidak ditemukan", "No such endpoint"),
        StatusCode::METHOD_NOT_ALLOWED => ("Metode tidak diizinkan", "Method not allowed"),
        StatusCode::REQUEST_TIMEOUT => ("Permintaan terlalu lama", "Request timed out"),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("Data yang dikirim terlalu besar", "Request body too large")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "Format data harus JSON",
            "Expected Content-Type: application/json",
        ),
        _ if status.is_server_error() => ("Terjadi kesalahan di server", "Internal server error"),
        _ => ("Permintaan ditolak", "Request refused"),
    };
    let body = ErrorBody {
        error: error_code(status).to_owned(),
        message: message.to_owned(),
        message_en: message_en.to_owned(),
        fields: Vec::new(),
    };
    let mut rebuilt = (status, Json(body)).into_response();
    // Keep headers such as Retry-After or Allow that the original response carried.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rebuilt.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rebuilt
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value: &HeaderValue| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"))
}
