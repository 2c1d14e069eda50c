//! `spawn_app()` and friends: a real server on port 0 over a fresh SQLite
//! file, target servers whose behaviour tests switch at run time, polling.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use beacon::app::{self, Running};
use beacon::config::Config;
use beacon::store::Store;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running Beacon over its own temporary directory.
pub struct TestApp {
    pub addr: SocketAddr,
    pub dir: TempDir,
    pub client: reqwest::Client,
    running: Option<Running>,
}

impl TestApp {
    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GET a path; returns status and body text.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// Stops the server (graceful) and waits for it.
    pub async fn stop(mut self) -> TempDir {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("server stopped with an error");
        }
        self.dir
    }
}

pub fn database_url(dir: &TempDir) -> String {
    format!("sqlite://{}", dir.path().join("beacon.db").display())
}

/// Writes `config` to a fresh temp dir and serves it with the probe worker.
pub async fn spawn_app(config: &str) -> TestApp {
    spawn_app_in(tempfile::tempdir().expect("tempdir"), config, true).await
}

/// Serves `config` over the database in `dir` (which may hold data already).
pub async fn spawn_app_in(dir: TempDir, config: &str, probe: bool) -> TestApp {
    let path = write_config(&dir, config);
    let config = Arc::new(Config::load(&path).expect("test config is valid"));
    let store = Store::open(&database_url(&dir)).await.expect("store opens");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let running = app::start(listener, config, store, probe)
        .await
        .expect("app starts");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    TestApp {
        addr: running.addr,
        dir,
        client,
        running: Some(running),
    }
}

pub fn write_config(dir: &TempDir, config: &str) -> PathBuf {
    let path = dir.path().join("beacon.toml");
    std::fs::write(&path, config).expect("write config");
    path
}

/// A client whose connections come from `127.0.0.{n}`: another client
/// address for per-client limits.
pub fn client_from(n: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, n]))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// Polls `probe` every 100 ms until it returns true or `limit` passes.
pub async fn wait_until<F, Fut>(limit: Duration, what: &str, mut probe: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if probe().await {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {limit:?} waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How a [`Target`] answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// 200 with body "ok".
    Ok,
    /// This status with body "ok".
    Status(u16),
    /// 200 "ok" after this delay.
    Slow(Duration),
    /// 200 with a body lacking "ok".
    WrongBody,
    /// Closes the connection without answering.
    Close,
    /// 302 back to itself, forever.
    RedirectLoop,
    /// 200 with 2 MiB of filler before "ok".
    Huge,
}

/// A tiny HTTP/1.1 server on 127.0.0.1 whose answer a test switches live.
pub struct Target {
    pub addr: SocketAddr,
    mode: Arc<Mutex<Mode>>,
    task: tokio::task::JoinHandle<()>,
}

impl Target {
    pub async fn start(mode: Mode) -> Target {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind target");
        let addr = listener.local_addr().expect("addr");
        let mode = Arc::new(Mutex::new(mode));
        let shared = Arc::clone(&mode);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let mode = shared.lock().unwrap().clone();
                tokio::spawn(answer(stream, mode));
            }
        });
        Target { addr, mode, task }
    }

    pub fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn url(&self) -> String {
        format!("http://{}/health", self.addr)
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        self.task.abort();
    }
}

static HUGE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{}ok", "x".repeat(2 << 20)));

async fn answer(mut stream: TcpStream, mode: Mode) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let (status, body) = match mode {
        Mode::Ok => (200, "ok"),
        Mode::Status(code) => (code, "ok"),
        Mode::Slow(delay) => {
            tokio::time::sleep(delay).await;
            (200, "ok")
        }
        Mode::WrongBody => (200, "nope"),
        Mode::Close => return,
        Mode::RedirectLoop => (302, ""),
        Mode::Huge => (200, HUGE.as_str()),
    };
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: text/plain\r\nlocation: /health\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A config with one component `api` whose http check probes `url` quickly.
pub fn one_check_config(url: &str) -> String {
    format!(
        r#"
[site]
title = "Test Status"

[[components]]
id = "api"
name = "Public API"

[[checks]]
id = "api-health"
component = "api"
kind = "http"
url = "{url}"
interval = "300ms"
timeout = "250ms"
expect_body = "ok"
failure_threshold = 2
recovery_threshold = 2
"#
    )
}

/// Text of the elements matching `selector`, whitespace folded.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Whole visible text of a page, whitespace folded.
pub fn page_text(html: &str) -> String {
    texts(html, "body").join(" ")
}

/// Two components, `api` and `web`, with checks that never run (admin tests
/// spawn without the probe worker).
pub const ADMIN_CONFIG: &str = r#"
[site]
title = "Admin Test"

[[components]]
id = "api"
name = "Public API"

[[components]]
id = "web"
name = "Website"

[[checks]]
id = "api-tcp"
component = "api"
kind = "tcp"
address = "127.0.0.1:9"
interval = "60s"
timeout = "1s"

[[checks]]
id = "web-tcp"
component = "web"
kind = "tcp"
address = "127.0.0.1:9"
interval = "60s"
timeout = "1s"
"#;

/// An admin API response: status, headers and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
    pub text: String,
}

impl ApiResponse {
    /// The `error.message` of an error body.
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or_default()
    }

    /// The `error.code` of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    /// Mints an admin token straight into the store (as `beacon token create` does).
    pub async fn create_token(&self) -> String {
        let store = Store::open(&database_url(&self.dir)).await.expect("store");
        let token = beacon::store::generate_token();
        let name = format!("test-{}", &token[4..12]);
        store
            .create_token(&name, &token, chrono::Utc::now())
            .await
            .expect("token created");
        store.close().await;
        token
    }

    /// Sends raw bytes with a content type and an optional token.
    pub async fn admin_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> ApiResponse {
        self.admin_raw_via(&self.client, method, path, token, content_type, body)
            .await
    }

    /// [`TestApp::admin_raw`] through `client` (say, one bound to another
    /// loopback address, which the server sees as another client).
    pub async fn admin_raw_via(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> ApiResponse {
        let mut request = client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.body(body).send().await.expect("request failed");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        ApiResponse {
            status,
            headers,
            body,
            text,
        }
    }

    /// Sends `body` as JSON (or nothing) with `token`.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> ApiResponse {
        match body {
            Some(body) => {
                let bytes = serde_json::to_vec(&body).expect("json");
                self.admin_raw(method, path, Some(token), Some("application/json"), bytes)
                    .await
            }
            None => {
                self.admin_raw(method, path, Some(token), None, Vec::new())
                    .await
            }
        }
    }
}

/// Serves [`ADMIN_CONFIG`] without the probe worker, and mints a token.
pub async fn spawn_admin_app() -> (TestApp, String) {
    let app = spawn_app_in(tempfile::tempdir().expect("tempdir"), ADMIN_CONFIG, false).await;
    let token = app.create_token().await;
    (app, token)
}

/// One result of `check` at `when`, as the probe writer records it.
pub fn recorded(
    check: &str,
    when: chrono::DateTime<chrono::Utc>,
    outcome: beacon::domain::Outcome,
    latency_ms: u64,
) -> beacon::store::Recorded {
    let reason = (outcome != beacon::domain::Outcome::Ok).then(|| format!("{outcome:?} reason"));
    beacon::store::Recorded {
        result: beacon::domain::CheckResult {
            check: beacon::domain::CheckId::parse(check).unwrap(),
            at: when,
            outcome,
            latency: Some(Duration::from_millis(latency_ms)),
            reason,
        },
        tracker: beacon::status::Tracker::NEW.next(outcome, 1, 1),
        day: when.date_naive(),
        counted: true,
        component: None,
    }
}

/// The value of the `/metrics` sample line starting with `name`.
pub fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
}
