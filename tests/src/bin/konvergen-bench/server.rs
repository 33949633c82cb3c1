//! The real `konvergen-server` binary as a child process, and its resident memory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;

/// A running server process, killed on drop.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    /// Base address, e.g. `http://127.0.0.1:18080`.
    pub base: String,
}

impl ServerProcess {
    /// Starts `binary` on `port` with its data in `data_dir`, and waits until it answers.
    pub async fn start(binary: &Path, data_dir: &Path, port: u16) -> anyhow::Result<Self> {
        let child = Command::new(binary)
            .arg("serve")
            .env("KONVERGEN_BIND", format!("127.0.0.1:{port}"))
            .env("KONVERGEN_DATA_DIR", data_dir)
            .env("KONVERGEN_STATIC_DIR", data_dir.join("no-app"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        server.wait_healthy().await?;
        Ok(server)
    }

    async fn wait_healthy(&self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        for _ in 0..300 {
            let answer = client
                .get(format!("{}/api/v1/health", self.base))
                .send()
                .await;
            if answer.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("server at {} did not become healthy", self.base)
    }

    /// Process id (for memory readings).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server (SIGKILL is fine: every acknowledged write is committed).
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident set size of a process in KiB (`VmRSS`), `None` once it is gone.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Samples a process's RSS every 50 ms until stopped, keeping the peak.
#[derive(Debug)]
pub struct RssSampler {
    running: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RssSampler {
    /// Starts sampling `pid`.
    pub fn start(pid: u32) -> Self {
        let running = Arc::new(AtomicBool::new(true));
        let peak = Arc::new(AtomicU64::new(0));
        let (flag, high) = (Arc::clone(&running), Arc::clone(&peak));
        let thread = std::thread::spawn(move || {
            while flag.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid) {
                    high.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Self {
            running,
            peak,
            thread: Some(thread),
        }
    }

    /// Stops and answers the peak in KiB.
    pub fn finish(mut self) -> u64 {
        self.running.store(false, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.peak.load(Ordering::Relaxed)
    }
}

/// Where the server binary is: `KONVERGEN_SERVER_BIN`, else the release build.
pub fn binary() -> PathBuf {
    std::env::var_os("KONVERGEN_SERVER_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/konvergen-server"),
        PathBuf::from,
    )
}
