//! `/api/admin/incidents`: open, update, resolve, edit, delete.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_error, create_incident, incident, spawn_admin_app};

#[tokio::test]
async fn incidents_are_opened_updated_resolved_edited_and_deleted() {
    let (app, token) = spawn_admin_app().await;

    let r = app
        .admin(
            Method::POST,
            "/api/admin/incidents",
            &token,
            Some(incident()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().expect("string id").to_owned();
    let path = format!("/api/admin/incidents/{id}");
    assert_eq!(r.header("location"), Some(path.as_str()));
    assert_eq!(r.body["status"], "investigating");
    assert_eq!(r.body["impact"], "minor");
    assert_eq!(r.body["components"], json!({"api": "partial_outage"}));
    assert_eq!(r.body["resolved_at"], Value::Null);
    let updates = r.body["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["body"], "We are looking into it.");
    assert_eq!(
        updates[0]["affected_components"],
        json!([{"component": "api", "old_status": "operational", "new_status": "partial_outage"}])
    );

    // An update: 200 with the incident, updates newest first.
    let r = app
        .admin(
            Method::POST,
            &format!("{path}/updates"),
            &token,
            Some(json!({
                "status": "identified",
                "body": "A bad deploy; rolling back.",
                "components": {"api": "major_outage", "web": "degraded_performance"},
                "impact": "major",
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "identified");
    assert_eq!(r.body["impact"], "major");
    assert_eq!(
        r.body["components"],
        json!({"api": "major_outage", "web": "degraded_performance"})
    );
    let updates = r.body["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0]["status"], "identified");
    assert_eq!(
        updates[0]["affected_components"][0]["old_status"],
        "partial_outage"
    );
    assert_eq!(updates[1]["status"], "investigating");

    // Resolved closes it.
    let r = app
        .admin(
            Method::POST,
            &format!("{path}/updates"),
            &token,
            Some(json!({"status": "resolved", "body": "Fixed."})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "resolved");
    assert!(r.body["resolved_at"].is_string());

    // Edit title, impact, components.
    let r = app
        .admin(
            Method::PATCH,
            &path,
            &token,
            Some(json!({"title": "API outage", "impact": "critical", "components": {"web": "operational"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["title"], "API outage");
    assert_eq!(r.body["impact"], "critical");
    assert_eq!(r.body["components"], json!({"web": "operational"}));
    assert_eq!(r.body["status"], "resolved", "an edit keeps the status");

    // List newest first, read one.
    let second = create_incident(&app, &token).await;
    let r = app
        .admin(Method::GET, "/api/admin/incidents", &token, None)
        .await;
    assert_eq!(r.status, 200);
    let listed: Vec<&str> = r.body["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&id.as_str()) && listed.contains(&second["id"].as_str().unwrap()));
    let r = app.admin(Method::GET, &path, &token, None).await;
    assert_eq!(r.body["title"], "API outage");

    // Delete: 204, then 404.
    let r = app.admin(Method::DELETE, &path, &token, None).await;
    assert_eq!(r.status, 204);
    let r = app.admin(Method::GET, &path, &token, None).await;
    assert_error(&r, 404, "not_found", &id);
    let r = app.admin(Method::DELETE, &path, &token, None).await;
    assert_error(&r, 404, "not_found", &id);
}
