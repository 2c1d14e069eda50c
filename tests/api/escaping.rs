//! Operator text that tries to break out — `<script>`, attribute-breaking
//! quotes, `javascript:` links — posted through the admin API into every
//! operator field, must come out inert on every page, in every feed and in
//! every JSON body (SPEC §4, §6).

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{spawn_admin_app, wait_until};
use crate::history::operator_text::assert_inert;

const TITLE: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
const BODY: &str =
    "<script>alert(3)</script>\n\n\"><img src=x onerror=alert(4)>\n\n[x](javascript:alert(5))";

/// Every string value anywhere in `value`.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn hostile_operator_text_is_inert_on_pages_in_feeds_and_in_json() {
    let (app, token) = spawn_admin_app().await;
    let now = chrono::Utc::now();
    let incident = app
        .admin(
            Method::POST,
            "/api/admin/incidents",
            &token,
            Some(
                json!({"title": TITLE, "status": "investigating", "impact": "major", "body": BODY,
                        "components": {"api": "major_outage"}}),
            ),
        )
        .await;
    assert_eq!(incident.status, 201, "{}", incident.text);
    let incident_id = incident.body["id"].as_str().unwrap().to_owned();
    let update = app
        .admin(
            Method::POST,
            &format!("/api/admin/incidents/{incident_id}/updates"),
            &token,
            Some(json!({"status": "identified", "body": BODY})),
        )
        .await;
    assert_eq!(update.status, 200, "{}", update.text);
    let maintenance = app
        .admin(
            Method::POST,
            "/api/admin/maintenances",
            &token,
            Some(json!({"title": TITLE, "body": BODY, "components": ["web"],
                        "starts_at": (now - chrono::Duration::minutes(5)).to_rfc3339(),
                        "ends_at": (now + chrono::Duration::hours(1)).to_rfc3339()})),
        )
        .await;
    assert_eq!(maintenance.status, 201, "{}", maintenance.text);
    let maintenance_id = maintenance.body["id"].as_str().unwrap().to_owned();

    // JSON: the text round-trips exactly as a string value, served as JSON.
    for response in [&incident, &update, &maintenance] {
        let mut values = Vec::new();
        strings(&response.body, &mut values);
        assert!(
            values.iter().any(|v| v == TITLE || v == BODY),
            "{}",
            response.text
        );
        assert!(
            response
                .header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
    }
    wait_until(Duration::from_secs(5), "the page shows both", || async {
        let html = app.get("/").await.1;
        html.contains(&incident_id) && html.contains(&maintenance_id)
    })
    .await;
    for path in [
        "/api/v2/summary.json",
        "/api/v2/incidents.json",
        "/api/v2/scheduled-maintenances.json",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        let mut values = Vec::new();
        strings(&body, &mut values);
        assert!(
            values.iter().any(|v| v == TITLE),
            "{path}: the title round-trips as a JSON string"
        );
    }

    // HTML: nothing executable, wherever operator text is shown.
    let pages = [
        "/".to_owned(),
        "/incidents".to_owned(),
        format!("/incidents/{incident_id}"),
        format!("/maintenances/{maintenance_id}"),
        "/components/api".to_owned(),
        "/components/web".to_owned(),
    ];
    for path in &pages {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(path, &html);
    }

    // Feeds: XML and JSON Feed keep the markup as escaped text.
    for path in [
        "/feed.rss",
        "/feed.atom",
        "/history.rss",
        "/components/api/feed.atom",
        "/components/web/feed.rss",
    ] {
        let (status, xml) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        for raw in ["<script", "<img", "javascript:"] {
            assert!(!xml.contains(raw), "{path}: {raw:?} unescaped in {xml}");
        }
        roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{path}: not well-formed XML: {e}"));
    }
    let (_, feed) = app.get("/feed.json").await;
    let feed: Value = serde_json::from_str(&feed).unwrap();
    for item in feed["items"].as_array().unwrap() {
        assert_eq!(
            item["title"].as_str().map(|t| t.ends_with(TITLE)),
            Some(true),
            "{item}"
        );
        let html = item["content_html"].as_str().unwrap();
        assert!(
            !html.contains("<script") && !html.contains("<img") && !html.contains("javascript:"),
            "{html}"
        );
    }
    app.stop().await;
}
