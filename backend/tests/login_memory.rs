//! Memory under sign-in floods (issue #13, finding 2), on the real server binary: 150
//! simultaneous sign-ins with made-up names (each from its own address, so the address limit
//! does not hide the argon2 cost) and 200 sign-ins with 1 MiB names must keep the server's
//! peak resident memory within 100 MB of where it started. Before the password gate, the
//! first flood took the server from 1.1 GB to 3.7 GB; the limiter kept every name for ever.

mod common;

use std::process::{Child, Stdio};

use konvergen_shared::api::LoginRequest;
use tokio::task::JoinSet;

use common::{free_port, server_command, wait_healthy};

/// The budget the issue sets for both floods together.
const BUDGET_KIB: u64 = 100 * 1024;

/// `VmRSS` or `VmHWM` (peak) of a process, in KiB.
fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or_else(|| panic!("{field} missing in /proc/{pid}/status"))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn flood(
    client: &reqwest::Client,
    base: &str,
    count: u32,
    name: impl Fn(u32) -> String,
) -> Vec<u16> {
    let mut attempts = JoinSet::new();
    for index in 0..count {
        let body = LoginRequest {
            username: name(index),
            password: "tebakan-salah".to_owned(),
        };
        let request = client
            .post(format!("{base}/api/v1/auth/login"))
            .header(
                "x-forwarded-for",
                format!("10.{}.{}.7", index / 250, index % 250),
            )
            .json(&body);
        attempts.spawn(async move { request.send().await.map_or(0, |r| r.status().as_u16()) });
    }
    attempts.join_all().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_in_floods_keep_the_server_within_100_mb() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let child = server_command(dir.path(), port)
        .args(["--client-ip-header", "X-Forwarded-For"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let server = Server(child);
    let pid = server.0.id();
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&client, &base).await;
    let before = memory_kib(pid, "VmRSS");

    let bogus = flood(&client, &base, 150, |i| format!("tidak.ada.{i}")).await;
    assert!(
        bogus.iter().all(|s| [401, 503].contains(s)),
        "made-up names: {bogus:?}"
    );
    eprintln!(
        "after bogus: peak {} KiB, rss {} KiB",
        memory_kib(pid, "VmHWM"),
        memory_kib(pid, "VmRSS")
    );
    let oversized = flood(&client, &base, 200, |i| {
        format!("{i}{}", "x".repeat(1 << 20))
    })
    .await;
    assert!(
        oversized.iter().all(|s| *s == 413 || *s == 0),
        "1 MiB names: {oversized:?}"
    );

    let peak = memory_kib(pid, "VmHWM");
    let grown = peak.saturating_sub(before);
    eprintln!("RSS before {before} KiB, peak {peak} KiB, grown {grown} KiB");
    assert!(
        grown <= BUDGET_KIB,
        "peak grew by {grown} KiB (budget {BUDGET_KIB} KiB)"
    );
}
