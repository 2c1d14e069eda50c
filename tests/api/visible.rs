//! Read-your-writes (SPEC §6, issue 7.1): every 2xx admin write is visible
//! on every public route of the same server when its response arrives. Each
//! read follows the write with no sleep, and every route is read once
//! before each write, so a stale cached response would be served and caught.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_CONFIG, TestApp, database_url, page_text, recorded, spawn_app_in};

/// Every public route a write can show on.
const PUBLIC: [&str; 16] = [
    "/",
    "/incidents",
    "/components/api",
    "/feed.rss",
    "/feed.atom",
    "/feed.json",
    "/api/v2/summary.json",
    "/api/v2/status.json",
    "/api/v2/components.json",
    "/api/v2/incidents.json",
    "/api/v2/incidents/unresolved.json",
    "/api/v2/scheduled-maintenances.json",
    "/api/v2/scheduled-maintenances/upcoming.json",
    "/api/v2/scheduled-maintenances/active.json",
    "/badge/api.svg",
    "/maintenances.ics",
];

/// What a route must (or must no longer) contain right after a write.
struct Seen<'a> {
    path: &'a str,
    needle: &'a str,
    present: bool,
}

const fn has<'a>(path: &'a str, needle: &'a str) -> Seen<'a> {
    Seen {
        path,
        needle,
        present: true,
    }
}

const fn lacks<'a>(path: &'a str, needle: &'a str) -> Seen<'a> {
    Seen {
        path,
        needle,
        present: false,
    }
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The admin test site with fresh results for both checks, so statuses
/// (not "No data") show on the pages.
async fn spawn_with_results() -> (TestApp, String) {
    let dir = tempfile::tempdir().unwrap();
    let store = beacon::store::Store::open(&database_url(&dir))
        .await
        .unwrap();
    let now = Utc::now();
    let ok = beacon::domain::Outcome::Ok;
    store
        .record(&[
            recorded("api-tcp", now, ok, 5),
            recorded("web-tcp", now, ok, 5),
        ])
        .await
        .unwrap();
    store.close().await;
    let app = spawn_app_in(dir, ADMIN_CONFIG, false).await;
    let token = app.create_token().await;
    (app, token)
}

/// Sends one write, asserts a 2xx, then reads every expectation at once.
async fn write_then_read(
    app: &TestApp,
    token: &str,
    (method, path, body): (Method, &str, Option<Value>),
    expected: &[Seen<'_>],
) -> Value {
    for route in PUBLIC {
        assert_eq!(app.get(route).await.0, 200, "{route}");
    }
    let r = app.admin(method, path, token, body).await;
    assert!(
        (200..300).contains(&r.status),
        "{path}: {} {}",
        r.status,
        r.text
    );
    for seen in expected {
        let (status, body) = app.get(seen.path).await;
        assert_eq!(status, 200, "{}", seen.path);
        let text = if seen.path.ends_with(".json") || seen.path.contains("feed") {
            body
        } else {
            page_text(&body)
        };
        assert_eq!(
            text.contains(seen.needle),
            seen.present,
            "right after {path}: {} should {}contain {:?}:\n{text}",
            seen.path,
            if seen.present { "" } else { "not " },
            seen.needle
        );
    }
    r.body
}

#[tokio::test]
async fn every_admin_write_is_on_every_public_route_when_it_returns() {
    let (app, token) = spawn_with_results().await;
    let now = Utc::now();

    let window = json!({
        "title": "Window Alpha", "body": "Disks.", "components": ["api"],
        "starts_at": rfc3339(now - Duration::minutes(1)),
        "ends_at": rfc3339(now + Duration::hours(1)),
    });
    let post = (Method::POST, "/api/admin/maintenances", Some(window));
    let alpha = "Window Alpha";
    write_then_read(
        &app,
        &token,
        post,
        &[
            has("/", alpha),
            has("/", "Under Maintenance"),
            has("/incidents", alpha),
            has("/components/api", "Under Maintenance"),
            has("/feed.rss", alpha),
            has("/feed.atom", alpha),
            has("/feed.json", alpha),
            has("/api/v2/summary.json", alpha),
            has("/api/v2/status.json", r#""indicator":"maintenance""#),
            has("/api/v2/components.json", "under_maintenance"),
            has("/api/v2/scheduled-maintenances.json", alpha),
            has("/api/v2/scheduled-maintenances/active.json", alpha),
            lacks("/api/v2/scheduled-maintenances/upcoming.json", alpha),
            has("/maintenances.ics", "SUMMARY:Window Alpha"),
            has("/badge/api.svg", "under maintenance"),
        ],
    )
    .await;

    let later = json!({
        "title": "Window Beta", "body": "Later.", "components": ["web"],
        "starts_at": rfc3339(now + Duration::hours(2)),
        "ends_at": rfc3339(now + Duration::hours(3)),
    });
    let post = (Method::POST, "/api/admin/maintenances", Some(later));
    let beta = write_then_read(
        &app,
        &token,
        post,
        &[
            has("/", "Window Beta"),
            has(
                "/api/v2/scheduled-maintenances/upcoming.json",
                "Window Beta",
            ),
            has("/api/v2/summary.json", "Window Beta"),
            has("/maintenances.ics", "SUMMARY:Window Beta"),
        ],
    )
    .await;

    let incident = json!({
        "title": "Outage Gamma", "status": "investigating", "impact": "major",
        "body": "Looking.", "components": {"web": "major_outage"},
    });
    let post = (Method::POST, "/api/admin/incidents", Some(incident));
    let gamma = "Outage Gamma";
    let opened = write_then_read(
        &app,
        &token,
        post,
        &[
            has("/", gamma),
            has("/", "Major Outage"),
            has("/incidents", gamma),
            has("/feed.rss", gamma),
            has("/feed.atom", gamma),
            has("/feed.json", gamma),
            has("/api/v2/summary.json", gamma),
            has("/api/v2/status.json", r#""indicator":"critical""#),
            has("/api/v2/components.json", "major_outage"),
            has("/api/v2/incidents.json", gamma),
            has("/api/v2/incidents/unresolved.json", gamma),
        ],
    )
    .await;
    let id = opened["id"].as_str().unwrap().to_owned();

    let update = json!({"status": "resolved", "body": "Fixed by Delta."});
    let path = format!("/api/admin/incidents/{id}/updates");
    write_then_read(
        &app,
        &token,
        (Method::POST, &path, Some(update)),
        &[
            has("/", "Fixed by Delta."),
            lacks("/", "Major Outage"),
            has(&format!("/incidents/{id}"), "Fixed by Delta."),
            has("/feed.rss", "Fixed by Delta."),
            has("/feed.atom", "Fixed by Delta."),
            has("/feed.json", "Fixed by Delta."),
            has("/api/v2/incidents.json", "Fixed by Delta."),
            lacks("/api/v2/incidents/unresolved.json", gamma),
            lacks("/api/v2/summary.json", gamma),
            lacks("/api/v2/components.json", "major_outage"),
        ],
    )
    .await;

    let pin = json!({"status": "partial_outage"});
    let put = (Method::PUT, "/api/admin/components/api/override", Some(pin));
    write_then_read(
        &app,
        &token,
        put,
        &[
            has("/", "Partial Outage"),
            has("/components/api", "Partial Outage"),
            has("/api/v2/components.json", "partial_outage"),
            has("/api/v2/summary.json", "partial_outage"),
            has("/api/v2/status.json", r#""indicator":"major""#),
            has("/badge/api.svg", "partial outage"),
        ],
    )
    .await;

    // Deletes: release, cancel, delete.
    let release = (Method::DELETE, "/api/admin/components/api/override", None);
    write_then_read(
        &app,
        &token,
        release,
        &[
            lacks("/", "Partial Outage"),
            lacks("/api/v2/components.json", "partial_outage"),
            has("/badge/api.svg", "under maintenance"),
        ],
    )
    .await;
    let path = format!("/api/admin/maintenances/{}", beta["id"].as_str().unwrap());
    write_then_read(
        &app,
        &token,
        (Method::DELETE, &path, None),
        &[
            lacks("/", "Window Beta"),
            lacks(
                "/api/v2/scheduled-maintenances/upcoming.json",
                "Window Beta",
            ),
            lacks("/api/v2/scheduled-maintenances.json", "Window Beta"),
        ],
    )
    .await;
    let path = format!("/api/admin/incidents/{id}");
    write_then_read(
        &app,
        &token,
        (Method::DELETE, &path, None),
        &[
            lacks("/", gamma),
            lacks("/incidents", gamma),
            lacks("/feed.rss", gamma),
            lacks("/feed.json", gamma),
            lacks("/api/v2/incidents.json", gamma),
        ],
    )
    .await;
    app.stop().await;
}
