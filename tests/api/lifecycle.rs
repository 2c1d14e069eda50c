//! Automatic incidents and the maintenance lifecycle, end to end: a real
//! target fails, the worker opens and resolves incidents, maintenance
//! suppresses them and keeps its results out of uptime.

use std::time::Duration;

use beacon::domain::{
    ComponentStatus, Impact, IncidentStatus, MaintenanceEdit, NewMaintenance, Outcome,
};
use beacon::store::Store;
use chrono::Utc;

use crate::helpers::{
    Mode, Target, component_id, database_url, one_check_config, spawn_app, texts, wait_until,
};

const WITHIN: Duration = Duration::from_secs(10);

async fn second_store(app: &crate::helpers::TestApp) -> Store {
    Store::open(&database_url(&app.dir))
        .await
        .expect("second store")
}

/// Waits until `api-health` has failed `failures` times in a row and two
/// more results were written after that. The writer runs its incident step
/// after each write, before the next, so by then it has judged every
/// failure: an incident it would open is open (polling, not a fixed sleep).
async fn failures_judged(store: &Store, failures: u32) {
    let deadline = tokio::time::Instant::now() + WITHIN;
    let mut seen = Vec::new();
    while seen.len() < 3 {
        let state = store.check_states().await.unwrap().into_iter().find(|s| {
            s.check_id == "api-health"
                && s.tracker.streak_of == Some(Outcome::Failed)
                && s.tracker.streak >= failures
        });
        if let Some(at) = state.map(|s| s.last_result_at)
            && seen.last() != Some(&at)
        {
            seen.push(at);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {failures} failures of api-health and two results after"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_outage_opens_an_incident_and_recovery_resolves_it_with_the_duration() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&one_check_config(&target.url())).await;
    let store = second_store(&app).await;
    wait_until(WITHIN, "green", || async {
        texts(&app.get("/").await.1, ".component .status-label") == ["Operational"]
    })
    .await;
    assert!(store.recent_incidents(Utc::now()).await.unwrap().is_empty());

    target.set(Mode::Status(503));
    wait_until(WITHIN, "an automatic incident", || async {
        !store.recent_incidents(Utc::now()).await.unwrap().is_empty()
    })
    .await;
    let incidents = store.recent_incidents(Utc::now()).await.unwrap();
    assert_eq!(
        incidents.len(),
        1,
        "one incident per outage, not per result"
    );
    let incident = &incidents[0];
    assert_eq!(incident.auto_component.as_deref(), Some("api"));
    assert_eq!(
        (incident.status, incident.impact),
        (IncidentStatus::Investigating, Impact::Major)
    );
    assert_eq!(
        incident.components,
        vec![(component_id("api"), ComponentStatus::MajorOutage)]
    );
    assert!(incident.title.contains("Public API"), "{}", incident.title);
    let first = incident.latest_update().unwrap();
    assert!(
        first.body.contains("api-health: status 503, expected 2xx"),
        "{}",
        first.body
    );

    target.set(Mode::Ok);
    wait_until(WITHIN, "resolved", || async {
        !store.incident(&incident.id).await.unwrap().is_open()
    })
    .await;
    let resolved = store.incident(&incident.id).await.unwrap();
    assert_eq!(resolved.status, IncidentStatus::Resolved);
    let last = resolved.latest_update().unwrap();
    assert!(last.body.contains("The outage lasted"), "{}", last.body);
    assert_eq!(resolved.updates.len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn auto_incidents_false_opens_nothing() {
    let target = Target::start(Mode::Status(500)).await;
    let config = one_check_config(&target.url()).replace(
        "name = \"Public API\"",
        "name = \"Public API\"\nauto_incidents = false",
    );
    let app = spawn_app(&config).await;
    let store = second_store(&app).await;
    wait_until(WITHIN, "outage shown", || async {
        texts(&app.get("/").await.1, ".component .status-label") == ["Major Outage"]
    })
    .await;
    failures_judged(&store, 2).await;
    assert!(store.recent_incidents(Utc::now()).await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn maintenance_suppresses_incidents_and_uptime_until_it_ends() {
    let target = Target::start(Mode::Status(503)).await;
    let config = one_check_config(&target.url());
    // The window is in place before the first probe result.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&database_url(&dir)).await.unwrap();
    let now = Utc::now();
    let window = store
        .create_maintenance(
            &NewMaintenance {
                title: "Database upgrade".into(),
                body: "Planned.".into(),
                starts_at: now - chrono::Duration::seconds(1),
                ends_at: now + chrono::Duration::hours(1),
                components: vec![component_id("api")],
                notify: true,
            },
            now,
        )
        .await
        .unwrap();
    let app = crate::helpers::spawn_app_in(dir, &config, true).await;

    wait_until(WITHIN, "under maintenance", || async {
        let html = app.get("/").await.1;
        texts(&html, ".component .status-label") == ["Under Maintenance"]
            && texts(&html, ".banner-text") == ["Service Under Maintenance"]
    })
    .await;
    // Several failing results arrive during the window: no incident, no uptime counted.
    failures_judged(&store, 3).await;
    assert!(store.recent_incidents(Utc::now()).await.unwrap().is_empty());
    let today = beacon::model::today(
        &beacon::config::Config::parse(&config, "t.toml".as_ref()).unwrap(),
        Utc::now(),
    );
    let counts = store.daily_counts(today).await.unwrap();
    assert!(
        counts.is_empty(),
        "results during maintenance are left out of uptime: {counts:?}"
    );

    // The same outage after the window opens an incident.
    store
        .edit_maintenance(
            &window.id,
            &MaintenanceEdit {
                complete: true,
                ..Default::default()
            },
            Utc::now(),
        )
        .await
        .unwrap();
    wait_until(WITHIN, "incident after the window", || async {
        store
            .recent_incidents(Utc::now())
            .await
            .unwrap()
            .iter()
            .any(|i| i.is_open())
    })
    .await;
    wait_until(WITHIN, "counted again", || async {
        !store.daily_counts(today).await.unwrap().is_empty()
    })
    .await;
    app.stop().await;
}

/// The operator's story of issue #3, through the admin API: a maintenance is
/// announced as upcoming, starts and ends on its own, an outage inside the
/// window opens no incident and the same outage after it does.
#[tokio::test]
async fn a_maintenance_announced_by_api_starts_and_ends_on_its_own() {
    let target = Target::start(Mode::Ok).await;
    let config = one_check_config(&target.url());
    let app = spawn_app(&config).await;
    let token = app.create_token().await;
    let store = second_store(&app).await;
    let now = Utc::now();
    let starts = now + chrono::Duration::seconds(3);
    let ends = starts + chrono::Duration::seconds(8);
    let created
 = app
        .admin(
            reqwest::Method::POST,
            "/api/admin/maintenances",
            &token,
            Some(serde_json::json!({"title": "Planned failover", "body": "Brief **blips** expected.",
                "components": ["api"], "starts_at": starts.to_rfc3339(), "ends_at": ends.to_rfc3339()})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["status"], "scheduled");
    wait_until(WITHIN, "announced as upcoming", || async {
        let html = app.get("/").await.1;
        html.contains("Planned failover")
            && texts(&html, ".component .status-label") == ["Operational"]
    })
    .await;

    wait_until(
        Duration::from_secs(15),
        "in progress on its own",
        || async {
            texts(&app.get("/").await.1, ".component .status-label") == ["Under Maintenance"]
        },
    )
    .await;
    target.set(Mode::Status(503));
    let id = created.body["id"].as_str().unwrap().to_owned();
    let during = app
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/maintenances/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(during.body["status"], "in_progress");
    failures_judged(&store, 3).await;
    assert!(
        store.recent_incidents(Utc::now()).await.unwrap().is_empty(),
        "no incident inside the window"
    );

    wait_until(
        Duration::from_secs(20),
        "the window ends and the outage opens an incident",
        || async {
            store
                .recent_incidents(Utc::now())
                .await
                .unwrap()
                .iter()
                .any(|i| i.is_open())
                && texts(&app.get("/").await.1, ".component .status-label") == ["Major Outage"]
        },
    )
    .await;
    let after = app
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/maintenances/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(after.body["status"], "completed");
    app.stop().await;
}
