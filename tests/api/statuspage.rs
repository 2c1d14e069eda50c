//! The Statuspage-compatible API v2: shapes against hand-written reference
//! payloads (`tests/fixtures/statuspage/`, from statuspage-v2.md), enum
//! values in several states, agreement with `/`, CORS and caching.

use std::time::Duration;

use beacon::domain::{
    ComponentStatus, Impact, IncidentStatus, NewIncident, NewMaintenance, NewUpdate,
};
use beacon::store::Store;
use chrono::Utc;
use serde_json::Value;

use crate::helpers::{Mode, Target, TestApp, database_url, spawn_app, texts, wait_until};

/// Every path, with the fixture holding its reference shape.
const ENDPOINTS: [(&str, &str); 8] = [
    ("/api/v2/summary.json", "summary.json"),
    ("/api/v2/status.json", "status.json"),
    ("/api/v2/components.json", "components.json"),
    ("/api/v2/incidents.json", "incidents.json"),
    (
        "/api/v2/incidents/unresolved.json",
        "incidents-unresolved.json",
    ),
    (
        "/api/v2/scheduled-maintenances.json",
        "scheduled-maintenances.json",
    ),
    (
        "/api/v2/scheduled-maintenances/upcoming.json",
        "scheduled-maintenances-upcoming.json",
    ),
    (
        "/api/v2/scheduled-maintenances/active.json",
        "scheduled-maintenances-active.json",
    ),
];

/// Keys whose value may be null where the reference shows a value.
const NULLABLE: [&str; 6] = [
    "group_id",
    "description",
    "start_date",
    "monitoring_at",
    "resolved_at",
    "affected_components",
];

const COMPONENT_STATUSES: [&str; 5] = [
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
];
const INCIDENT_STATUSES: [&str; 5] = [
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "postmortem",
];
const MAINTENANCE_STATUSES: [&str; 4] = ["scheduled", "in_progress", "verifying", "completed"];
const INDICATORS: [&str; 5] = ["none", "minor", "major", "critical", "maintenance"];
const IMPACTS: [&str; 4] = ["none", "minor", "major", "critical"];

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/statuspage/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture JSON")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Problems of `actual` against the reference shape `want`: same keys, same
/// types (null only where [`NULLABLE`] allows it); each array element must
/// fit one of the reference's elements (e.g. a group row or a child row).
fn shape_problems(path: &str, actual: &Value, want: &Value) -> Vec<String> {
    let key = path.rsplit('.').next().unwrap_or("");
    match (actual, want) {
        (Value::Null, w) if !w.is_null() && NULLABLE.contains(&key) => vec![],
        (Value::Object(a), Value::Object(w)) => {
            let mut problems = Vec::new();
            for k in w.keys().filter(|k| !a.contains_key(*k)) {
                problems.push(format!("{path}.{k}: missing"));
            }
            for (k, v) in a {
                match w.get(k) {
                    None => problems.push(format!("{path}.{k}: not in the reference")),
                    Some(wv) => problems.extend(shape_problems(&format!("{path}.{k}"), v, wv)),
                }
            }
            problems
        }
        (Value::Array(a), Value::Array(w)) => {
            assert!(!w.is_empty(), "{path}: the reference needs an example");
            let mut problems = Vec::new();
            for (i, item) in a.iter().enumerate() {
                let tries: Vec<Vec<String>> = w
                    .iter()
                    .map(|wi| shape_problems(&format!("{path}[]"), item, wi))
                    .collect();
                if tries.iter().all(|t| !t.is_empty()) {
                    let best = tries.into_iter().min_by_key(Vec::len).unwrap_or_default();
                    problems.push(format!("{path}[{i}]: {}", best.join("; ")));
                }
            }
            problems
        }
        (a, w) if kind(a) == kind(w) => vec![],
        (a, w) => vec![format!(
            "{path}: {} where the reference has {}",
            kind(a),
            kind(w)
        )],
    }
}

/// Enum values, id types and timestamps, checked by where they sit.
fn value_problems(path: &str, v: &Value, out: &mut Vec<String>) {
    let allowed = |set: &[&str], s: &str| set.contains(&s);
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                value_problems(&format!("{path}.{k}"), child, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                value_problems(&format!("{path}[]"), item, out);
            }
        }
        _ => {}
    }
    let key = path.rsplit('.').next().unwrap_or("");
    let text = v.as_str();
    let bad = |out: &mut Vec<String>| out.push(format!("{path}: unexpected {v}"));
    let in_maintenance = path.starts_with(".scheduled_maintenances");
    match (key, text) {
        ("id" | "page_id" | "incident_id" | "code", None) => bad(out),
        (k, Some(t))
            if (k.ends_with("_at") || k == "scheduled_for" || k == "scheduled_until")
                && chrono::DateTime::parse_from_rfc3339(t).is_err() =>
        {
            bad(out)
        }
        ("indicator", Some(t)) if !allowed(&INDICATORS, t) => bad(out),
        ("old_status" | "new_status", Some(t)) if !allowed(&COMPONENT_STATUSES, t) => bad(out),
        ("status", Some(t)) => {
            let ok = if path.ends_with("components[].status") {
                allowed(&COMPONENT_STATUSES, t)
            } else if in_maintenance {
                allowed(&MAINTENANCE_STATUSES, t)
            } else {
                allowed(&INCIDENT_STATUSES, t)
            };
            if !ok {
                bad(out)
            }
        }
        ("impact", Some(t)) => {
            let ok = if in_maintenance {
                t == "maintenance"
            } else {
                allowed(&IMPACTS, t)
            };
            if !ok {
                bad(out)
            }
        }
        _ => {}
    }
}

async fn get_json(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// Every endpoint fits its reference and holds only allowed values.
async fn check_all_endpoints(app: &TestApp, state: &str) {
    for (path, name) in ENDPOINTS {
        let payload = get_json(app, path).await;
        let mut problems = shape_problems("", &payload, &fixture(name));
        value_problems("", &payload, &mut problems);
        assert!(problems.is_empty(), "{state}: {path}: {problems:#?}");
    }
}

async fn indicator(app: &TestApp) -> String {
    get_json(app, "/api/v2/status.json").await["status"]["indicator"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the server's snapshot was built after everything written up
/// to now through a second store handle (another process, as far as the
/// server knows: its revision poll picks writes up within a second).
async fn wait_for_snapshot_of_writes_so_far(app: &TestApp) {
    let written = Utc::now();
    wait_until(
        Duration::from_secs(5),
        "a snapshot after the writes",
        || async {
            let ready: Value = serde_json::from_str(&app.get("/readyz").await.1).unwrap();
            let built = ready["snapshot_built_at"].as_str().unwrap_or_default();
            chrono::DateTime::parse_from_rfc3339(built).is_ok_and(|t| t > written)
        },
    )
    .await;
}

async fn wait_for_indicator(app: &TestApp, want: &str) {
    wait_until(Duration::from_secs(10), want, || async {
        indicator(app).await == want
    })
    .await;
}

/// Waits until every check has reported (the banner turns green).
async fn wait_for_results(app: &TestApp) {
    wait_until(Duration::from_secs(10), "first results", || async {
        texts(&app.get("/").await.1, ".banner-text").join(" ") == "All Systems Operational"
    })
    .await;
}

/// summary.json's status is what `/` shows in its banner (same snapshot).
async fn summary_agrees_with_banner(app: &TestApp) {
    wait_until(Duration::from_secs(5), "summary agrees with /", || async {
        let summary = get_json(app, "/api/v2/summary.json").await;
        let banner = texts(&app.get("/").await.1, ".banner-text").join(" ");
        summary["status"]["description"].as_str() == Some(banner.as_str())
    })
    .await;
}

fn component<'a>(payload: &'a Value, id: &str) -> &'a Value {
    payload["components"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no component {id} in {payload}"))
}

/// `api` (two checks, group Core), `db` (one check, degraded over 100 ms,
/// group Core), `web` (no checks, ungrouped).
fn config(a: &Target, b: &Target, c: &Target) -> String {
    format!(
        r#"
[site]
title = "Test Status"
url = "https://status.test.example"

[[components]]
id = "api"
name = "Public API"
group = "Core"

[[components]]
id = "web"
name = "Website"

[[components]]
id = "db"
name = "Database"
group = "Core"
auto_incidents = false

[[checks]]
id = "api-a"
component = "api"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
recovery_threshold = 2

[[checks]]
id = "api-b"
component = "api"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
recovery_threshold = 2

[[checks]]
id = "db-health"
component = "db"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
degraded_over = "100ms"
failure_threshold = 2
recovery_threshold = 2
"#,
        a.url(),
        b.url(),
        c.url()
    )
}

async fn targets() -> (Target, Target, Target) {
    (
        Target::start(Mode::Ok).await,
        Target::start(Mode::Ok).await,
        Target::start(Mode::Ok).await,
    )
}

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
                components: vec!["db".into()],
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
                components: vec!["api".into()],
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
                components: vec!["api".into()],
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
                components: vec!["api".into()],
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
    let mut want = vec![active.id.clone(), upcoming.id.clone()];
    want.sort();
    assert_eq!(summary_ids, want, "summary: upcoming and in progress");
    let all = get_json(&app, "/api/v2/scheduled-maintenances.json").await;
    assert_eq!(
        ids(&all),
        [upcoming.id.clone(), active.id.clone(), done.id.clone()],
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
                components: vec![("api".into(), ComponentStatus::PartialOutage)],
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
                components: vec![("api".into(), ComponentStatus::Operational)],
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

#[tokio::test]
async fn ids_are_strings_and_groups_are_rows_with_their_children_ids() {
    let (a, b, c) = targets().await;
    let app = spawn_app(&config(&a, &b, &c)).await;
    wait_for_results(&app).await;
    let payload = get_json(&app, "/api/v2/components.json").await;
    let page_id = payload["page"]["id"].as_str().unwrap().to_owned();
    assert_eq!(page_id.len(), 12);
    assert!(
        page_id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    );
    assert_eq!(payload["page"]["url"], "https://status.test.example");
    assert_eq!(payload["page"]["time_zone"], "UTC");
    let rows: Vec<(&str, &Value, bool, i64)> = payload["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["page_id"], page_id.as_str());
            (
                c["id"].as_str().expect("string id"),
                &c["group_id"],
                c["group"].as_bool().unwrap(),
                c["position"].as_i64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("group-core", &Value::Null, true, 1),
        ("api", &Value::from("group-core"), false, 1),
        ("db", &Value::from("group-core"), false, 2),
        ("web", &Value::Null, false, 2),
    ];
    assert_eq!(rows, want);
    let group = component(&payload, "group-core");
    assert_eq!(group["components"], serde_json::json!(["api", "db"]));
    assert!(component(&payload, "api").get("components").is_none());
    let today = Utc::now().date_naive().to_string();
    assert_eq!(component(&payload, "api")["start_date"], today.as_str());
    assert!(component(&payload, "web")["start_date"].is_null());
    // The same page id from every endpoint and across restarts of the page.
    let again = get_json(&app, "/api/v2/status.json").await;
    assert_eq!(again["page"]["id"], page_id.as_str());
    app.stop().await;
}

#[tokio::test]
async fn every_endpoint_sends_json_cors_and_etags_and_answers_304() {
    let (a, b, c) = targets().await;
    let app = spawn_app(&config(&a, &b, &c)).await;
    for (path, _) in ENDPOINTS {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers["access-control-allow-origin"], "*", "{path}");
        assert_eq!(headers["content-type"], "application/json", "{path}");
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("max-age")
        );
        let etag = headers["etag"].to_str().unwrap().to_owned();
        // The snapshot may be rebuilt in between; a fresh ETag then is fine.
        wait_until(
            Duration::from_secs(5),
            "304 for a matching ETag",
            || async {
                let first = app.client.get(app.url(path)).send().await.unwrap();
                let etag = first.headers()["etag"].to_str().unwrap().to_owned();
                let again = app
                    .client
                    .get(app.url(path))
                    .header("if-none-match", &etag)
                    .send()
                    .await
                    .unwrap();
                again.status() == 304 && again.headers()["access-control-allow-origin"] == "*"
            },
        )
        .await;
        assert!(etag.starts_with('"'), "{path}: {etag}");
    }
    app.stop().await;
}

#[test]
fn the_shape_walker_catches_missing_keys_wrong_types_and_bad_enums() {
    let reference = fixture("components.json");
    let mut wrong = reference.clone();
    wrong["components"][1]["id"] = Value::from(1);
    wrong["components"][1]
        .as_object_mut()
        .unwrap()
        .remove("position");
    wrong["components"][0]["group_id"] = Value::Null;
    wrong["page"]["name"] = Value::Null;
    let problems = shape_problems("", &wrong, &reference);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains(".page.name: null")));
    assert!(problems.iter().any(|p| p.contains("position: missing")));
    let mut bad = reference.clone();
    bad["components"][0]["status"] = Value::from("unknown");
    let mut found = Vec::new();
    value_problems("", &bad, &mut found);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(shape_problems("", &reference, &reference).is_empty());
}

#[tokio::test]
async fn unknown_api_paths_answer_json_errors_not_pages() {
    let app = spawn_app("[[components]]\nid = \"api\"\nname = \"API\"\n").await;
    for path in [
        "/api/v2/nope.json",
        "/api/v3/summary.json",
        "/badge/nope.svg",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 404, "{path}");
        let is_api = path.starts_with("/api/");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            content_type.starts_with("application/json"),
            is_api,
            "{path}: {content_type}"
        );
        if is_api {
            let body: serde_json::Value =
                serde_json::from_str(&response.text().await.unwrap()).unwrap();
            assert_eq!(body["error"]["code"], "not_found", "{path}");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn without_a_site_url_links_are_absolute_under_the_bound_address() {
    let app = spawn_app("[[components]]\nid = \"api\"\nname = \"API\"\n").await;
    let summary = get_json(&app, "/api/v2/summary.json").await;
    assert_eq!(
        summary["page"]["url"],
        app.url(""),
        "the same base the feeds use"
    );
    let feed: serde_json::Value = serde_json::from_str(&app.get("/feed.json").await.1).unwrap();
    assert_eq!(feed["home_page_url"], app.url("/"));
    app.stop().await;
}
