//! The error shape for what is not a valid request: unknown ids, size
//! and content type, malformed JSON, hostile text.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    assert_error, create_maintenance, incident, maintenance_in, protected_routes, spawn_admin_app,
};

#[tokio::test]
async fn unknown_ids_are_404_in_json() {
    let (app, token) = spawn_admin_app().await;
    for (method, path) in protected_routes() {
        if !path.contains("x1") {
            continue;
        }
        let body = match method {
            Method::PATCH => Some(json!({})),
            Method::POST => Some(json!({"status": "resolved", "body": "done"})),
            _ => None,
        };
        let r = app.admin(method.clone(), &path, &token, body).await;
        assert_error(&r, 404, "not_found", "\"x1\"");
    }
    let r = app
        .admin(
            Method::DELETE,
            "/api/admin/components/nope/override",
            &token,
            None,
        )
        .await;
    assert_error(&r, 404, "not_found", "nope");
    let r = app
        .admin(Method::GET, "/api/admin/no-such-thing", &token, None)
        .await;
    assert_error(&r, 404, "not_found", "no such admin API route");
    let r = app
        .admin(Method::PUT, "/api/admin/incidents", &token, None)
        .await;
    assert_error(&r, 405, "method_not_allowed", "method");
}

#[tokio::test]
async fn bodies_over_64_kib_are_413_and_wrong_content_types_415() {
    let (app, token) = spawn_admin_app().await;
    let big = json!({"title": "x".repeat(70 * 1024)});
    let r = app
        .admin(Method::POST, "/api/admin/maintenances", &token, Some(big))
        .await;
    assert_error(&r, 413, "payload_too_large", "64 KiB");

    // Just under the limit is read (and then judged on its values).
    let under = json!({"title": "x".repeat(60 * 1024)});
    let r = app
        .admin(Method::POST, "/api/admin/incidents", &token, Some(under))
        .await;
    assert_error(&r, 422, "invalid_value", "title: at most 200 characters");

    let body = serde_json::to_vec(&incident()).unwrap();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let r = app
            .admin_raw(
                Method::POST,
                "/api/admin/incidents",
                Some(&token),
                content_type,
                body.clone(),
            )
            .await;
        assert_error(&r, 415, "unsupported_media_type", "application/json");
    }
    let r = app
        .admin_raw(
            Method::POST,
            "/api/admin/incidents",
            Some(&token),
            Some("application/json; charset=utf-8"),
            body,
        )
        .await;
    assert_eq!(r.status, 201, "a charset parameter is fine: {}", r.text);
}

#[tokio::test]
async fn malformed_json_is_400() {
    let (app, token) = spawn_admin_app().await;
    for bad in [&b"{"[..], b"{\"title\": }", b"", b"nul", b"{} trailing"] {
        let r = app
            .admin_raw(
                Method::POST,
                "/api/admin/maintenances",
                Some(&token),
                Some("application/json"),
                bad.to_vec(),
            )
            .await;
        assert_error(&r, 400, "malformed_request", "JSON");
    }
}

#[tokio::test]
async fn sql_looking_text_and_control_characters_are_just_text() {
    let (app, token) = spawn_admin_app().await;
    let title = "Robert'); DROP TABLE maintenances;--";
    let body = "line\u{0}one\u{7}\r\n\t\"' OR 1=1 --";
    let mut m = maintenance_in(1, 1);
    m["title"] = json!(title);
    m["body"] = json!(body);
    let created = create_maintenance(&app, &token, m).await;
    assert_eq!(created["title"], title);
    assert_eq!(created["body"], body);
    let r = app
        .admin(Method::GET, "/api/admin/maintenances", &token, None)
        .await;
    assert_eq!(r.status, 200, "the table is still there");
    assert_eq!(r.body["maintenances"][0]["body"], body);
}
