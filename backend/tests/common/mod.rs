//! Starting the real server binary for the integration tests that need a process of their
//! own (to kill it, or to read its output).

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// The server binary on `127.0.0.1:port` with its database in `data` and no web app; the
/// caller chooses where its output goes and spawns it.
pub fn server_command(data: &Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_konvergen-server"));
    command
        .args(["--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data)
        .args(["--static-dir", "/nonexistent", "--demo"]);
    command
}

/// Waits until `base` answers its health check (30 s at most).
pub async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client
            .get(format!("{base}/api/v1/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up on {base}");
}

/// The server binary started quietly (output discarded) on `127.0.0.1:port`.
pub fn start_quiet(data: &Path, port: u16) -> std::process::Child {
    server_command(data, port)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start server")
}

/// Signs in and returns the bearer token.
pub async fn login(client: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let body = konvergen_shared::api::LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&body)
        .send()
        .await
        .expect("login");
    response
        .json::<konvergen_shared::api::LoginResponse>()
        .await
        .expect("login body")
        .token
}
