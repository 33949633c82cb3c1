//! The real `konvergen-server` binary as a child process, and a small HTTP/1.1 proxy on
//! 127.0.0.1 in front of it that misbehaves on purpose: answers dropped after the server
//! committed, requests delivered twice (at once or late, after newer batches), concurrent
//! pushes held back and overtaken, and the server killed with SIGKILL while a batch is in
//! flight, then restarted on the same database file and port.
//!
//! Faults are drawn from one seeded generator. Devices run concurrently, so which request
//! meets which fault depends on scheduling: a seed fixes the workload and the fault rates,
//! not the exact interleaving.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const PUSH_PATH: &str = "/api/v1/sync/push";
/// How long a push picked for reordering waits for a later push to overtake it.
const HOLD: Duration = Duration::from_millis(150);
/// Longest delay between sending a batch upstream and killing the server.
const MAX_KILL_DELAY_MS: u64 = 12;

/// Where the server binary is: `KONVERGEN_SERVER_BIN`, otherwise next to the running test
/// (`target/<profile>/konvergen-server`, which `cargo test --workspace` builds because the
/// backend has integration tests; `cargo build -p konvergen-backend --bin konvergen-server`
/// builds it alone).
pub fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("KONVERGEN_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("path of the test binary");
    // target/<profile>/deps/<test> → target/<profile>/konvergen-server
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binary inside target/<profile>/deps");
    profile_dir.join("konvergen-server")
}

/// The server binary running on a fixed port with its own temporary data folder.
#[derive(Debug)]
pub struct ServerProcess {
    binary: PathBuf,
    data: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl ServerProcess {
    /// Starts the binary on a free port with an empty database (it seeds the demo logins).
    pub async fn start() -> anyhow::Result<Self> {
        let binary = server_binary();
        anyhow::ensure!(
            binary.exists(),
            "{} missing: run `cargo build -p konvergen-backend --bin konvergen-server` \
             or set KONVERGEN_SERVER_BIN",
            binary.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut server = Self {
            binary,
            data: tempfile::tempdir()?,
            port,
            child: None,
        };
        server.spawn_and_wait().await?;
        Ok(server)
    }

    /// Base address, e.g. `http://127.0.0.1:41234` (no faults on this way in).
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The SQLite file.
    pub fn database(&self) -> PathBuf {
        self.data.path().join("konvergen.sqlite3")
    }

    async fn spawn_and_wait(&mut self) -> anyhow::Result<()> {
        let child = Command::new(&self.binary)
            .args(["--bind", &format!("127.0.0.1:{}", self.port), "--data-dir"])
            .arg(self.data.path())
            .args(["--static-dir", "/nonexistent", "--demo"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            // A panicking test must not leave servers behind.
            .kill_on_drop(true)
            .spawn()?;
        self.child = Some(child);
        self.wait_healthy().await
    }

    async fn wait_healthy(&self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let url = format!("{}/api/v1/health", self.base());
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if client
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::bail!("server did not come up on port {}", self.port)
    }

    /// SIGKILL, then a fresh process on the same database and port.
    pub async fn kill_and_restart(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.kill().await?;
        }
        self.spawn_and_wait().await
    }

    /// A graceful stop (SIGTERM, as a service manager does), so the database can be
    /// checked with nobody writing to it.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if let Some(pid) = child.id() {
            std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()?;
        }
        if tokio::time::timeout(Duration::from_secs(20), child.wait())
            .await
            .is_err()
        {
            child.kill().await?;
        }
        Ok(())
    }
}

/// Probability of each proxy fault, per request (kills and reordering: per push).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProxyFaults {
    /// The server answered (and committed); the proxy closes the connection instead.
    pub drop_response: f64,
    /// The request reaches the server twice.
    pub duplicate: f64,
    /// Share of the duplicates delivered late, after the next request through the proxy.
    pub late_share: f64,
    /// A push is held until another push overtakes it (or a short timeout).
    pub reorder: f64,
    /// The server is killed with SIGKILL while the push is in flight, then restarted.
    pub kill: f64,
}

/// What the proxy did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProxyCounts {
    /// Requests received from devices.
    pub requests: u64,
    /// Answers dropped after the server answered.
    pub dropped: u64,
    /// Requests delivered twice (both kinds).
    pub duplicated: u64,
    /// Of those, delivered late (after later requests).
    pub late_duplicates: u64,
    /// Pushes held back and overtaken by a later push.
    pub reordered: u64,
    /// SIGKILLs of the server.
    pub kills: u64,
    /// Kills that hit while the batch's answer had not come back yet.
    pub kills_in_flight: u64,
    /// Requests that failed because the server was down (connection dropped for the device).
    pub upstream_failures: u64,
}

/// A request as received, ready to be sent (again) upstream.
#[derive(Debug, Clone)]
struct Captured {
    method: reqwest::Method,
    path_and_query: String,
    authorization: Option<HeaderValue>,
    content_type: Option<HeaderValue>,
    body: Bytes,
}

/// The upstream's answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: Option<reqwest::header::HeaderValue>,
    body: Bytes,
}

/// Returned to hyper to close the device's connection without an answer.
#[derive(Debug)]
struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("injected: connection dropped")
    }
}

impl std::error::Error for ConnectionDropped {}

/// The proxy in front of a [`ServerProcess`], stopped on drop.
#[derive(Debug)]
pub struct FaultProxy {
    /// Address devices talk to, e.g. `http://127.0.0.1:41235`.
    pub base: String,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    upstream: String,
    server: tokio::sync::Mutex<ServerProcess>,
    client: reqwest::Client,
    faults: ProxyFaults,
    enabled: AtomicBool,
    rng: Mutex<u64>,
    counts: Mutex<ProxyCounts>,
    /// The push currently held back for reordering, released by the next push.
    held: Mutex<Option<oneshot::Sender<()>>>,
    /// Copies waiting to be delivered late.
    late: Mutex<Vec<Captured>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FaultProxy {
    /// Puts a proxy with `faults`, seeded by `seed`, in front of `server`.
    pub async fn start(
        server: ServerProcess,
        faults: ProxyFaults,
        seed: u64,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            upstream: server.base(),
            server: tokio::sync::Mutex::new(server),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()?,
            faults,
            enabled: AtomicBool::new(true),
            rng: Mutex::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            counts: Mutex::new(ProxyCounts::default()),
            held: Mutex::new(None),
            late: Mutex::new(Vec::new()),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Self {
            base,
            shared,
            accept,
        })
    }

    /// Turns faults on or off (the final checks run without them).
    pub fn set_enabled(&self, on: bool) {
        self.shared.enabled.store(on, Ordering::SeqCst);
    }

    /// What was injected so far.
    pub fn counts(&self) -> ProxyCounts {
        *lock(&self.shared.counts)
    }

    /// The server's own address, bypassing the faults (logins, the supervisor's view).
    pub fn server_base(&self) -> &str {
        &self.shared.upstream
    }

    /// Stops the server gracefully and returns the path of its database (the data folder
    /// lives as long as the proxy).
    pub async fn stop_server(&self) -> anyhow::Result<PathBuf> {
        let mut server = self.shared.server.lock().await;
        server.stop().await?;
        Ok(server.database())
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = Arc::clone(&shared);
                async move { shared.handle(request).await }
            });
            // An error here is usually our own injected drop; the device sees a closed
            // connection, which is the point.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

impl Shared {
    async fn handle(
        &self,
        request: Request<Incoming>,
    ) -> Result<Response<Full<Bytes>>, ConnectionDropped> {
        let captured = capture(request).await?;
        self.count(|c| c.requests += 1);
        let is_push = captured.path_and_query.starts_with(PUSH_PATH);
        if is_push && self.roll(self.faults.reorder) && self.hold_until_overtaken().await {
            self.count(|c| c.reordered += 1);
        }
        self.maybe_duplicate(&captured).await;
        let answer = if is_push && self.roll(self.faults.kill) {
            self.forward_and_kill(&captured).await
        } else {
            self.forward(&captured).await
        };
        if is_push {
            self.release_held();
        }
        self.deliver_late().await;
        let Some(answer) = answer else {
            self.count(|c| c.upstream_failures += 1);
            return Err(ConnectionDropped);
        };
        if self.roll(self.faults.drop_response) {
            self.count(|c| c.dropped += 1);
            return Err(ConnectionDropped);
        }
        Ok(respond(answer))
    }

    /// Sends a copy now, or keeps it to send after the next request.
    async fn maybe_duplicate(&self, captured: &Captured) {
        if !self.roll(self.faults.duplicate) {
            return;
        }
        self.count(|c| c.duplicated += 1);
        if self.roll(self.faults.late_share) {
            self.count(|c| c.late_duplicates += 1);
            lock(&self.late).push(captured.clone());
        } else {
            let _ = self.forward(captured).await;
        }
    }

    async fn deliver_late(&self) {
        let waiting = std::mem::take(&mut *lock(&self.late));
        for copy in waiting {
            let _ = self.forward(&copy).await;
        }
    }

    /// Parks this push until another push has been answered; false after a timeout.
    async fn hold_until_overtaken(&self) -> bool {
        let (release, released) = oneshot::channel();
        {
            let mut held = lock(&self.held);
            if held.is_some() {
                return false;
            }
            *held = Some(release);
        }
        let overtaken = tokio::time::timeout(HOLD, released).await.is_ok();
        if !overtaken {
            lock(&self.held).take();
        }
        overtaken
    }

    fn release_held(&self) {
        if let Some(release) = lock(&self.held).take() {
            let _ = release.send(());
        }
    }

    /// Sends the batch, kills the server a few milliseconds later (usually before it has
    /// answered), restarts it, and drops the device's connection like a dead server would.
    async fn forward_and_kill(&self, captured: &Captured) -> Option<Answer> {
        // One kill at a time: while the server restarts, other batches just fail.
        let Ok(mut server) = self.server.try_lock() else {
            return self.forward(captured).await;
        };
        let delay = Duration::from_millis(self.below(MAX_KILL_DELAY_MS + 1));
        let in_flight = {
            let copy = captured.clone();
            let client = self.client.clone();
            let upstream = self.upstream.clone();
            tokio::spawn(async move { send(&client, &upstream, &copy).await })
        };
        tokio::time::sleep(delay).await;
        let answered = in_flight.is_finished();
        server
            .kill_and_restart()
            .await
            .expect("restart of the killed server");
        self.count(|c| {
            c.kills += 1;
            c.kills_in_flight += u64::from(!answered);
        });
        let _ = in_flight.await;
        None
    }

    async fn forward(&self, captured: &Captured) -> Option<Answer> {
        send(&self.client, &self.upstream, captured).await
    }

    fn roll(&self, probability: f64) -> bool {
        if probability <= 0.0 || !self.enabled.load(Ordering::SeqCst) {
            return false;
        }
        (self.next_random() >> 11) as f64 / (1_u64 << 53) as f64 <= probability
    }

    fn below(&self, n: u64) -> u64 {
        self.next_random() % n.max(1)
    }

    fn next_random(&self) -> u64 {
        let mut state = lock(&self.rng);
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    fn count(&self, update: impl FnOnce(&mut ProxyCounts)) {
        update(&mut lock(&self.counts));
    }
}

async fn capture(request: Request<Incoming>) -> Result<Captured, ConnectionDropped> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|_| ConnectionDropped)?
        .to_bytes();
    Ok(Captured {
        method: parts.method,
        path_and_query: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), ToString::to_string),
        authorization: parts.headers.get(AUTHORIZATION).cloned(),
        content_type: parts.headers.get(CONTENT_TYPE).cloned(),
        body,
    })
}

/// One upstream round trip; `None` when the server is unreachable or died mid-request.
async fn send(client: &reqwest::Client, upstream: &str, captured: &Captured) -> Option<Answer> {
    let mut request = client
        .request(
            captured.method.clone(),
            format!("{upstream}{}", captured.path_and_query),
        )
        .body(captured.body.clone());
    if let Some(value) = &captured.authorization {
        request = request.header(AUTHORIZATION, value);
    }
    if let Some(value) = &captured.content_type {
        request = request.header(CONTENT_TYPE, value);
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    let content_type = response.headers().get(CONTENT_TYPE).cloned();
    let body = response.bytes().await.ok()?;
    Some(Answer {
        status,
        content_type,
        body,
    })
}

fn respond(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
    if let Some(value) = answer.content_type {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}
