//! The real `beacon` binary under test: started over a config in a temp
//! dir, its URL read from stdout, its stderr kept for assertions, killed on
//! drop; plus a TCP target for its checks and small HTTP helpers.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `beacon` with a clean environment (no `BEACON_*` from the caller).
pub fn command(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beacon"));
    cmd.current_dir(cwd)
        .env_remove("BEACON_CONFIG")
        .env_remove("BEACON_DATABASE_URL")
        .env_remove("BEACON_LISTEN")
        .env("RUST_LOG", "warn");
    cmd
}

/// A running `beacon serve` (or `beacon probe`).
pub struct Beacon {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash); empty for `probe`.
    pub base: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Beacon {
    /// Writes `config` to `dir/beacon.toml` and runs `beacon ARGS` with it
    /// and `database`; for `serve`, waits for the URL it prints.
    pub fn start(dir: &Path, config: &str, database: &str, args: &[&str]) -> Beacon {
        let path = dir.join("beacon.toml");
        std::fs::write(&path, config).expect("write config");
        let mut child = command(dir)
            .arg("--config")
            .arg(&path)
            .args(["--database", database, "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn beacon");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&stderr);
        let err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let out = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut beacon = Beacon {
            child,
            base: String::new(),
            stderr,
        };
        if args.first() == Some(&"serve") {
            let line = rx
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("beacon printed no URL: {:?}", beacon.stderr()));
            let start = line.find("http://").expect("a URL in the first line");
            let url = line[start..].split_whitespace().next().unwrap_or_default();
            beacon.base = url.trim_end_matches('/').to_owned();
        }
        beacon
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn addr(&self) -> SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("host:port")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Lines written to stderr so far.
    pub fn stderr(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends a signal (`-TERM`, `-STOP`, `-CONT`).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.pid().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill {signal}");
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resident memory in KiB, from `/proc/PID/status`.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .expect("VmRSS")
    }

    /// Creates an admin token with `beacon token create` over the same database.
    pub fn token(dir: &Path, database: &str, name: &str) -> String {
        let out = command(dir)
            .args(["--database", database, "token", "create", name])
            .output()
            .expect("beacon token create");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    }
}

impl Drop for Beacon {
    fn drop(&mut self) {
        // A stopped process cannot die of SIGKILL until continued.
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-CONT", &self.pid().to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port that accepts and closes connections: the target of `tcp` checks.
pub struct Sink {
    pub addr: SocketAddr,
}

impl Sink {
    pub fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind sink");
        let addr = listener.local_addr().expect("addr");
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                drop(stream);
            }
        });
        Sink { addr }
    }
}

/// One component `api` with one `tcp` check `api-tcp` of `interval` on `target`,
/// and extra `[server]` keys.
pub fn config(target: SocketAddr, interval: &str, server: &str) -> String {
    format!(
        r#"
[site]
title = "Fault Test"

[server]
{server}

[[components]]
id = "api"
name = "Public API"

[[checks]]
id = "api-tcp"
component = "api"
kind = "tcp"
address = "{target}"
interval = "{interval}"
timeout = "100ms"
"#
    )
}

/// `sqlite://DIR/beacon.db`.
pub fn database_in(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("beacon.db").display())
}

/// A client with a short timeout.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .expect("client")
}

/// GET → (status, body as JSON or `Null`).
pub async fn get_json(client: &reqwest::Client, url: &str) -> (u16, serde_json::Value) {
    let response = client.get(url).send().await.expect("GET");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or_default())
}

/// A maintenance that starts in an hour, as the admin API takes it.
pub fn maintenance(title: &str) -> serde_json::Value {
    let start = chrono::Utc::now() + chrono::Duration::hours(1);
    serde_json::json!({
        "title": title,
        "starts_at": start.to_rfc3339(),
        "ends_at": (start + chrono::Duration::hours(1)).to_rfc3339(),
        "components": ["api"],
    })
}

/// POST /api/admin/maintenances → (status, Retry-After, body).
pub async fn post_maintenance(
    client: &reqwest::Client,
    beacon: &Beacon,
    token: &str,
    title: &str,
) -> (u16, Option<String>, serde_json::Value) {
    let response = client
        .post(beacon.url("/api/admin/maintenances"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(maintenance(title).to_string())
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = serde_json::from_str(&response.text().await.expect("body")).unwrap_or_default();
    (status, retry, body)
}

/// Polls `probe` every 50 ms until it returns true or `limit` passes;
/// returns how long it took.
pub async fn wait_until<F, Fut>(limit: Duration, what: &str, mut probe: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if probe().await {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A `beacon serve` over its own temp dir whose one check probes a
/// [`Sink`] every `interval`; derefs to its [`Beacon`].
pub struct Served {
    pub beacon: Beacon,
    pub database: String,
    pub dir: tempfile::TempDir,
}

impl Served {
    /// Serves with extra `[server]` keys, the database in the temp dir.
    pub fn start(interval: &str, server: &str) -> Served {
        let dir = scratch();
        let database = database_in(dir.path());
        Served::start_on(dir, database, interval, server)
    }

    /// Serves over `database` (which may live elsewhere, below `dir`).
    pub fn start_on(
        dir: tempfile::TempDir,
        database: String,
        interval: &str,
        server: &str,
    ) -> Served {
        let config = config(Sink::start().addr, interval, server);
        let beacon = Beacon::start(dir.path(), &config, &database, &["serve"]);
        Served {
            beacon,
            database,
            dir,
        }
    }

    /// A new admin token, made with `beacon token create`.
    pub fn token(&self) -> String {
        Beacon::token(self.dir.path(), &self.database, "ops")
    }
}

impl std::ops::Deref for Served {
    type Target = Beacon;
    fn deref(&self) -> &Beacon {
        &self.beacon
    }
}

impl std::ops::DerefMut for Served {
    fn deref_mut(&mut self) -> &mut Beacon {
        &mut self.beacon
    }
}

/// Asserts a refused write: 503, `Retry-After: 5`, the JSON error shape
/// naming `cause`.
pub fn assert_unavailable(retry_after: Option<&str>, body: &serde_json::Value, cause: &str) {
    assert_eq!(retry_after, Some("5"), "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(cause), "{body}");
}

/// A scratch directory that lives as long as the test.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}
