//! `/api/admin/components/{id}/override`: pin and release.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_error, rfc3339, spawn_admin_app};

#[tokio::test]
async fn overrides_pin_and_release_a_component() {
    let (app, token) = spawn_admin_app().await;
    let path = "/api/admin/components/api/override";
    let until = rfc3339(Utc::now() + Duration::hours(1));

    let r = app
        .admin(
            Method::PUT,
            path,
            &token,
            Some(json!({"status": "major_outage", "until": until})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["component"], "api");
    assert_eq!(r.body["status"], "major_outage");
    assert_eq!(r.body["until"], until);

    // Replacing a pin; without `until` it holds until released.
    let r = app
        .admin(
            Method::PUT,
            path,
            &token,
            Some(json!({"status": "operational"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["until"], Value::Null);

    let r = app.admin(Method::DELETE, path, &token, None).await;
    assert_eq!(r.status, 204);
    let r = app.admin(Method::DELETE, path, &token, None).await;
    assert_error(&r, 404, "not_found", "has no override");

    let r = app
        .admin(
            Method::PUT,
            "/api/admin/components/nope/override",
            &token,
            Some(json!({"status": "operational"})),
        )
        .await;
    assert_error(&r, 404, "not_found", "nope");
    let past = rfc3339(Utc::now() - Duration::hours(1));
    let r = app
        .admin(
            Method::PUT,
            path,
            &token,
            Some(json!({"status": "partial_outage", "until": past})),
        )
        .await;
    assert_error(&r, 422, "invalid_value", "until: must be in the future");
}
