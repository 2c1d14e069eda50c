//! 422 for values that parse but break a rule, naming each field (the
//! SPEC §6 messages).

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    assert_error, create_incident, create_maintenance, incident, maintenance_in, rfc3339,
    spawn_admin_app,
};

#[tokio::test]
async fn invalid_values_are_422_naming_the_field() {
    let (app, token) = spawn_admin_app().await;
    let now = Utc::now();
    let start = rfc3339(now + Duration::hours(1));
    let before = rfc3339(now);
    let maintenance = |patch: Value| {
        let mut body = maintenance_in(1, 1);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let with = |patch: Value| {
        let mut body = incident();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let hundred_and_one: Vec<String> = (0..101).map(|i| format!("c{i}")).collect();
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "POST",
            "/api/admin/maintenances",
            json!({"title": "t", "starts_at": start, "ends_at": before}),
            "ends_at: must be after starts_at",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            json!({"title": "t", "starts_at": start, "ends_at": start}),
            "ends_at: must be after starts_at",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"components": ["nope"]})),
            "components: unknown component \"nope\"",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"components": hundred_and_one})),
            "components: at most 100",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"title": ""})),
            "title: must not be empty",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"title": "x".repeat(201)})),
            "title: at most 200 characters",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"body": "x".repeat(20_001)})),
            "body: at most 20000 characters",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"starts_at": "next tuesday"})),
            "starts_at: \"next tuesday\" is not an RFC 3339 time",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            json!({}),
            "title: is required",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            json!({}),
            "starts_at: is required",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"colour": "red"})),
            "colour: unknown field",
        ),
        (
            "POST",
            "/api/admin/maintenances",
            maintenance(json!({"title": 7})),
            "title: invalid type: integer `7`, expected a string",
        ),
        (
            "POST",
            "/api/admin/incidents",
            with(json!({"status": "x"})),
            "status: unknown value \"x\", expected one of investigating, identified, monitoring, resolved",
        ),
        (
            "POST",
            "/api/admin/incidents",
            with(json!({"impact": "huge"})),
            "impact: unknown value \"huge\", expected one of none, minor, major, critical",
        ),
        (
            "POST",
            "/api/admin/incidents",
            with(json!({"components": {"api": "on_fire"}})),
            "components.api: unknown value \"on_fire\", expected one of operational",
        ),
        (
            "POST",
            "/api/admin/incidents",
            with(json!({"components": {"nope": "major_outage"}})),
            "components: unknown component \"nope\"",
        ),
        (
            "POST",
            "/api/admin/incidents",
            with(json!({"body": "   "})),
            "body: must not be empty",
        ),
        (
            "POST",
            "/api/admin/incidents",
            with(json!({"title": "a\nb"})),
            "title: must not contain control characters",
        ),
        (
            "POST",
            "/api/admin/incidents",
            with(json!({"components": ["api"]})),
            "components: invalid type: sequence, expected a map",
        ),
        (
            "PUT",
            "/api/admin/components/api/override",
            json!({"status": "fine"}),
            "status: unknown value \"fine\"",
        ),
        (
            "PUT",
            "/api/admin/components/api/override",
            json!({}),
            "status: is required",
        ),
        (
            "GET",
            "/api/admin/incidents?limit=0",
            Value::Null,
            "limit: must be between 1 and 1000",
        ),
        (
            "GET",
            "/api/admin/incidents?limit=-3",
            Value::Null,
            "query: ",
        ),
        (
            "GET",
            "/api/admin/reports?limit=0",
            Value::Null,
            "limit: must be between 1 and 1000",
        ),
        ("GET", "/api/admin/reports?offset=x", Value::Null, "query: "),
    ];
    for (method, path, body, needle) in cases {
        let body = (!body.is_null()).then_some(body);
        let r = app
            .admin(
                Method::from_bytes(method.as_bytes()).unwrap(),
                path,
                &token,
                body,
            )
            .await;
        assert_error(&r, 422, "invalid_value", needle);
    }

    let r = app
        .admin(
            Method::GET,
            "/api/admin/reports?component=nope",
            &token,
            None,
        )
        .await;
    assert_error(&r, 404, "not_found", "nope");

    // Several problems are reported together.
    let r = app
        .admin(
            Method::POST,
            "/api/admin/maintenances",
            &token,
            Some(
                json!({"title": "", "starts_at": start, "ends_at": before, "components": ["nope"]}),
            ),
        )
        .await;
    for needle in ["title: ", "ends_at: ", "components: "] {
        assert_error(&r, 422, "invalid_value", needle);
    }

    // PATCH checks the window against what is stored, and only `completed` is a status.
    let m = create_maintenance(&app, &token, maintenance_in(1, 1)).await;
    let path = format!("/api/admin/maintenances/{}", m["id"].as_str().unwrap());
    let r = app
        .admin(
            Method::PATCH,
            &path,
            &token,
            Some(json!({"starts_at": rfc3339(now + Duration::hours(3))})),
        )
        .await;
    assert_error(
        &r,
        422,
        "invalid_value",
        "starts_at: must be before ends_at",
    );
    for status in ["cancelled", "in_progress", "x"] {
        let r = app
            .admin(
                Method::PATCH,
                &path,
                &token,
                Some(json!({"status": status})),
            )
            .await;
        assert_error(&r, 422, "invalid_value", "status: ");
    }
    let r = app
        .admin(Method::PATCH, &path, &token, Some(json!({"id": "other"})))
        .await;
    assert_error(&r, 422, "invalid_value", "id: unknown field");
    let i = create_incident(&app, &token).await;
    let r = app
        .admin(
            Method::PATCH,
            &format!("/api/admin/incidents/{}", i["id"].as_str().unwrap()),
            &token,
            Some(json!({"status": "resolved"})),
        )
        .await;
    assert_error(&r, 422, "invalid_value", "status: unknown field");
}
