//! The admin API of SPEC §6 over the real router: every route's happy path,
//! authentication, the error shape and codes, and that no input gets a 5xx.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ApiResponse, TestApp, client_from, spawn_admin_app, wait_until};

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn maintenance_in(hours_from_now: i64, hours_long: i64) -> Value {
    let start = Utc::now() + Duration::hours(hours_from_now);
    json!({
        "title": "Database upgrade",
        "body": "We move to **new disks**.",
        "starts_at": rfc3339(start),
        "ends_at": rfc3339(start + Duration::hours(hours_long)),
        "components": ["web", "api", "api"],
    })
}

fn incident() -> Value {
    json!({
        "title": "Elevated API errors",
        "status": "investigating",
        "impact": "minor",
        "body": "We are looking into it.",
        "components": {"api": "partial_outage"},
    })
}

/// Asserts an error response: status, JSON shape, code, and a message containing `needle`.
#[track_caller]
fn assert_error(r: &ApiResponse, status: u16, code: &str, needle: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.code(), code, "{}", r.text);
    assert!(
        r.message().contains(needle),
        "message {:?} lacks {needle:?}",
        r.message()
    );
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{:?}",
        r.headers
    );
}

async fn create_maintenance(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app
        .admin(Method::POST, "/api/admin/maintenances", token, Some(body))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

async fn create_incident(app: &TestApp, token: &str) -> Value {
    let r = app
        .admin(
            Method::POST,
            "/api/admin/incidents",
            token,
            Some(incident()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

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

/// Every admin route that needs a token, with a path to an object that may not exist.
pub fn protected_routes() -> Vec<(Method, String)> {
    vec![
        (Method::POST, "/api/admin/maintenances".into()),
        (Method::GET, "/api/admin/maintenances".into()),
        (Method::GET, "/api/admin/maintenances/x1".into()),
        (Method::PATCH, "/api/admin/maintenances/x1".into()),
        (Method::DELETE, "/api/admin/maintenances/x1".into()),
        (Method::POST, "/api/admin/incidents".into()),
        (Method::GET, "/api/admin/incidents".into()),
        (Method::GET, "/api/admin/incidents/x1".into()),
        (Method::PATCH, "/api/admin/incidents/x1".into()),
        (Method::DELETE, "/api/admin/incidents/x1".into()),
        (Method::POST, "/api/admin/incidents/x1/updates".into()),
        (Method::PUT, "/api/admin/components/api/override".into()),
        (Method::DELETE, "/api/admin/components/api/override".into()),
    ]
}

#[tokio::test]
async fn every_route_wants_a_valid_bearer_token() {
    let (app, token) = spawn_admin_app().await;
    let body = br#"{"title": "x"}"#.to_vec();
    for (n, (method, path)) in (2..).zip(protected_routes()) {
        let cases = [
            ("no header", None),
            ("unknown token", Some("bcn_not-a-real-token")),
            ("token with a typo", Some(&token[..token.len() - 1])),
        ];
        // Each route from its own address: wrong tokens are throttled per client.
        let client = client_from(n);
        for (why, auth) in cases {
            let r = app
                .admin_raw_via(
                    &client,
                    method.clone(),
                    &path,
                    auth,
                    Some("application/json"),
                    body.clone(),
                )
                .await;
            assert_error(&r, 401, "unauthorized", "Bearer");
            assert_eq!(
                r.header("www-authenticate"),
                Some("Bearer"),
                "{method} {path} {why}"
            );
        }
    }
    // Another scheme, and the right token without a scheme.
    for auth in [format!("Basic {token}"), token.clone(), "Bearer ".into()] {
        let r = app
            .client
            .get(app.url("/api/admin/incidents"))
            .header("authorization", auth)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // The scheme is case-insensitive.
    let r = app
        .client
        .get(app.url("/api/admin/incidents"))
        .header("authorization", format!("bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_revoked_token_is_refused() {
    let (app, token) = spawn_admin_app().await;
    let r = app
        .admin(Method::GET, "/api/admin/incidents", &token, None)
        .await;
    assert_eq!(r.status, 200);
    let store = beacon::store::Store::open(&crate::helpers::database_url(&app.dir))
        .await
        .unwrap();
    let name = store.tokens().await.unwrap()[0].name.clone();
    wait_until(
        std::time::Duration::from_secs(10),
        "the use is recorded",
        || async { store.tokens().await.unwrap()[0].last_used_at.is_some() },
    )
    .await;
    store.revoke_token(&name).await.unwrap();
    let r = app
        .admin(Method::GET, "/api/admin/incidents", &token, None)
        .await;
    assert_error(&r, 401, "unauthorized", "token");
}

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

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_needs_no_token() {
    let (app, _token) = spawn_admin_app().await;
    let (status, text) = app.get("/api/admin/openapi.json").await;
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut routes: Vec<(Method, String)> = protected_routes()
        .into_iter()
        .map(|(m, p)| {
            (
                m,
                p.replace("x1", "{id}")
                    .replace("components/api/", "components/{id}/"),
            )
        })
        .collect();
    routes.push((Method::GET, "/api/admin/openapi.json".into()));
    for (method, path) in routes {
        let op = &doc["paths"][&path][method.as_str().to_lowercase()];
        assert!(op.is_object(), "{method} {path} missing from the document");
    }
    let schemes = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(schemes["scheme"], "bearer");
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
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
