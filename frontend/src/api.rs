//! Typed client of the server API.

use konvergen_shared::api::Health;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No answer (offline, server down, timeout).
    #[error("network: {0}")]
    Network(String),
    /// The server answered with an error status.
    #[error("server answered {0}")]
    Status(u16),
}

/// Asks the server whether it is up.
pub async fn health() -> Result<Health, ApiError> {
    let response = gloo_net::http::Request::get("/api/v1/health")
        .send()
        .await
        .map_err(|err| ApiError::Network(err.to_string()))?;
    if !response.ok() {
        return Err(ApiError::Status(response.status()));
    }
    response
        .json::<Health>()
        .await
        .map_err(|err| ApiError::Network(err.to_string()))
}
