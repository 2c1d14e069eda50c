//! The dns, tls and push check kinds end to end: real servers on 127.0.0.1
//! (or real pings) → probe worker → SQLite → the pages.

mod servers;

use std::time::Duration;

use crate::helpers::{TestApp, page_text, spawn_app, texts, wait_until};
use servers::{DNS_NAME, DnsServer, SelfSignedTls};

/// A few intervals and thresholds, with room for a slow machine.
const SHOWS_WITHIN: Duration = Duration::from_secs(8);

/// One component `id` holding one check of `kind` with `keys`, probed often.
fn one_check(id: &str, kind: &str, keys: &str) -> String {
    format!(
        "[[components]]\nid = \"{id}\"\nname = \"{id}\"\n\
         [[checks]]\nid = \"{id}-check\"\ncomponent = \"{id}\"\nkind = \"{kind}\"\n\
         interval = \"300ms\"\nfailure_threshold = 1\nrecovery_threshold = 1\n{keys}"
    )
}

/// The state cell of a component's (first) check: "Up", "Down", "No Data"...
async fn check_state(app: &TestApp, component: &str) -> String {
    let (status, html) = app.get(&format!("/components/{component}")).await;
    assert_eq!(status, 200, "/components/{component}");
    texts(&html, "td[data-label=\"State\"]").join(" ")
}

#[tokio::test]
async fn dns_checks_ask_the_configured_server_and_name_what_is_missing() {
    let dns = DnsServer::start().await;
    let resolver = dns.addr;
    let closed = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port");
    let dns_check = |id: &str, keys: &str, server| {
        let keys = format!("{keys}\nresolver = \"{server}\"\n");
        one_check(id, "dns", &keys)
    };
    let name = format!("name = \"{DNS_NAME}\"");
    let config = [
        dns_check("a", &format!("{name}\nexpect = \"10.1.2.4\""), resolver),
        dns_check(
            "mx",
            &format!("{name}\nrecord = \"MX\"\nexpect = \"MAIL.beacon.test.\""),
            resolver,
        ),
        dns_check(
            "txt",
            &format!("{name}\nrecord = \"TXT\"\nexpect = \"beacon-ok\""),
            resolver,
        ),
        dns_check("wrong", &format!("{name}\nexpect = \"10.9.9.9\""), resolver),
        dns_check("missing", "name = \"nope.beacon.test\"", resolver),
        dns_check("aaaa", &format!("{name}\nrecord = \"AAAA\""), resolver),
        dns_check("dead", &name, closed),
    ]
    .concat();
    let app = spawn_app(&config).await;

    for id in ["a", "mx", "txt"] {
        wait_until(SHOWS_WITHIN, &format!("{id} up"), || async {
            check_state(&app, id).await.contains("Up")
        })
        .await;
    }
    let reasons = [
        ("wrong", "the expected value is not among the 2 A answers"),
        ("missing", "no A records (the name does not exist)"),
        ("aaaa", "no AAAA records"),
        ("dead", "timeout after 150ms"),
    ];
    for (id, reason) in reasons {
        wait_until(SHOWS_WITHIN, &format!("{id} shows {reason:?}"), || async {
            page_text(&app.get(&format!("/components/{id}")).await.1).contains(reason)
        })
        .await;
    }
    app.stop().await;
}

#[tokio::test]
async fn a_tls_check_against_a_self_signed_certificate_shows_not_trusted() {
    let server = SelfSignedTls::start().await;
    let keys = format!(
        "address = \"{}\"\nserver_name = \"localhost\"\n",
        server.addr
    );
    let app = spawn_app(&one_check("web", "tls", &keys)).await;

    wait_until(SHOWS_WITHIN, "tls check down, not trusted", || async {
        let text = page_text(&app.get("/components/web").await.1);
        text.contains("certificate not trusted: unknown issuer")
    })
    .await;
    assert!(check_state(&app, "web").await.contains("Down"));
    let text = page_text(&app.get("/components/web").await.1);
    assert!(text.contains("tls"), "{text}");
    let port = format!(":{}", server.addr.port());
    assert!(!text.contains(&port), "the address is private: {text}");
    app.stop().await;
}

const TOKEN: &str = "nightly-backup_0123456789";

/// A push check `backup` (interval 500ms, grace 250ms) in component `jobs`.
fn push_config() -> String {
    format!(
        "[[components]]\nid = \"jobs\"\nname = \"Jobs\"\n\
         [[checks]]\nid = \"backup\"\ncomponent = \"jobs\"\nkind = \"push\"\ntoken = \"{TOKEN}\"\n\
         interval = \"500ms\"\ngrace = \"250ms\"\nfailure_threshold = 1\nrecovery_threshold = 1\n"
    )
}

/// Pings `backup` with `method`; the status code.
async fn ping(app: &TestApp, method: reqwest::Method) -> u16 {
    let url = app.url(&format!("/api/push/{TOKEN}"));
    let response = app.client.request(method, url).send().await.expect("ping");
    response.status().as_u16()
}

/// Waits until `jobs` shows `state`; with `keep_pinging`, the job goes on
/// calling about every 700 ms meanwhile, as a job with that interval would,
/// so a short "up" cannot slip between two page refreshes.
async fn wait_for_state(app: &TestApp, state: &str, keep_pinging: Option<reqwest::Method>) {
    let mut polls = 0;
    wait_until(SHOWS_WITHIN, &format!("push check {state}"), || {
        polls += 1;
        let method = keep_pinging.clone().filter(|_| polls % 7 == 0);
        async move {
            if let Some(method) = method {
                ping(app, method).await;
            }
            check_state(app, "jobs").await.contains(state)
        }
    })
    .await;
}

#[tokio::test]
async fn a_push_check_has_no_data_until_pinged_is_up_after_a_ping_and_down_when_pings_stop() {
    let app = spawn_app(&push_config()).await;

    // Over three intervals without a ping: still no data, and the monitor
    // is ready (it is the job that has not called yet, not the worker).
    tokio::time::sleep(Duration::from_millis(2_200)).await;
    assert!(check_state(&app, "jobs").await.contains("No Data"));
    assert_eq!(app.get("/readyz").await.0, 200);

    let response = app.client.post(app.url(&format!("/api/push/{TOKEN}")));
    let response = response.send().await.expect("ping");
    assert_eq!(response.status(), 204);
    assert_eq!(response.text().await.expect("body"), "");
    wait_for_state(&app, "Up", Some(reqwest::Method::POST)).await;

    wait_for_state(&app, "Down", None).await;
    let text = page_text(&app.get("/components/jobs").await.1);
    assert!(text.contains("no ping within 750ms"), "{text}");
    assert!(!text.contains(TOKEN), "the token stays secret: {text}");

    assert_eq!(ping(&app, reqwest::Method::GET).await, 204, "GET pings too");
    wait_for_state(&app, "Up", Some(reqwest::Method::GET)).await;
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_push_token_is_a_json_404() {
    let app = spawn_app(&push_config()).await;
    for path in ["/api/push/not-a-configured-token", "/api/push/x"] {
        let response = app.client.post(app.url(path)).send().await.expect("post");
        assert_eq!(response.status(), 404, "{path}");
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.expect("body")).expect("JSON body");
        assert_eq!(body["error"]["code"], "not_found", "{body}");
        assert!(body["error"]["message"].is_string(), "{body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn push_pings_beyond_ten_in_ten_seconds_are_answered_429_with_retry_after() {
    let app = spawn_app(&push_config()).await;
    let url = app.url(&format!("/api/push/{TOKEN}"));
    for n in 1..=10 {
        let status = app.client.get(&url).send().await.expect("ping").status();
        assert_eq!(status, 204, "ping {n}");
    }
    let response = app.client.post(&url).send().await.expect("ping 11");
    assert_eq!(response.status(), 429);
    let retry_after = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse::<u64>()
        .expect("seconds");
    assert!((1..=10).contains(&retry_after), "{retry_after}");
    let body: serde_json::Value =
        serde_json::from_str(&response.text().await.expect("body")).expect("JSON body");
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");
    app.stop().await;
}
