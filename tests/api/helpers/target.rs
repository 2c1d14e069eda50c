//! Target servers whose answer a test switches live, and the config that probes one.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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
