//! A webhook receiver that does what a careful one does: recomputes the
//! HMAC-SHA256 of the raw body with the shared secret, records every
//! request by delivery id, and answers as the test switches it at run time
//! (accept, fail with a status, or hang past the sender's timeout).

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::Serving;

/// How the receiver answers the next requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 200 (or 401 when a signature it expects is wrong or missing).
    Accept,
    /// This status.
    Fail(u16),
    /// Never answers: holds the request until the sender gives up.
    Hang,
}

/// What the receiver made of `X-Beacon-Signature`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// No secret was configured here and none was sent.
    Unsigned,
    /// It matches the HMAC of the exact body.
    Valid,
    /// It is missing, malformed or does not match.
    Invalid,
}

/// One request as it arrived, and how it was answered.
#[derive(Debug, Clone)]
pub struct Request {
    /// Its headers.
    pub headers: HeaderMap,
    /// Its raw body.
    pub body: Bytes,
    /// The signature verdict.
    pub signature: Signature,
    /// The answer given (`None`: it was left hanging).
    pub status: Option<u16>,
}

impl Request {
    /// A header as text ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

#[derive(Default)]
struct Log {
    answer: Option<Answer>,
    all: Vec<Request>,
}

#[derive(Clone)]
struct Shared {
    secret: Option<String>,
    log: Arc<Mutex<Log>>,
}

/// An HTTP receiver at [`HookReceiver::url`].
pub struct HookReceiver {
    shared: Shared,
    serving: Serving,
}

impl HookReceiver {
    /// Starts accepting; with `secret`, requests must carry a valid signature.
    pub async fn start(secret: Option<&str>) -> HookReceiver {
        let shared = Shared {
            secret: secret.map(str::to_owned),
            log: Arc::default(),
        };
        let router = Router::new()
            .route("/hook", post(receive))
            .with_state(shared.clone());
        HookReceiver {
            shared,
            serving: Serving::start(router).await,
        }
    }

    /// Where to POST.
    pub fn url(&self) -> String {
        format!("http://{}/hook", self.serving.addr)
    }

    /// Switches how the next requests are answered.
    pub fn answer(&self, answer: Answer) {
        self.shared.log.lock().unwrap().answer = Some(answer);
    }

    /// Every request so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.log.lock().unwrap().all.clone()
    }

    /// The requests carrying this `X-Beacon-Delivery` id.
    pub fn attempts(&self, id: &str) -> Vec<Request> {
        let all = self.requests();
        all.into_iter()
            .filter(|r| r.header("x-beacon-delivery") == id)
            .collect()
    }

    /// How many requests of this `X-Beacon-Event` were accepted (2xx).
    pub fn accepted_events(&self, event: &str) -> usize {
        let all = self.requests();
        all.iter()
            .filter(|r| r.header("x-beacon-event") == event)
            .filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
            .count()
    }

    /// How many requests with this id were accepted (2xx): one per logical
    /// delivery when the receiver deduplicates by id, as it should.
    pub fn accepted(&self, id: &str) -> usize {
        let attempts = self.attempts(id);
        attempts
            .iter()
            .filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
            .count()
    }
}

async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = verify(shared.secret.as_deref(), &headers, &body);
    let answer = shared.log.lock().unwrap().answer.unwrap_or(Answer::Accept);
    let status = match answer {
        Answer::Hang => None,
        Answer::Fail(code) => Some(code),
        Answer::Accept if signature == Signature::Invalid => Some(401),
        Answer::Accept => Some(200),
    };
    shared.log.lock().unwrap().all.push(Request {
        headers,
        body,
        signature,
        status,
    });
    match status {
        Some(code) => StatusCode::from_u16(code).expect("a status code"),
        None => std::future::pending().await,
    }
}

fn verify(secret: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Signature {
    let sent = headers
        .get("x-beacon-signature")
        .and_then(|v| v.to_str().ok());
    let Some(secret) = secret else {
        return match sent {
            None => Signature::Unsigned,
            Some(_) => Signature::Invalid,
        };
    };
    let Some(hex) = sent.and_then(|s| s.strip_prefix("sha256=")) else {
        return Signature::Invalid;
    };
    let Some(bytes) = decode_hex(hex) else {
        return Signature::Invalid;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    match mac.verify_slice(&bytes) {
        Ok(()) => Signature::Valid,
        Err(_) => Signature::Invalid,
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}
