//! The probe worker end to end: real targets → SQLite → the pages.

use std::time::Duration;

use crate::helpers::{Mode, Target, one_check_config, page_text, spawn_app, wait_until};

/// interval × failure_threshold plus a few seconds (SPEC: outage shows that fast).
const SHOWS_WITHIN: Duration = Duration::from_secs(8);

#[tokio::test]
async fn an_outage_shows_with_its_reason_and_clears_on_recovery() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&one_check_config(&target.url())).await;

    wait_until(SHOWS_WITHIN, "green page", || async {
        page_text(&app.get("/").await.1).contains("All Systems Operational")
    })
    .await;

    target.set(Mode::Status(503));
    wait_until(SHOWS_WITHIN, "outage on /", || async {
        let page = page_text(&app.get("/").await.1);
        page.contains("Major System Outage") && page.contains("Major Outage")
    })
    .await;
    let (status, html) = app.get("/components/api").await;
    assert_eq!(status, 200);
    let text = page_text(&html);
    assert!(text.contains("status 503, expected 2xx"), "{text}");
    assert!(text.contains("Down"), "{text}");

    target.set(Mode::Ok);
    wait_until(SHOWS_WITHIN, "recovery on /", || async {
        page_text(&app.get("/").await.1).contains("All Systems Operational")
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn every_failure_has_a_readable_reason() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let cases = [
        ("status", Mode::Status(503), "status 503, expected 2xx"),
        (
            "slow",
            Mode::Slow(Duration::from_secs(3)),
            "timeout after 250ms",
        ),
        ("body", Mode::WrongBody, "body did not contain \"ok\""),
        ("closed", Mode::Close, "connection closed"),
        ("redirects", Mode::RedirectLoop, "too many redirects"),
        ("huge", Mode::Huge, "body did not contain \"ok\""),
    ];
    let mut targets = Vec::new();
    let mut config = String::from("[site]\ntitle = \"Reasons\"\n");
    for (id, mode, _) in &cases {
        let target = Target::start(mode.clone()).await;
        config += &format!(
            "[[components]]\nid = \"{id}\"\nname = \"{id}\"\n[[checks]]\nid = \"{id}-check\"\ncomponent = \"{id}\"\n\
             kind = \"http\"\nurl = \"{}\"\ninterval = \"400ms\"\ntimeout = \"250ms\"\nexpect_body = \"ok\"\n\
             failure_threshold = 1\n",
            target.url()
        );
        targets.push(target);
    }
    config += &format!(
        "[[components]]\nid = \"refused\"\nname = \"refused\"\n[[checks]]\nid = \"refused-check\"\n\
         component = \"refused\"\nkind = \"tcp\"\naddress = \"{closed_port}\"\ninterval = \"400ms\"\ntimeout = \"250ms\"\n\
         failure_threshold = 1\n"
    );
    let app = spawn_app(&config).await;

    let expected = cases
        .iter()
        .map(|(id, _, reason)| (*id, *reason))
        .chain([("refused", "connection refused")]);
    for (id, reason) in expected {
        wait_until(SHOWS_WITHIN, &format!("{id} shows {reason:?}"), || async {
            page_text(&app.get(&format!("/components/{id}")).await.1).contains(reason)
        })
        .await;
    }
    app.stop().await;
}

#[tokio::test]
async fn slow_answers_degrade_and_one_down_check_of_two_is_a_partial_outage() {
    let slow = Target::start(Mode::Slow(Duration::from_millis(60))).await;
    let up = Target::start(Mode::Ok).await;
    let down = Target::start(Mode::Status(500)).await;
    let config = format!(
        r#"
[[components]]
id = "search"
name = "Search"
[[components]]
id = "web"
name = "Website"
[[checks]]
id = "search-latency"
component = "search"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
degraded_over = "20ms"
failure_threshold = 2
[[checks]]
id = "web-up"
component = "web"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
[[checks]]
id = "web-down"
component = "web"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
"#,
        slow.url(),
        up.url(),
        down.url()
    );
    let app = spawn_app(&config).await;
    wait_until(SHOWS_WITHIN, "partial outage and degraded", || async {
        let page = page_text(&app.get("/").await.1);
        page.contains("Partial System Outage")
            && page.contains("Partial Outage")
            && page.contains("Degraded Performance")
    })
    .await;
    let text = page_text(&app.get("/components/search").await.1);
    assert!(text.contains("Degraded"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn a_fresh_start_shows_a_60_second_check_at_once() {
    let target = Target::start(Mode::Ok).await;
    let config =
        one_check_config(&target.url()).replace("interval = \"300ms\"", "interval = \"60s\"");
    assert!(config.contains("interval = \"60s\""), "{config}");
    let app = spawn_app(&config).await;
    wait_until(Duration::from_secs(5), "first result on /", || async {
        page_text(&app.get("/").await.1).contains("All Systems Operational")
    })
    .await;
    app.stop().await;
}
