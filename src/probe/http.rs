//! `kind = "http"`: status, optional body substring, latency (SPEC §2).

use std::time::{Duration, Instant};

use reqwest::{Client, Method, redirect};

use super::Attempt;
use super::reasons::http_reason;
use crate::domain::HttpCheck;

/// At most this much of a body is read (SPEC §2: 1 MiB).
pub const MAX_BODY: usize = 1024 * 1024;
/// Redirects followed; one more is a failure (SPEC §2).
pub const MAX_REDIRECTS: usize = 5;

/// The client shared by all HTTP checks: no connection reuse, so every
/// attempt measures a real connect, and redirects capped at [`MAX_REDIRECTS`].
pub fn client() -> reqwest::Result<Client> {
    Client::builder()
        .redirect(redirect::Policy::limited(MAX_REDIRECTS))
        .pool_max_idle_per_host(0)
        .user_agent(concat!("beacon/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// One attempt. The caller bounds it with the check's timeout.
pub async fn run(client: &Client, check: &HttpCheck) -> Attempt {
    let started = Instant::now();
    let method = Method::from_bytes(check.method.as_bytes()).unwrap_or(Method::GET);
    let mut request = client.request(method, &check.url);
    for (name, value) in &check.headers {
        request = request.header(name, value);
    }
    let mut response = match request.send().await {
        Ok(r) => r,
        Err(e) => return Attempt::failed(http_reason(&e), None),
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_BODY - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if body.len() >= MAX_BODY {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                return Attempt::failed(
                    format!("reading body: {}", http_reason(&e)),
                    Some(started.elapsed()),
                );
            }
        }
    }
    let latency = Some(started.elapsed());
    if !check.expect_status.iter().any(|m| m.matches(status)) {
        let expected: Vec<String> = check
            .expect_status
            .iter()
            .map(ToString::to_string)
            .collect();
        return Attempt::failed(
            format!("status {status}, expected {}", expected.join(" or ")),
            latency,
        );
    }
    if let Some(needle) = &check.expect_body
        && !contains(&body, needle.as_bytes())
    {
        return Attempt::failed(format!("body did not contain {needle:?}"), latency);
    }
    Attempt {
        failure: None,
        latency,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The check's timeout, as people write it ("500ms", "5s").
pub fn timeout_reason(timeout: Duration) -> String {
    format!("timeout after {}", humantime::format_duration(timeout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_search() {
        assert!(contains(b"status: ok", b"ok"));
        assert!(!contains(b"status: fine", b"ok"));
        assert!(contains(b"", b""));
        assert!(!contains(b"o", b"ok"));
    }

    #[test]
    fn timeout_reason_reads_like_the_config() {
        assert_eq!(
            timeout_reason(Duration::from_millis(500)),
            "timeout after 500ms"
        );
        assert_eq!(timeout_reason(Duration::from_secs(5)), "timeout after 5s");
    }
}
