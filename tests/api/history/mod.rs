//! Incidents and maintenance on the public pages: `/`, `/incidents?page=N`,
//! `/incidents/{id}`, `/maintenances/{id}`. Data goes in through a second
//! `Store` on the app's database, as the admin API or CLI would write it; the
//! app sees it when its snapshot follows the store revision.
//!
//! This file holds the shared builders; [`index`] the front page,
//! [`pages`] the history and detail pages, [`operator_text`] escaping.

mod index;
pub mod operator_text;
mod pages;

use std::time::Duration;

use beacon::domain::{
    ComponentStatus, Impact, Incident, IncidentStatus, Maintenance, NewIncident, NewMaintenance,
    NewUpdate,
};
use beacon::store::Store;
use chrono::{DateTime, TimeZone, Utc};

use crate::helpers::{
    Mode, Target, TestApp, component_id, database_url, page_text, spawn_app, spawn_app_in, texts,
};

const WAIT: Duration = Duration::from_secs(8);

/// Two components; `api` has a quick check against `url`.
fn config(url: &str) -> String {
    format!(
        r#"
[site]
title = "History Test"
timezone = "Europe/Berlin"

[[components]]
id = "api"
name = "Public API"

[[components]]
id = "web"
name = "Website"

[[checks]]
id = "api-health"
component = "api"
kind = "http"
url = "{url}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
recovery_threshold = 2
"#
    )
}

/// An app without the probe worker (its pages need no check results).
async fn quiet_app() -> (TestApp, Store) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_in(dir, &config("http://127.0.0.1:9/"), false).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    (app, store)
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn hours(h: i64) -> chrono::Duration {
    chrono::Duration::hours(h)
}

fn opening(
    title: &str,
    impact: Impact,
    body: &str,
    components: &[(&str, ComponentStatus)],
) -> NewIncident {
    NewIncident {
        title: title.into(),
        status: IncidentStatus::Investigating,
        impact,
        body: body.into(),
        components: components
            .iter()
            .map(|(c, s)| (component_id(c), *s))
            .collect(),
        auto_component: None,
        notify: true,
    }
}

fn update(status: IncidentStatus, body: &str, components: &[(&str, ComponentStatus)]) -> NewUpdate {
    NewUpdate {
        status,
        body: body.into(),
        components: components
            .iter()
            .map(|(c, s)| (component_id(c), *s))
            .collect(),
        impact: None,
        notify: true,
    }
}

fn window(title: &str, body: &str, starts: DateTime<Utc>, length_h: i64) -> NewMaintenance {
    NewMaintenance {
        title: title.into(),
        body: body.into(),
        starts_at: starts,
        ends_at: starts + hours(length_h),
        components: vec![component_id("api"), component_id("web")],
        notify: true,
    }
}

/// Waits until `path` answers `status` with a page whose text contains
/// `needle` (the app follows the store within half a second); returns it.
async fn wait_for(app: &TestApp, path: &str, status: u16, needle: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (got, html) = app.get(path).await;
        if got == status && page_text(&html).contains(needle) {
            return html;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {path} to show {needle:?}; last: {got} {html}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

fn count(html: &str, selector: &str) -> usize {
    let doc = scraper::Html::parse_document(html);
    doc.select(&scraper::Selector::parse(selector).unwrap())
        .count()
}

/// The styled error page with this status code.
fn assert_error_page(status: u16, html: &str, code: u16) {
    assert_eq!(status, code, "{html}");
    assert!(html.contains("/static/style."), "not styled: {html}");
    assert_eq!(texts(html, ".error-code"), [code.to_string()]);
}

/// An incident opened at `at` and resolved at `resolved`.
async fn resolved(
    store: &Store,
    title: &str,
    at: DateTime<Utc>,
    resolved: DateTime<Utc>,
) -> Incident {
    let i = store
        .create_incident(&opening(title, Impact::Minor, "Looking.", &[]), at)
        .await
        .unwrap();
    store
        .add_incident_update(
            &i.id,
            &update(IncidentStatus::Resolved, "All good again.", &[]),
            resolved,
        )
        .await
        .unwrap()
}
