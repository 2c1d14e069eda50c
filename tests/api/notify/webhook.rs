//! `webhook`: the exact body, signed; retried with the same id and bytes
//! after a 500, a hang past the timeout or a refused connection.

use std::time::{Duration, Instant};

use beacon::notify::{Delivery, Outcome, Secret, Webhook, client};
use chrono::{TimeZone, Utc};
use serde_json::json;

use crate::receivers::{Answer, HookReceiver, Signature};

const SECRET: &str = "whsec-correct-horse";

fn delivery(id: &str) -> Delivery {
    let fields = json!({
        "page": { "id": "acme", "name": "Acme Status", "url": "https://status.acme.example" },
        "component": { "id": "api", "name": "Public API — Ünïcode & <tags>", "status": "major_outage" },
    });
    let at = Utc.with_ymd_and_hms(2026, 5, 1, 12, 30, 0).unwrap();
    Delivery::new(id, "check.down", at, fields.as_object().unwrap().clone())
}

fn hook(url: &str, secret: Option<&str>) -> Webhook {
    let secret = secret.map(Secret::new);
    Webhook::new(client().unwrap(), url, secret.as_ref()).unwrap()
}

#[tokio::test]
async fn webhook_posts_the_exact_body_signed_with_event_and_delivery_headers() {
    let receiver = HookReceiver::start(Some(SECRET)).await;
    let sent = delivery("dlv-1");

    let outcome = hook(&receiver.url(), Some(SECRET)).send(&sent).await;

    assert_eq!(outcome, Outcome::Delivered);
    let got = receiver.requests();
    assert_eq!(got.len(), 1);
    let request = &got[0];
    assert_eq!(request.signature, Signature::Valid);
    assert_eq!(
        request.body, sent.body,
        "the bytes signed are the bytes sent"
    );
    assert_eq!(request.header("content-type"), "application/json");
    assert_eq!(request.header("x-beacon-event"), "check.down");
    assert_eq!(request.header("x-beacon-delivery"), "dlv-1");
    let body = request.json();
    assert_eq!(body["id"], "dlv-1");
    assert_eq!(body["event"], "check.down");
    assert_eq!(body["occurred_at"], "2026-05-01T12:30:00Z");
    assert_eq!(body["component"]["name"], "Public API — Ünïcode & <tags>");
    assert_eq!(body["page"]["url"], "https://status.acme.example");
}

#[tokio::test]
async fn a_wrong_secret_fails_verification_and_no_secret_sends_no_signature() {
    let receiver = HookReceiver::start(Some(SECRET)).await;
    let outcome = hook(&receiver.url(), Some("not-the-secret"))
        .send(&delivery("dlv-2"))
        .await;
    assert_eq!(outcome, Outcome::Retry("HTTP 401 Unauthorized".into()));
    assert_eq!(receiver.requests()[0].signature, Signature::Invalid);

    let unsigned = HookReceiver::start(None).await;
    let outcome = hook(&unsigned.url(), None).send(&delivery("dlv-3")).await;
    assert_eq!(outcome, Outcome::Delivered);
    let request = &unsigned.requests()[0];
    assert_eq!(request.signature, Signature::Unsigned);
    assert_eq!(request.header("x-beacon-signature"), "");
}

#[tokio::test]
async fn a_500_is_retried_with_the_same_id_and_bytes_until_accepted() {
    let receiver = HookReceiver::start(Some(SECRET)).await;
    let target = hook(&receiver.url(), Some(SECRET));
    let sent = delivery("dlv-4");

    receiver.answer(Answer::Fail(500));
    for _ in 0..3 {
        let outcome = target.send(&sent).await;
        assert_eq!(
            outcome,
            Outcome::Retry("HTTP 500 Internal Server Error".into())
        );
    }
    receiver.answer(Answer::Accept);
    assert_eq!(target.send(&sent).await, Outcome::Delivered);

    let attempts = receiver.attempts("dlv-4");
    assert_eq!(attempts.len(), 4);
    for attempt in &attempts {
        assert_eq!(attempt.body, sent.body);
        assert_eq!(attempt.signature, Signature::Valid);
    }
    assert_eq!(receiver.accepted("dlv-4"), 1, "one logical delivery");
}

#[tokio::test]
async fn a_hanging_receiver_is_a_retry_once_the_timeout_passes() {
    let receiver = HookReceiver::start(None).await;
    let timeout = Duration::from_millis(500);
    let target = hook(&receiver.url(), None).with_timeout(timeout);
    receiver.answer(Answer::Hang);

    let started = Instant::now();
    let outcome = target.send(&delivery("dlv-5")).await;
    let took = started.elapsed();

    assert_eq!(outcome, Outcome::Retry("timed out after 500ms".into()));
    assert!(took >= timeout, "gave up early: {took:?}");
    assert!(
        took < Duration::from_secs(5),
        "not bounded by the timeout: {took:?}"
    );
    receiver.answer(Answer::Accept);
    assert_eq!(target.send(&delivery("dlv-5")).await, Outcome::Delivered);
    assert_eq!(receiver.attempts("dlv-5").len(), 2);
    assert_eq!(receiver.accepted("dlv-5"), 1);
}

#[tokio::test]
async fn refused_connections_and_redirects_are_retried_naming_no_url() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook/t0ken", closed.local_addr().unwrap());
    drop(closed);
    let outcome = hook(&url, None).send(&delivery("dlv-6")).await;
    let Outcome::Retry(why) = outcome else {
        panic!("not a retry: {outcome:?}");
    };
    assert!(why.starts_with("cannot connect: "), "{why}");
    assert!(why.contains("refused"), "{why}");
    assert!(
        !why.contains("t0ken") && !why.contains("127.0.0.1"),
        "{why}"
    );

    let receiver = HookReceiver::start(None).await;
    receiver.answer(Answer::Fail(301));
    let outcome = hook(&receiver.url(), None).send(&delivery("dlv-7")).await;
    assert_eq!(
        outcome,
        Outcome::Retry("HTTP 301 Moved Permanently (redirects are not followed)".into())
    );
}
