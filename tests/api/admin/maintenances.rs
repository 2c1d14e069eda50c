//! `/api/admin/maintenances`: schedule, list, edit, complete, cancel.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_error, create_maintenance, maintenance_in, rfc3339, spawn_admin_app};

#[tokio::test]
async fn maintenances_are_scheduled_listed_edited_completed_and_cancelled() {
    let (app, token) = spawn_admin_app().await;

    // Create: 201, Location, the object with derived status and sorted, deduplicated ids.
    let r = app
        .admin(
            Method::POST,
            "/api/admin/maintenances",
            &token,
            Some(maintenance_in(2, 1)),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().expect("string id").to_owned();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/admin/maintenances/{id}").as_str())
    );
    assert_eq!(r.body["status"], "scheduled");
    assert_eq!(r.body["components"], json!(["api", "web"]));
    assert_eq!(r.body["body"], "We move to **new disks**.");
    assert!(r.body["starts_at"].as_str().unwrap().ends_with('Z'));

    // One that started an hour ago is in progress; a backfilled one is completed.
    let running = create_maintenance(&app, &token, maintenance_in(-1, 2)).await;
    assert_eq!(running["status"], "in_progress");
    let past = create_maintenance(&app, &token, maintenance_in(-5, 1)).await;
    assert_eq!(past["status"], "completed");

    // List: newest (by start) first.
    let r = app
        .admin(Method::GET, "/api/admin/maintenances", &token, None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let ids: Vec<&str> = r.body["maintenances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            id.as_str(),
            running["id"].as_str().unwrap(),
            past["id"].as_str().unwrap()
        ]
    );
    let r = app
        .admin(Method::GET, "/api/admin/maintenances?limit=1", &token, None)
        .await;
    assert_eq!(r.body["maintenances"].as_array().unwrap().len(), 1);

    // Read one.
    let path = format!("/api/admin/maintenances/{id}");
    let r = app.admin(Method::GET, &path, &token, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["title"], "Database upgrade");

    // Patch any field; the window is checked against the stored other end.
    let new_end = rfc3339(Utc::now() + Duration::hours(5));
    let r = app
        .admin(
            Method::PATCH,
            &path,
            &token,
            Some(json!({"title": "Bigger upgrade", "ends_at": new_end, "components": ["api"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["title"], "Bigger upgrade");
    assert_eq!(r.body["ends_at"], new_end);
    assert_eq!(r.body["components"], json!(["api"]));
    assert_eq!(r.body["body"], "We move to **new disks**.", "untouched");

    // End the running one early.
    let running_path = format!(
        "/api/admin/maintenances/{}",
        running["id"].as_str().unwrap()
    );
    let r = app
        .admin(
            Method::PATCH,
            &running_path,
            &token,
            Some(json!({"status": "completed"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "completed");
    assert!(r.body["completed_early_at"].is_string());

    // Cancel: 204, then it reads as cancelled (kept, not deleted).
    let r = app.admin(Method::DELETE, &path, &token, None).await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    let r = app.admin(Method::GET, &path, &token, None).await;
    assert_eq!(r.body["status"], "cancelled");
    assert!(r.body["cancelled_at"].is_string());
    let r = app
        .admin(
            Method::PATCH,
            &path,
            &token,
            Some(json!({"status": "completed"})),
        )
        .await;
    assert_error(
        &r,
        422,
        "invalid_value",
        "status: the maintenance is cancelled",
    );
}
