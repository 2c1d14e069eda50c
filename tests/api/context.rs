//! Context on the pages (SPEC §4): on `/`, maintenance in progress and
//! upcoming comes right after the active incidents, before the components;
//! `/components/{id}` shows the incidents and maintenances that concern it,
//! linked to their pages.

use std::time::Duration;

use chrono::Utc;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_admin_app, wait_until};

/// Posts to the admin API and returns the created object's id.
async fn create(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let r = app.admin(Method::POST, path, token, Some(body)).await;
    assert_eq!(r.status, 201, "{path}: {}", r.text);
    r.body["id"].as_str().expect("string id").to_owned()
}

/// A maintenance of `component` from `from_h` to `to_h` hours from now.
fn maintenance(title: &str, component: &str, from_h: i64, to_h: i64) -> Value {
    let at = |h| (Utc::now() + chrono::Duration::hours(h)).to_rfc3339();
    json!({"title": title, "starts_at": at(from_h), "ends_at": at(to_h), "components": [component]})
}

/// The `main > section`s of a page in order, each named by its heading id or label.
fn sections(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("main > section").expect("selector");
    doc.select(&sel)
        .map(|s| {
            let v = s.value();
            let name = v.attr("aria-labelledby").or(v.attr("aria-label"));
            name.unwrap_or("?").to_owned()
        })
        .collect()
}

/// The `href`s of links matching `selector`.
fn links(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect()
}

/// An open incident on `api`, a maintenance in progress on `web` and one
/// upcoming on `api`; waits until `/` shows all three.
async fn events(app: &TestApp, token: &str) -> (String, String, String) {
    let incident = json!({
        "title": "Elevated API errors", "status": "investigating", "impact": "minor",
        "body": "Looking into it.", "components": {"api": "partial_outage"}
    });
    let incident = create(app, token, "/api/admin/incidents", incident).await;
    let now = maintenance("Web migration", "web", 0, 2);
    let now = create(app, token, "/api/admin/maintenances", now).await;
    let later = maintenance("API upgrade", "api", 24, 25);
    let later = create(app, token, "/api/admin/maintenances", later).await;
    wait_until(Duration::from_secs(5), "all three on /", || async {
        let html = app.get("/").await.1;
        ["Elevated API errors", "Web migration", "API upgrade"]
            .iter()
            .all(|t| html.contains(t))
    })
    .await;
    (incident, now, later)
}

#[tokio::test]
async fn maintenance_on_the_front_page_follows_active_incidents_before_the_components() {
    let (app, token) = spawn_admin_app().await;
    let (incident, now, later) = events(&app, &token).await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert_eq!(
        sections(&html),
        [
            "banner-text",
            "active-h",
            "now-h",
            "upcoming-h",
            "Components",
            "past-h"
        ]
    );
    let expected = [
        ("active-h", format!("/incidents/{incident}")),
        ("now-h", format!("/maintenances/{now}")),
        ("upcoming-h", format!("/maintenances/{later}")),
    ];
    for (section, link) in expected {
        let selector = format!("section[aria-labelledby={section}] h3 a");
        assert_eq!(links(&html, &selector), [link], "{section}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_component_page_links_the_incidents_and_maintenances_that_concern_it() {
    let (app, token) = spawn_admin_app().await;
    let (incident, now, later) = events(&app, &token).await;

    let (status, api) = app.get("/components/api").await;
    assert_eq!(status, 200);
    let api_sections = sections(&api);
    let position = |name: &str| api_sections.iter().position(|s| s == name);
    assert!(
        position("active-h") < position("upcoming-h")
            && position("upcoming-h") < position("uptime-h")
            && position("active-h").is_some(),
        "{api_sections:?}"
    );
    assert_eq!(position("now-h"), None, "web's maintenance is not api's");
    assert_eq!(
        links(&api, "section.events h3 a"),
        [
            format!("/incidents/{incident}"),
            format!("/maintenances/{later}")
        ]
    );

    let (_, web) = app.get("/components/web").await;
    assert_eq!(
        links(&web, "section.events h3 a"),
        [format!("/maintenances/{now}")]
    );
    for (url, title) in [
        (format!("/incidents/{incident}"), "Elevated API errors"),
        (format!("/maintenances/{later}"), "API upgrade"),
    ] {
        let (status, page) = app.get(&url).await;
        assert_eq!(status, 200, "{url}");
        assert!(page.contains(title), "{url}");
    }
    app.stop().await;
}
