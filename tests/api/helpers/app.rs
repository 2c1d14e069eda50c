//! A real Beacon on port 0 over a fresh SQLite file, and clients to call it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use beacon::app::{self, Running};
use beacon::config::Config;
use beacon::domain::RegionId;
use beacon::store::Store;
use tempfile::TempDir;
use tokio::net::TcpListener;

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
    let running = app::start(listener, config, store, probe.then(RegionId::default))
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
