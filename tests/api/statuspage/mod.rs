//! The Statuspage-compatible API v2: shapes against hand-written reference
//! payloads (`tests/fixtures/statuspage/`, from statuspage-v2.md), enum
//! values in several states, agreement with `/`, CORS and caching.

mod contract;
mod shape;
mod states;

use std::time::Duration;

use chrono::Utc;
use serde_json::Value;

use crate::helpers::{Mode, Target, TestApp, texts, wait_until};
use shape::{ENDPOINTS, fixture, shape_problems, value_problems};

async fn get_json(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// Every endpoint fits its reference and holds only allowed values.
async fn check_all_endpoints(app: &TestApp, state: &str) {
    for (path, name) in ENDPOINTS {
        let payload = get_json(app, path).await;
        let mut problems = shape_problems("", &payload, &fixture(name));
        value_problems("", &payload, &mut problems);
        assert!(problems.is_empty(), "{state}: {path}: {problems:#?}");
    }
}

async fn indicator(app: &TestApp) -> String {
    get_json(app, "/api/v2/status.json").await["status"]["indicator"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the server's snapshot was built after everything written up
/// to now through a second store handle (another process, as far as the
/// server knows: its revision poll picks writes up within a second).
async fn wait_for_snapshot_of_writes_so_far(app: &TestApp) {
    let written = Utc::now();
    wait_until(
        Duration::from_secs(5),
        "a snapshot after the writes",
        || async {
            let ready: Value = serde_json::from_str(&app.get("/readyz").await.1).unwrap();
            let built = ready["snapshot_built_at"].as_str().unwrap_or_default();
            chrono::DateTime::parse_from_rfc3339(built).is_ok_and(|t| t > written)
        },
    )
    .await;
}

async fn wait_for_indicator(app: &TestApp, want: &str) {
    wait_until(Duration::from_secs(10), want, || async {
        indicator(app).await == want
    })
    .await;
}

/// Waits until every check has reported (the banner turns green).
async fn wait_for_results(app: &TestApp) {
    wait_until(Duration::from_secs(10), "first results", || async {
        texts(&app.get("/").await.1, ".banner-text").join(" ") == "All Systems Operational"
    })
    .await;
}

/// summary.json's status is what `/` shows in its banner (same snapshot).
async fn summary_agrees_with_banner(app: &TestApp) {
    wait_until(Duration::from_secs(5), "summary agrees with /", || async {
        let summary = get_json(app, "/api/v2/summary.json").await;
        let banner = texts(&app.get("/").await.1, ".banner-text").join(" ");
        summary["status"]["description"].as_str() == Some(banner.as_str())
    })
    .await;
}

fn component<'a>(payload: &'a Value, id: &str) -> &'a Value {
    payload["components"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no component {id} in {payload}"))
}

/// `api` (two checks, group Core), `db` (one check, degraded over 100 ms,
/// group Core), `web` (no checks, ungrouped).
fn config(a: &Target, b: &Target, c: &Target) -> String {
    format!(
        r#"
[site]
title = "Test Status"
url = "https://status.test.example"

[[components]]
id = "api"
name = "Public API"
group = "Core"

[[components]]
id = "web"
name = "Website"

[[components]]
id = "db"
name = "Database"
group = "Core"
auto_incidents = false

[[checks]]
id = "api-a"
component = "api"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
recovery_threshold = 2

[[checks]]
id = "api-b"
component = "api"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
recovery_threshold = 2

[[checks]]
id = "db-health"
component = "db"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
degraded_over = "100ms"
failure_threshold = 2
recovery_threshold = 2
"#,
        a.url(),
        b.url(),
        c.url()
    )
}

async fn targets() -> (Target, Target, Target) {
    (
        Target::start(Mode::Ok).await,
        Target::start(Mode::Ok).await,
        Target::start(Mode::Ok).await,
    )
}
