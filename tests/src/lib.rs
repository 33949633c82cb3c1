//! Helpers for the integration tests: a real server on 127.0.0.1 with its own database.

use std::path::PathBuf;

use konvergen_backend::{AppState, Config};
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
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server with a fresh temporary database.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after letting the caller adjust its configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut config = Config::for_tests(dir.path().to_path_buf());
        adjust(&mut config);
        let database = config.database_path();
        let state = AppState::open(config)?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(konvergen_backend::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(Self {
            base,
            client: reqwest::Client::new(),
            database,
            stop: Some(stop),
            _dir: dir,
        })
    }

    /// Absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
