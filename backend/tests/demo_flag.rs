//! Demo accounts only when asked for (issue #13, finding 4): without `--demo` an empty
//! database gets no account, and a server whose accounts still have the passwords published
//! in the README refuses every address but loopback.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use konvergen_shared::api::LoginRequest;

use common::{free_port, wait_healthy};

/// Every demo login of the README, admin last.
/// The demo logins' usernames, `admin` last (the README's list, from the seeding code).
fn demo_accounts() -> Vec<&'static str> {
    konvergen_backend::demo::DEMO_LOGINS
        .iter()
        .map(|login| login.0)
        .collect()
}

fn server(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_konvergen-server"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(["--static-dir", "/nonexistent"]);
    command
}

/// Runs the server until it exits by itself (or 60 s pass).
fn run_to_exit(mut command: Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server kept running on a public address with demo passwords");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn without_the_flag_an_empty_database_gets_no_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut command = server(dir.path());
    command.args(["--bind", &format!("127.0.0.1:{port}")]);
    let _server = Running(command.stderr(Stdio::null()).spawn().expect("start"));
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&client, &base).await;
    let login = LoginRequest {
        username: "admin".to_owned(),
        password: "admin123".to_owned(),
    };
    let answer = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .expect("login");
    assert_eq!(answer.status(), 401);
    let list = server(dir.path())
        .args(["user", "list"])
        .output()
        .expect("list");
    assert!(list.status.success());
    assert_eq!(
        String::from_utf8_lossy(&list.stdout),
        "",
        "no account at all"
    );
}

#[tokio::test]
async fn published_passwords_keep_the_server_off_public_addresses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let public = format!("0.0.0.0:{}", free_port());
    let mut first = server(dir.path());
    first.args(["--demo", "--bind", &public]);
    let refused = run_to_exit(first);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("reset-password"), "{why}");
    assert!(
        why.contains("supervisor.tapin") && why.contains("admin"),
        "{why}"
    );

    // Every demo password changed but one: still refused, naming that one.
    let accounts = demo_accounts();
    assert_eq!(accounts.last(), Some(&"admin"));
    for name in &accounts[..accounts.len() - 1] {
        let reset = server(dir.path())
            .args(["user", "reset-password", name])
            .env("KONVERGEN_PASSWORD", "ganti-sandi-rahasia")
            .output()
            .expect("reset");
        assert!(reset.status.success(), "{name}");
    }
    let mut second = server(dir.path());
    second.args(["--bind", &public]);
    let why = String::from_utf8_lossy(&run_to_exit(second).stderr).into_owned();
    assert!(
        why.contains("admin") && !why.contains("kader.sipai"),
        "{why}"
    );

    let disable = server(dir.path())
        .args(["user", "disable", "admin"])
        .output()
        .expect("disable");
    assert!(disable.status.success());
    let mut third = server(dir.path());
    third
        .args(["--bind", &public])
        .stderr(Stdio::null())
        .stdout(Stdio::null());
    let _server = Running(third.spawn().expect("start"));
    let port = public.rsplit(':').next().expect("port");
    wait_healthy(&reqwest::Client::new(), &format!("http://127.0.0.1:{port}")).await;
}
