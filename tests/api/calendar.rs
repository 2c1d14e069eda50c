//! `/maintenances.ics` (SPEC §5): parsed by a real iCalendar parser (the
//! `icalendar` crate), with stable UIDs, UTC times, cancelled windows kept
//! as `STATUS:CANCELLED`, old ones left out, folded lines and escaped text.

use chrono::{Duration, Utc};
use icalendar::{
    Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventStatus,
};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, spawn_admin_app};

async fn maintenance(app: &TestApp, token: &str, title: &str, from_h: i64, hours: i64) -> String {
    let start = Utc::now() + Duration::hours(from_h);
    let body = json!({
        "title": title,
        "body": "Line one\nLine two, with ünïcode; and a long enough text to need folding at seventy-five octets",
        "starts_at": start.to_rfc3339(),
        "ends_at": (start + Duration::hours(hours)).to_rfc3339(),
        "components": ["api", "web"],
    });
    let created = app
        .admin(Method::POST, "/api/admin/maintenances", token, Some(body))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn maintenances_ics_is_a_valid_calendar_with_stable_uids_and_cancelled_windows() {
    let (app, token) = spawn_admin_app().await;
    let upcoming = maintenance(&app, &token, "DB upgrade, phase 1; reads only", 24, 2).await;
    let running = maintenance(&app, &token, "Network work", -1, 3).await;
    let recent = maintenance(&app, &token, "Old migration", -24 * 10, 1).await;
    let _ancient = maintenance(&app, &token, "Ancient work", -24 * 40, 1).await;
    let cancelled = maintenance(&app, &token, "Called off", 48, 1).await;
    let gone = app
        .admin(
            Method::DELETE,
            &format!("/api/admin/maintenances/{cancelled}"),
            &token,
            None,
        )
        .await;
    assert_eq!(gone.status, 204);

    let response = app
        .client
        .get(app.url("/maintenances.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let ct = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ct.starts_with("text/calendar"), "{ct}");
    assert!(response.headers().contains_key("etag"));
    let raw = response.text().await.unwrap();
    for line in raw.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line:?}");
        assert!(!line.contains('\n'), "CRLF only");
    }
    let calendar: Calendar = raw.parse().expect("icalendar parses it");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let uid = |id: &str| format!("maintenance-{id}@127.0.0.1");
    let uids: Vec<&str> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(
        uids,
        [uid(&recent), uid(&running), uid(&upcoming), uid(&cancelled)],
        "oldest 30 days, soonest first"
    );
    for e in &events {
        for at in [e.get_start(), e.get_end()] {
            assert!(
                matches!(
                    at,
                    Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(_)))
                ),
                "UTC times: {at:?}"
            );
        }
        assert!(
            e.get_description().unwrap().contains("Public API"),
            "{:?}",
            e.get_description()
        );
    }
    let by_uid = |id: &str| {
        events
            .iter()
            .find(|e| e.get_uid() == Some(&uid(id)))
            .unwrap()
    };
    assert_eq!(
        by_uid(&cancelled).get_status(),
        Some(EventStatus::Cancelled)
    );
    assert_eq!(by_uid(&upcoming).get_status(), Some(EventStatus::Confirmed));
    assert!(by_uid(&upcoming).get_summary().unwrap().contains("phase 1"));
    assert!(
        raw.contains("SUMMARY:DB upgrade\\, phase 1\\; reads only"),
        "escaped:\n{raw}"
    );

    let again = app.get("/maintenances.ics").await.1;
    assert_eq!(again, raw, "stable bytes while nothing changes");
    let (_, page) = app.get("/").await;
    assert!(page.contains("<link rel=\"alternate\" type=\"text/calendar\""));
    app.stop().await;
}
