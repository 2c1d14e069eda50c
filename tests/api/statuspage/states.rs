//! Every endpoint keeps the reference shape and allowed values through
//! check-driven states, maintenances and operator incidents.

use beacon::domain::{
    ComponentStatus, Impact, IncidentStatus, NewIncident, NewMaintenance, NewUpdate,
};
use beacon::store::Store;
use chrono::Utc;

use super::*;
use crate::helpers::{component_id, database_url, spawn_app};

#[tokio::test]
async fn endpoints_keep_the_reference_shape_through_check_driven_states() {
    let (a, b, c) = targets().await;
    let app = spawn_app(&config(&a, &b, &c)).await;

    wait_for_results(&app).await;
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "all operational").await;

    c.set(Mode::Slow(Duration::from_millis(160)));
    wait_for_indicator(&app, "minor").await;
    let components = get_json(&app, "/api/v2/components.json").await;
    assert_eq!(
        component(&components, "db")["status"],
        "degraded_performance"
    );
    assert_eq!(
        component(&components, "group-core")["status"],
        "degraded_performance",
        "a group is the worst of its children"
    );
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "degraded").await;

    b.set(Mode::Status(503));
    wait_for_indicator(&app, "major").await;
    let components = get_json(&app, "/api/v2/components.json").await;
    assert_eq!(component(&components, "api")["status"], "partial_outage");
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "partial outage").await;

    a.set(Mode::Status(503));
    wait_for_indicator(&app, "critical").await;
    let summary = get_json(&app, "/api/v2/summary.json").await;
    assert_eq!(component(&summary, "api")["status"], "major_outage");
    assert_eq!(component(&summary, "group-core")["status"], "major_outage");
    assert_eq!(
        component(&summary, "web")["status"],
        "operational",
        "no data"
    );
    let open = summary["incidents"].as_array().unwrap();
    assert_eq!(open.len(), 1, "the automatic incident: {summary}");
    assert_eq!(open[0]["components"][0]["id"], "api");
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "major outage with an open incident").await;

    for t in [&a, &b, &c] {
        t.set(Mode::Ok);
    }
    wait_for_results(&app).await;
    wait_until(
        Duration::from_secs(10),
        "auto incident resolved",
        || async {
            let all = get_json(&app, "/api/v2/incidents.json").await;
            all["incidents"][0]["status"] == "resolved"
        },
    )
    .await;
    let all = get_json(&app, "/api/v2/incidents.json").await;
    let incident = &all["incidents"][0];
    assert!(incident["resolved_at"].is_string());
    assert_eq!(incident["incident_updates"][0]["status"], "resolved");
    let unresolved = get_json(&app, "/api/v2/incidents/unresolved.json").await;
    assert_eq!(unresolved["incidents"], Value::Array(vec![]));
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "resolved incident").await;
    app.stop().await;
}

#[tokio::test]
async fn endpoints_keep_the_reference_shape_with_maintenances_and_operator_incidents() {
    let (a, b, c) = targets().await;
    let app = spawn_app(&config(&a, &b, &c)).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    wait_for_results(&app).await;
    let now = Utc::now();
    let active = store
        .create_maintenance(
            &NewMaintenance {
                title: "Database upgrade".into(),
                body: "Upgrading to v2.".into(),
                starts_at: now - chrono::Duration::minutes(5),
                ends_at: now + chrono::Duration::hours(1),
                components: vec![component_id("db")],
                notify: true,
            },
            now - chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    let upcoming = store
        .create_maintenance(
            &NewMaintenance {
                title: "Network work".into(),
                body: String::new(),
                starts_at: now + chrono::Duration::hours(2),
                ends_at: now + chrono::Duration::hours(3),
                components: vec![component_id("api")],
                notify: true,
            },
            now,
        )
        .await
        .unwrap();
    let done = store
        .create_maintenance(
            &NewMaintenance {
                title: "Old work".into(),
                body: "Done.".into(),
                starts_at: now - chrono::Duration::hours(3),
                ends_at: now - chrono::Duration::hours(2),
                components: vec![component_id("api")],
                notify: true,
            },
            now - chrono::Duration::hours(4),
        )
        .await
        .unwrap();
    let cancelled = store
        .create_maintenance(
            &NewMaintenance {
                title: "Called off".into(),
                body: String::new(),
                starts_at: now + chrono::Duration::hours(5),
                ends_at: now + chrono::Duration::hours(6),
                components: vec![component_id("api")],
                notify: true,
            },
            now,
        )
        .await
        .unwrap();
    store.cancel_maintenance(&cancelled.id, now).await.unwrap();

    wait_for_snapshot_of_writes_so_far(&app).await;
    wait_for_indicator(&app, "maintenance").await;
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "maintenance in progress").await;
    let ids = |v: &Value| -> Vec<String> {
        v["scheduled_maintenances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let active_json = get_json(&app, "/api/v2/scheduled-maintenances/active.json").await;
    assert_eq!(ids(&active_json), [active.id.as_str()]);
    let m = &active_json["scheduled_maintenances"][0];
    assert_eq!(m["status"], "in_progress");
    assert_eq!(m["impact"], "maintenance");
    assert_eq!(m["components"][0]["status"], "under_maintenance");
    let statuses: Vec<&str> = m["incident_updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["in_progress", "scheduled"], "newest first");
    assert_eq!(
        ids(&get_json(&app, "/api/v2/scheduled-maintenances/upcoming.json").await),
        [upcoming.id.as_str()]
    );
    let mut summary_ids = ids(&get_json(&app, "/api/v2/summary.json").await);
    summary_ids.sort();
    let mut want = vec![active.id.to_string(), upcoming.id.to_string()];
    want.sort();
    assert_eq!(summary_ids, want, "summary: upcoming and in progress");
    let all = get_json(&app, "/api/v2/scheduled-maintenances.json").await;
    assert_eq!(
        ids(&all),
        [upcoming.id.as_str(), active.id.as_str(), done.id.as_str()],
        "newest first, cancelled left out"
    );
    let old = &all["scheduled_maintenances"][2];
    assert_eq!(old["status"], "completed");
    assert_eq!(old["incident_updates"][0]["status"], "completed");
    assert!(old["resolved_at"].is_string());

    let incident = store
        .create_incident(
            &NewIncident {
                title: "Slow <queries>".into(),
                status: IncidentStatus::Investigating,
                impact: Impact::Minor,
                body: "Looking into it.".into(),
                components: vec![(component_id("api"), ComponentStatus::PartialOutage)],
                auto_component: None,
                notify: true,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    store
        .add_incident_update(
            &incident.id,
            &NewUpdate {
                status: IncidentStatus::Identified,
                body: "Found it.".into(),
                components: vec![],
                impact: None,
                notify: true,
            },
            Utc::now() + chrono::Duration::seconds(1),
        )
        .await
        .unwrap();
    wait_for_snapshot_of_writes_so_far(&app).await;
    wait_for_indicator(&app, "major").await;
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "open operator incident").await;
    let unresolved = get_json(&app, "/api/v2/incidents/unresolved.json").await;
    let i = &unresolved["incidents"][0];
    assert_eq!(i["id"], incident.id.as_str());
    assert_eq!(i["name"], "Slow <queries>");
    assert_eq!(
        i["shortlink"],
        format!("https://status.test.example/incidents/{}", incident.id)
    );
    assert_eq!(i["incident_updates"][0]["status"], "identified");
    assert_eq!(i["incident_updates"][1]["status"], "investigating");
    let affected = &i["incident_updates"][1]["affected_components"][0];
    assert_eq!(affected["code"], "api");
    assert_eq!(affected["name"], "Public API");
    assert_eq!(affected["new_status"], "partial_outage");
    assert!(i["incident_updates"][0]["affected_components"].is_null());
    assert_eq!(i["components"][0]["id"], "api");

    store
        .add_incident_update(
            &incident.id,
            &NewUpdate {
                status: IncidentStatus::Resolved,
                body: "Fixed.".into(),
                components: vec![(component_id("api"), ComponentStatus::Operational)],
                impact: None,
                notify: true,
            },
            Utc::now() + chrono::Duration::seconds(2),
        )
        .await
        .unwrap();
    wait_for_indicator(&app, "maintenance").await;
    summary_agrees_with_banner(&app).await;
    check_all_endpoints(&app, "resolved operator incident").await;
    app.stop().await;
}
