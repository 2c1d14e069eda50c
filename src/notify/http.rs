//! The HTTP side shared by webhook, chat and SMS: one client, one POST
//! bounded by a timeout, and the answer read as an [`Outcome`].
//!
//! Any 2xx is delivered; anything else — another status, a timeout, a
//! connection or TLS error — is retried (SPEC §8 for webhooks, kept for chat
//! and SMS so that a receiver repaired within the backoff window still gets
//! the alert). Redirects are not followed: a POST turned into a GET, or a
//! signed body sent to another host, is not a delivery.

use std::error::Error;
use std::time::Duration;

use reqwest::{Client, RequestBuilder, StatusCode, redirect};

use super::outcome::Outcome;

/// How much of an error answer's body is kept in the reason.
const REASON_BODY_CHARS: usize = 200;
/// How much of it is read.
const REASON_BODY_BYTES: usize = 4096;

/// The client every HTTP transport shares: no redirects, Beacon's user agent.
pub fn client() -> reqwest::Result<Client> {
    Client::builder()
        .redirect(redirect::Policy::none())
        .user_agent(concat!("beacon/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Sends `request`, giving up after `timeout` (connect, answer and body).
pub(super) async fn post(request: RequestBuilder, timeout: Duration) -> Outcome {
    let mut response = match request.timeout(timeout).send().await {
        Ok(response) => response,
        Err(e) => return Outcome::Retry(error_reason(&e, timeout)),
    };
    let status = response.status();
    if status.is_success() {
        return Outcome::Delivered;
    }
    // The body often says why ("invalid_token", a gateway's error message);
    // its start is enough, however much the receiver sends.
    let mut body = Vec::new();
    while body.len() < REASON_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    Outcome::Retry(status_reason(status, &String::from_utf8_lossy(&body)))
}

/// "HTTP 500 Internal Server Error: <the start of the body>".
fn status_reason(status: StatusCode, body: &str) -> String {
    let mut reason = format!("HTTP {status}");
    if status.is_redirection() {
        reason.push_str(" (redirects are not followed)");
    }
    let said: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(REASON_BODY_CHARS)
        .collect();
    let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
    if !said.is_empty() {
        reason.push_str(": ");
        reason.push_str(&said);
    }
    reason
}

/// What went wrong, without the URL reqwest puts in its own text.
fn error_reason(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("timed out after {}", humantime::format_duration(timeout));
    }
    // The innermost cause says it best ("Connection refused (os error
    // 111)", "invalid peer certificate: UnknownIssuer") and names no URL.
    let innermost = std::iter::successors(e.source(), |s| (*s).source()).last();
    let what = if e.is_connect() {
        "cannot connect"
    } else if e.is_request() {
        "request failed"
    } else {
        "reading the answer failed"
    };
    match innermost {
        Some(cause) => format!("{what}: {cause}"),
        None => what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_reasons_are_one_readable_line() {
        let cases = [
            (500, "", "HTTP 500 Internal Server Error"),
            (404, "no_service\n", "HTTP 404 Not Found: no_service"),
            (302, "", "HTTP 302 Found (redirects are not followed)"),
            (
                400,
                "{\"code\": 21211,\r\n \"message\":\t\"bad To\"}",
                "HTTP 400 Bad Request: {\"code\": 21211, \"message\": \"bad To\"}",
            ),
        ];
        for (code, body, want) in cases {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(status_reason(status, body), want);
        }
        let long = "x".repeat(1000);
        let reason = status_reason(StatusCode::BAD_GATEWAY, &long);
        assert_eq!(
            reason.len(),
            "HTTP 502 Bad Gateway: ".len() + REASON_BODY_CHARS
        );
    }
}
