//! Typed client of the server API.

use gloo_net::http::{Request, Response};
use konvergen_shared::api::{ErrorBody, Health, LoginRequest, LoginResponse};
use konvergen_shared::sync::engine::{Transport, TransportError};
use konvergen_shared::sync::{PullResponse, PushRequest, PushResponse};
use serde::de::DeserializeOwned;

/// Why a request failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// No answer (offline, server down, timeout).
    #[error("network: {0}")]
    Network(String),
    /// The server answered with an error status, and with its [`ErrorBody`] unless
    /// something in between (a proxy, a captive portal) answered instead.
    #[error("server answered {status}")]
    Server {
        /// The HTTP status.
        status: u16,
        /// What the server said, in both languages.
        body: Option<ErrorBody>,
    },
}

impl ApiError {
    /// The message of the server's error body, if it sent one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Self::Server { body, .. } => body.as_ref(),
            Self::Network(_) => None,
        }
    }
}

/// The error of a response that is not 2xx, with its body decoded when it is an [`ErrorBody`].
async fn refusal(response: Response) -> ApiError {
    ApiError::Server {
        status: response.status(),
        body: response.json::<ErrorBody>().await.ok(),
    }
}

async fn json<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response.map_err(|err| ApiError::Network(err.to_string()))?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|err| ApiError::Network(err.to_string()))
}

/// Asks the server whether it is up.
pub async fn health() -> Result<Health, ApiError> {
    json(Request::get("/api/v1/health").send().await).await
}

/// Signs in online.
pub async fn login(username: &str, password: &str) -> Result<LoginResponse, ApiError> {
    let body = LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    let request = Request::post("/api/v1/auth/login")
        .json(&body)
        .map_err(|e| ApiError::Network(e.to_string()))?;
    json(request.send().await).await
}

/// Revokes the session of `token` at the server (204).
pub async fn logout(token: &str) -> Result<(), ApiError> {
    let response = Request::post("/api/v1/auth/logout")
        .header("authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|err| ApiError::Network(err.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        Err(refusal(response).await)
    }
}

/// The sync transport of the browser: fetch with the session's bearer token.
#[derive(Debug, Clone)]
pub struct BrowserTransport {
    /// Bearer token; empty after an offline sign-in that followed a sign-out, and then each
    /// request first asks [`crate::session::renewed_token`] for a fresh one.
    pub token: String,
    /// This phone's device id.
    pub device_id: String,
}

fn classify(err: ApiError) -> TransportError {
    match err {
        ApiError::Network(why) => TransportError::Retryable(why),
        ApiError::Server { status: 401, .. } => TransportError::Unauthorized,
        ApiError::Server { status, .. } if status >= 500 => {
            TransportError::Retryable(format!("status {status}"))
        }
        ApiError::Server { status, body } => TransportError::Refused(status, body),
    }
}

impl BrowserTransport {
    /// The `authorization` header: this session's token, or a renewed one (an empty bearer,
    /// answered with 401, when there is none: the sync panel then asks to sign in again).
    async fn bearer(&self) -> String {
        let token = if self.token.is_empty() {
            crate::session::renewed_token().await.unwrap_or_default()
        } else {
            self.token.clone()
        };
        format!("Bearer {token}")
    }
}

impl Transport for BrowserTransport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let built = Request::post("/api/v1/sync/push")
            .header("authorization", &self.bearer().await)
            .json(request)
            .map_err(|err| TransportError::Retryable(err.to_string()))?;
        json(built.send().await).await.map_err(classify)
    }

    async fn pull(&self, cursor: Option<&str>, limit: u32) -> Result<PullResponse, TransportError> {
        let limit = limit.to_string();
        let mut query = vec![
            ("limit", limit.as_str()),
            ("device_id", self.device_id.as_str()),
        ];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let request = Request::get("/api/v1/sync/pull")
            .header("authorization", &self.bearer().await)
            .query(query);
        json(request.send().await).await.map_err(classify)
    }
}
