//! konvergen sync server as a library: `main.rs` and the tests build the same [`app`].

pub mod auth;
pub mod blobs;
pub mod cli;
pub mod client_address;
pub mod config;
pub mod db;
pub mod demo;
pub mod dossier;
pub mod entities;
pub mod error;
pub mod export;
pub mod login_limit;
pub mod overview_sheet;
pub mod password_gate;
pub mod pull_load;
pub mod routes;
pub mod static_files;
pub mod telemetry;
pub mod util;
pub mod validation;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

pub use config::Config;
pub use db::Store;

/// State shared by every request handler.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database behind one async-safe handle.
    pub store: Store,
    /// Effective configuration.
    pub config: Arc<Config>,
    /// Sign-in attempts per account and address.
    pub limiter: Arc<login_limit::LoginLimiter>,
    /// Admits argon2 verifications a few at a time.
    pub password_gate: Arc<password_gate::PasswordGate>,
    /// The bytes of evidence files, by content hash.
    pub blobs: Arc<dyn blobs::BlobStore>,
    /// Pulls in flight, which share the page bytes.
    pub pulls: Arc<pull_load::PullLoad>,
}

impl AppState {
    /// Opens (and migrates) the database named by the configuration.
    pub fn open(config: Config) -> anyhow::Result<Self> {
        let store = Store::open(&config.database_path())?;
        let blob_dir = config.blob_dir();
        let blobs = blobs::FsBlobStore::open(blob_dir.clone()).map_err(|err| {
            anyhow::anyhow!("opening the blob store {}: {err}", blob_dir.display())
        })?;
        Ok(Self {
            store,
            blobs: Arc::new(blobs),
            pulls: Arc::new(pull_load::PullLoad::new(config.pull_bytes_in_flight)),
            config: Arc::new(config),
            limiter: Arc::default(),
            password_gate: Arc::default(),
        })
    }
}

/// Builds the whole HTTP application: API routes, static app and middleware.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}

/// Serves `app` on `listener` until `shutdown` completes, then drains open requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app(state);
    // Connection info gives the sign-in limits the client's address.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM, whichever comes first.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed we still want SIGTERM to work.
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, draining requests");
}
