//! A simulated cadre phone: the real `shared` sync engine with an in-memory store, talking
//! to a real server over HTTP.

use konvergen_shared::sync::engine::{SyncEngine, Transport, TransportError};
use konvergen_shared::sync::memory::MemoryStore;
use konvergen_shared::sync::{PullResponse, PushRequest, PushResponse};
use uuid::Uuid;

/// [`Transport`] over reqwest.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    base: String,
    token: String,
    device_id: Uuid,
}

impl HttpTransport {
    /// A transport to `base` with a bearer token.
    pub fn new(client: reqwest::Client, base: &str, token: &str, device_id: Uuid) -> Self {
        Self {
            client,
            base: base.to_owned(),
            token: token.to_owned(),
            device_id,
        }
    }
}

async fn decode<T: serde::de::DeserializeOwned>(
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, TransportError> {
    let response = response.map_err(|err| TransportError::Retryable(err.to_string()))?;
    let status = response.status().as_u16();
    if status == 401 {
        return Err(TransportError::Unauthorized);
    }
    if status >= 500 {
        return Err(TransportError::Retryable(format!("status {status}")));
    }
    if status >= 400 {
        return Err(TransportError::Refused(status, response.json().await.ok()));
    }
    response
        .json()
        .await
        .map_err(|err| TransportError::Retryable(err.to_string()))
}

impl Transport for HttpTransport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let url = format!("{}/api/v1/sync/push", self.base);
        decode(
            self.client
                .post(url)
                .bearer_auth(&self.token)
                .json(request)
                .send()
                .await,
        )
        .await
    }

    async fn pull(&self, cursor: Option<&str>, limit: u32) -> Result<PullResponse, TransportError> {
        let url = format!("{}/api/v1/sync/pull", self.base);
        let mut request = self.client.get(url).bearer_auth(&self.token).query(&[
            ("limit", limit.to_string()),
            ("device_id", self.device_id.to_string()),
        ]);
        if let Some(cursor) = cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        decode(request.send().await).await
    }
}

/// A phone: device id, storage and engine.
pub type Phone = SyncEngine<MemoryStore, HttpTransport>;

/// A new phone for the user behind `token`.
pub fn phone(client: &reqwest::Client, base: &str, token: &str) -> Phone {
    let device = Uuid::now_v7();
    SyncEngine::new(
        MemoryStore::default(),
        HttpTransport::new(client.clone(), base, token, device),
        device,
    )
}
