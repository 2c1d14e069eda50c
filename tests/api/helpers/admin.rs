//! The admin API from a test: a token, requests and their JSON answers, and
//! the request bodies and assertions the admin tests share.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use super::app::{TestApp, database_url, spawn_app_in};
use beacon::store::Store;

/// Two components, `api` and `web`, with checks that never run (admin tests
/// spawn without the probe worker).
pub const ADMIN_CONFIG: &str = r#"
[site]
title = "Admin Test"

[[components]]
id = "api"
name = "Public API"

[[components]]
id = "web"
name = "Website"

[[checks]]
id = "api-tcp"
component = "api"
kind = "tcp"
address = "127.0.0.1:9"
interval = "60s"
timeout = "1s"

[[checks]]
id = "web-tcp"
component = "web"
kind = "tcp"
address = "127.0.0.1:9"
interval = "60s"
timeout = "1s"
"#;

/// An admin API response: status, headers and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
    pub text: String,
}

impl ApiResponse {
    /// The `error.message` of an error body.
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or_default()
    }

    /// The `error.code` of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    /// Mints an admin token straight into the store (as `beacon token create` does).
    pub async fn create_token(&self) -> String {
        let store = Store::open(&database_url(&self.dir)).await.expect("store");
        let token = beacon::store::generate_token();
        let name = format!("test-{}", &token[4..12]);
        store
            .create_token(&name, &token, chrono::Utc::now())
            .await
            .expect("token created");
        store.close().await;
        token
    }

    /// Sends raw bytes with a content type and an optional token.
    pub async fn admin_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> ApiResponse {
        self.admin_raw_via(&self.client, method, path, token, content_type, body)
            .await
    }

    /// [`TestApp::admin_raw`] through `client` (say, one bound to another
    /// loopback address, which the server sees as another client).
    pub async fn admin_raw_via(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> ApiResponse {
        let mut request = client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.body(body).send().await.expect("request failed");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        ApiResponse {
            status,
            headers,
            body,
            text,
        }
    }

    /// Sends `body` as JSON (or nothing) with `token`.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> ApiResponse {
        match body {
            Some(body) => {
                let bytes = serde_json::to_vec(&body).expect("json");
                self.admin_raw(method, path, Some(token), Some("application/json"), bytes)
                    .await
            }
            None => {
                self.admin_raw(method, path, Some(token), None, Vec::new())
                    .await
            }
        }
    }
}

/// Serves [`ADMIN_CONFIG`] without the probe worker, and mints a token.
pub async fn spawn_admin_app() -> (TestApp, String) {
    let app = spawn_app_in(tempfile::tempdir().expect("tempdir"), ADMIN_CONFIG, false).await;
    let token = app.create_token().await;
    (app, token)
}

/// `t` as the admin API writes times: RFC 3339, whole seconds, `Z`.
pub fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A valid maintenance body starting in `hours_from_now` hours, lasting
/// `hours_long`, on `web` and `api` (named twice).
pub fn maintenance_in(hours_from_now: i64, hours_long: i64) -> Value {
    let start = Utc::now() + Duration::hours(hours_from_now);
    json!({
        "title": "Database upgrade",
        "body": "We move to **new disks**.",
        "starts_at": rfc3339(start),
        "ends_at": rfc3339(start + Duration::hours(hours_long)),
        "components": ["web", "api", "api"],
    })
}

/// A valid incident body: minor, investigating, `api` partially out.
pub fn incident() -> Value {
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
pub fn assert_error(r: &ApiResponse, status: u16, code: &str, needle: &str) {
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

/// POSTs a maintenance, asserts 201, returns the created object.
pub async fn create_maintenance(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app
        .admin(Method::POST, "/api/admin/maintenances", token, Some(body))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

/// POSTs [`incident`], asserts 201, returns the created object.
pub async fn create_incident(app: &TestApp, token: &str) -> Value {
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
        (Method::GET, "/api/admin/reports".into()),
        (Method::GET, "/api/admin/subscribers".into()),
        (Method::POST, "/api/admin/subscribers".into()),
        (Method::DELETE, "/api/admin/subscribers/x1".into()),
        (Method::GET, "/api/admin/deliveries".into()),
    ]
}
