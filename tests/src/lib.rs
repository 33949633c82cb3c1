//! Helpers for the integration tests: a real server on 127.0.0.1 with its own database, and
//! simulated phones running the real sync engine.

pub mod device;
pub mod faults;
pub mod fuzzing;
pub mod proxy;

use std::path::PathBuf;

use konvergen_backend::{AppState, Config};
use konvergen_shared::api::LoginResponse;
use konvergen_shared::sync::{PullResponse, PushRequest, PushResponse};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running server on a random port with a temporary data folder, stopped on drop.
#[derive(Debug)]
pub struct TestServer {
    /// Base address, e.g. `http://127.0.0.1:41234`.
    pub base: String,
    /// HTTP client for requests to [`TestServer::base`].
    pub client: reqwest::Client,
    /// Path of the SQLite file the server uses.
    pub database: PathBuf,
    /// The server's own storage handle, for a test's setup that has no API.
    pub store: konvergen_backend::Store,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server with a fresh temporary database.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(|_| {}).await
    }

    /// Starts a server whose database holds the demo logins.
    pub async fn start_demo() -> anyhow::Result<Self> {
        Self::start_with(|config| config.demo = true).await
    }

    /// Starts a server after letting the caller adjust its configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut config = Config::for_tests(dir.path().to_path_buf());
        adjust(&mut config);
        let database = config.database_path();
        let seed_demo = config.demo;
        let state = AppState::open(config)?;
        if seed_demo {
            konvergen_backend::demo::seed(&state.store).await?;
        }
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let store = state.store.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(konvergen_backend::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(Self {
            base,
            client: reqwest::Client::new(),
            database,
            store,
            stop: Some(stop),
            _dir: dir,
        })
    }

    /// Absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in and returns the bearer token; panics with the server's answer otherwise.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), 200, "login of {username} failed");
        let body: LoginResponse = response.json().await.expect("login body");
        body.token
    }

    /// A GET with a bearer token.
    pub fn get(&self, token: &str, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(token)
    }

    /// A POST of JSON with a bearer token.
    pub fn post<T: serde::Serialize + ?Sized>(
        &self,
        token: &str,
        path: &str,
        body: &T,
    ) -> reqwest::RequestBuilder {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
    }

    /// Pushes a batch and decodes the answer (panics on a non-200 status).
    pub async fn push(&self, token: &str, request: &PushRequest) -> PushResponse {
        let response = self
            .post(token, "/api/v1/sync/push", request)
            .send()
            .await
            .expect("push");
        let status = response.status();
        let text = response.text().await.expect("push body");
        assert_eq!(status, 200, "push failed: {text}");
        serde_json::from_str(&text).expect("push response")
    }

    /// Pulls one page after `cursor` (panics on a non-200 status).
    pub async fn pull(&self, token: &str, cursor: Option<&str>) -> PullResponse {
        let mut request = self.get(token, "/api/v1/sync/pull");
        if let Some(cursor) = cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let response = request.send().await.expect("pull");
        let status = response.status();
        let text = response.text().await.expect("pull body");
        assert_eq!(status, 200, "pull failed: {text}");
        serde_json::from_str(&text).expect("pull response")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
