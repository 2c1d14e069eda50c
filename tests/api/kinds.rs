//! The dns, tls and push check kinds end to end: real servers on 127.0.0.1
//! (or real pings) → probe worker → SQLite → the pages.

mod push;
mod servers;

use std::time::Duration;

use crate::helpers::{TestApp, page_text, spawn_app, texts, wait_until};
use servers::{DNS_NAME, DnsServer, SelfSignedTls};

/// A few intervals and thresholds, with room for a slow machine.
pub const SHOWS_WITHIN: Duration = Duration::from_secs(8);

/// One component `id` holding one check of `kind` with `keys`, probed often.
fn one_check(id: &str, kind: &str, keys: &str) -> String {
    format!(
        "[[components]]\nid = \"{id}\"\nname = \"{id}\"\n\
         [[checks]]\nid = \"{id}-check\"\ncomponent = \"{id}\"\nkind = \"{kind}\"\n\
         interval = \"300ms\"\nfailure_threshold = 1\nrecovery_threshold = 1\n{keys}"
    )
}

/// The state cell of a component's (first) check: "Up", "Down", "No Data"...
pub async fn check_state(app: &TestApp, component: &str) -> String {
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
