//! Push checks (SPEC §2): no data until the first ping or until `interval +
//! grace` after start-up, down when pings stop, and a rate limit that only
//! stops floods.

use std::time::{Duration, Instant};

use super::{SHOWS_WITHIN, check_state};
use crate::helpers::{TestApp, page_text, spawn_app, wait_until};

const TOKEN: &str = "nightly-backup_0123456789";

/// A push check `backup` (interval 500ms, grace 250ms) in component `jobs`.
fn push_config() -> String {
    config(
        "500ms",
        "250ms",
        "failure_threshold = 1\nrecovery_threshold = 1\n",
    )
}

/// A push check `backup` in component `jobs` with these timings and `extra` keys.
fn config(interval: &str, grace: &str, extra: &str) -> String {
    format!(
        "[[components]]\nid = \"jobs\"\nname = \"Jobs\"\n\
         [[checks]]\nid = \"backup\"\ncomponent = \"jobs\"\nkind = \"push\"\ntoken = \"{TOKEN}\"\n\
         interval = \"{interval}\"\ngrace = \"{grace}\"\n{extra}"
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
async fn a_push_check_is_up_after_a_ping_and_down_when_pings_stop() {
    let app = spawn_app(&push_config()).await;

    // Never pinged: down once the start-up window is over, and the monitor
    // is ready (its results are fresh; it is the job that has not called).
    wait_for_state(&app, "Down", None).await;
    let text = page_text(&app.get("/components/jobs").await.1);
    assert!(text.contains("no ping within 750ms of start-up"), "{text}");
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

/// The component's status in `/api/v2/components.json`.
async fn v2_status(app: &TestApp) -> String {
    let (status, body) = app.get("/api/v2/components.json").await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let jobs = json["components"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["name"] == "Jobs").cloned());
    let jobs = jobs.unwrap_or_else(|| panic!("no Jobs component in {body}"));
    jobs["status"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_push_check_that_is_never_pinged_goes_down_after_interval_plus_grace() {
    let started = Instant::now();
    let app = spawn_app(&config("2s", "1s", "")).await;

    // Inside the start-up window there is nothing to say yet.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    if started.elapsed() < Duration::from_millis(2_800) {
        assert!(check_state(&app, "jobs").await.contains("No Data"));
    }

    // Down within interval + grace + 2 s of start-up, on the page and in v2.
    let limit = Duration::from_secs(2 + 1 + 2).saturating_sub(started.elapsed());
    wait_until(limit, "never-pinged check down", || async {
        check_state(&app, "jobs").await.contains("Down") && v2_status(&app).await == "major_outage"
    })
    .await;
    let text = page_text(&app.get("/components/jobs").await.1);
    assert!(text.contains("no ping within 3s of start-up"), "{text}");

    // The job turns up: pings bring it back after recovery_threshold (2) results.
    let back = Duration::from_secs(3 * 2 + 4);
    let mut last_ping: Option<Instant> = None;
    wait_until(back, "pinged check up again", || {
        let due = last_ping.is_none_or(|at| at.elapsed() >= Duration::from_secs(1));
        if due {
            last_ping = Some(Instant::now());
        }
        let app = &app;
        async move {
            if due {
                assert_eq!(ping(app, reqwest::Method::POST).await, 204);
            }
            check_state(app, "jobs").await.contains("Up") && v2_status(app).await == "operational"
        }
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn push_pings_are_only_limited_against_floods() {
    let app = spawn_app(&config("2s", "1s", "")).await;

    // A job pinging five times a second, for four seconds: never refused.
    for n in 1..=20 {
        let sent = Instant::now();
        assert_eq!(ping(&app, reqwest::Method::POST).await, 204, "ping {n}");
        tokio::time::sleep(Duration::from_millis(200).saturating_sub(sent.elapsed())).await;
    }

    // 200 at once: a flood, answered 429 with Retry-After beyond the burst.
    let url = app.url(&format!("/api/push/{TOKEN}"));
    let mut flood = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let request = app.client.get(&url);
        flood.spawn(async move { request.send().await.expect("ping") });
    }
    let (mut accepted, mut limited) = (0, Vec::new());
    while let Some(response) = flood.join_next().await {
        let response = response.expect("task");
        match response.status().as_u16() {
            204 => accepted += 1,
            429 => limited.push(response),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(limited.len() >= 100, "{accepted} accepted of 200");
    assert!(accepted >= 1, "the burst is accepted");
    let response = limited.pop().expect("a 429");
    let retry_after = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse::<u64>()
        .expect("seconds");
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let body: serde_json::Value =
        serde_json::from_str(&response.text().await.expect("body")).expect("JSON body");
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");
    app.stop().await;
}
