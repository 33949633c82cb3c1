//! Server configuration: command-line flags with environment fallbacks and safe defaults.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// Everything the server needs to start. Every flag also reads a `KONVERGEN_*` variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "KONVERGEN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Folder for the SQLite database and other state.
    #[arg(long, env = "KONVERGEN_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Folder with the built web app (Trunk's output).
    #[arg(long, env = "KONVERGEN_STATIC_DIR", default_value = "./dist")]
    pub static_dir: PathBuf,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "KONVERGEN_BODY_LIMIT", default_value_t = 4 * 1024 * 1024)]
    pub body_limit: usize,

    /// Longest a request may take before it is answered with a timeout error, in seconds.
    #[arg(long, env = "KONVERGEN_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Seed the demo logins (published passwords) and demo data into an empty database.
    /// Off unless asked for; a server with a published password refuses a public address.
    #[arg(long, env = "KONVERGEN_DEMO", default_value_t = false)]
    pub demo: bool,

    /// Header carrying the client's address, set by a reverse proxy in front of the server
    /// (e.g. `X-Forwarded-For` or `X-Real-IP`); read only from a `--trusted-proxy`.
    #[arg(long, env = "KONVERGEN_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Addresses of reverse proxies whose client-address header is believed.
    #[arg(
        long = "trusted-proxy",
        env = "KONVERGEN_TRUSTED_PROXIES",
        value_delimiter = ',',
        default_value = "127.0.0.1,::1"
    )]
    pub trusted_proxies: Vec<IpAddr>,

    /// Largest accepted photo (JPEG, PNG, WebP) in the blob store, in bytes. Phones downscale
    /// before storing (longest side about 1600 px), so a few hundred KB is usual.
    #[arg(long, env = "KONVERGEN_MAX_PHOTO_BYTES", default_value_t = DEFAULT_MAX_PHOTO_BYTES)]
    pub max_photo_bytes: u64,

    /// Largest accepted PDF in the blob store, in bytes (a scanned Perbup runs to a few MB).
    #[arg(long, env = "KONVERGEN_MAX_PDF_BYTES", default_value_t = DEFAULT_MAX_PDF_BYTES)]
    pub max_pdf_bytes: u64,

    /// How long an uploaded file nobody references is kept, in seconds: a phone uploads the
    /// file and sends the record naming it separately, in either order, possibly days apart.
    #[arg(long, env = "KONVERGEN_BLOB_GRACE_SECS", default_value_t = DEFAULT_BLOB_GRACE_SECS)]
    pub blob_grace_secs: u64,

    /// How often the sweeper looks for unreferenced files and abandoned uploads, in seconds.
    #[arg(
        long,
        env = "KONVERGEN_BLOB_SWEEP_INTERVAL_SECS",
        default_value_t = DEFAULT_BLOB_SWEEP_INTERVAL_SECS
    )]
    pub blob_sweep_interval_secs: u64,

    /// Bytes of pull-page JSON that all pulls in flight share: each page gets an equal share
    /// (never less than 64 KiB), so pages shrink as more phones pull at once
    /// (`pull_load.rs`, docs/benchmarks.md).
    #[arg(
        long,
        env = "KONVERGEN_PULL_BYTES_IN_FLIGHT",
        default_value_t = crate::pull_load::DEFAULT_PAGE_BYTES_IN_FLIGHT
    )]
    pub pull_bytes_in_flight: usize,
}

/// Default of `--max-photo-bytes`: 5 MiB (the phone checks the same figure before storing).
pub const DEFAULT_MAX_PHOTO_BYTES: u64 = konvergen_shared::files::MAX_PHOTO_BYTES;
/// Default of `--max-pdf-bytes`: 20 MiB.
pub const DEFAULT_MAX_PDF_BYTES: u64 = konvergen_shared::files::MAX_PDF_BYTES;
/// Default of `--blob-grace-secs`: 7 days.
pub const DEFAULT_BLOB_GRACE_SECS: u64 = 7 * 24 * 60 * 60;
/// Default of `--blob-sweep-interval-secs`: hourly.
pub const DEFAULT_BLOB_SWEEP_INTERVAL_SECS: u64 = 60 * 60;

impl Config {
    /// Path of the SQLite file inside the data folder.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("konvergen.sqlite3")
    }

    /// Folder of the content-addressed blob store inside the data folder.
    pub fn blob_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }

    /// The request timeout as a [`Duration`].
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// A configuration for tests: the given data folder, no static app, demo data off.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            static_dir: PathBuf::from("./dist"),
            body_limit: 4 * 1024 * 1024,
            request_timeout_secs: 30,
            demo: false,
            client_ip_header: None,
            trusted_proxies: vec![IpAddr::from([127, 0, 0, 1])],
            max_photo_bytes: DEFAULT_MAX_PHOTO_BYTES,
            max_pdf_bytes: DEFAULT_MAX_PDF_BYTES,
            blob_grace_secs: DEFAULT_BLOB_GRACE_SECS,
            blob_sweep_interval_secs: DEFAULT_BLOB_SWEEP_INTERVAL_SECS,
            pull_bytes_in_flight: crate::pull_load::DEFAULT_PAGE_BYTES_IN_FLIGHT,
        }
    }
}
