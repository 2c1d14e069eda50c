//! SPEC §6: "No input, however malformed, produces a 5xx or takes the server
//! down." Arbitrary JSON and bytes (proptest) and a table of hostile payloads
//! go to every admin route; every 4xx must carry our JSON error body.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ApiResponse, TestApp, protected_routes, spawn_admin_app};

/// Cases per strategy; each case hits every route.
const CASES: u32 = 256;

#[track_caller]
fn assert_no_5xx(r: &ApiResponse, what: &str) {
    assert!(r.status < 500, "{what}: {} {}", r.status, r.text);
    if r.status >= 400 {
        assert!(
            r.body["error"]["code"].is_string() && r.body["error"]["message"].is_string(),
            "{what}: {} without a JSON error body: {:?}",
            r.status,
            r.text
        );
    }
}

/// The routes, with a real maintenance and incident behind the id routes
/// (DELETE routes get ids that do not exist, so the fixtures stay).
async fn routes_with_fixtures(app: &TestApp, token: &str) -> Vec<(Method, String)> {
    let m = app
        .admin(
            Method::POST,
            "/api/admin/maintenances",
            token,
            Some(json!({"title": "m", "starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-01T01:00:00Z"})),
        )
        .await;
    let i = app
        .admin(
            Method::POST,
            "/api/admin/incidents",
            token,
            Some(json!({"title": "i", "status": "investigating", "impact": "minor", "body": "b"})),
        )
        .await;
    let (m, i) = (
        m.body["id"].as_str().unwrap(),
        i.body["id"].as_str().unwrap(),
    );
    protected_routes()
        .into_iter()
        .map(|(method, path)| {
            let path = match method {
                Method::DELETE => path,
                _ if path.contains("maintenances/x1") => path.replace("x1", m),
                _ => path.replace("x1", i),
            };
            (method, path)
        })
        .collect()
}

const FIELDS: &[&str] = &[
    "title",
    "body",
    "status",
    "impact",
    "components",
    "starts_at",
    "ends_at",
    "until",
    "api",
    "web",
];

fn json_value() -> impl Strategy<Value = Value> {
    let known = prop::sample::select(vec![
        "api",
        "web",
        "nope",
        "resolved",
        "completed",
        "investigating",
        "major",
        "major_outage",
        "2026-11-24T22:00:00Z",
        "2031-01-01T00:00:00+02:00",
        "",
    ])
    .prop_map(|s| Value::String(s.to_owned()));
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        known.clone(),
        known,
    ];
    let key = prop_oneof![
        prop::sample::select(FIELDS).prop_map(str::to_owned),
        any::<String>(),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Runs `strategy` for [`CASES`] cases, sending each input to every route.
fn fuzz<S>(strategy: S, to_bytes: fn(&S::Value) -> Vec<u8>)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (app, token) = runtime.block_on(spawn_admin_app());
    let routes = runtime.block_on(routes_with_fixtures(&app, &token));
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let sent = std::cell::Cell::new(0u32);
    runner
        .run(&strategy, |input| {
            let bytes = to_bytes(&input);
            for (method, path) in &routes {
                let r = runtime.block_on(app.admin_raw(
                    method.clone(),
                    path,
                    Some(&token),
                    Some("application/json"),
                    bytes.clone(),
                ));
                sent.set(sent.get() + 1);
                prop_assert!(r.status < 500, "{method} {path}: {} {}", r.status, r.text);
                if r.status >= 400 {
                    prop_assert!(
                        r.body["error"]["code"].is_string(),
                        "{method} {path}: {} {:?}",
                        r.status,
                        r.text
                    );
                }
            }
            Ok(())
        })
        .unwrap();
    // The server is still up and answering.
    let r = runtime.block_on(app.admin(Method::GET, "/api/admin/incidents", &token, None));
    assert_eq!(r.status, 200);
    eprintln!("{} cases, {} requests", CASES, sent.get());
    runtime.block_on(app.stop());
}

#[test]
fn arbitrary_json_to_every_route_never_gets_a_5xx() {
    fuzz(json_value(), |v| serde_json::to_vec(v).unwrap());
}

#[test]
fn arbitrary_bytes_to_every_route_never_get_a_5xx() {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        // Almost-JSON: a valid object with bytes flipped.
        (prop::collection::vec(any::<(usize, u8)>(), 1..6)).prop_map(|flips| {
            let mut b = br#"{"title":"t","status":"resolved","body":"b","components":{"api":"major_outage"}}"#
                .to_vec();
            let len = b.len();
            for (at, byte) in flips {
                b[at % len] = byte;
            }
            b
        }),
    ];
    fuzz(bytes, Vec::clone);
}

fn nested(depth: usize) -> Vec<u8> {
    let mut v = "[".repeat(depth).into_bytes();
    v.extend("]".repeat(depth).into_bytes());
    v
}

#[tokio::test]
async fn hostile_payloads_never_get_a_5xx() {
    let (app, token) = spawn_admin_app().await;
    let routes = routes_with_fixtures(&app, &token).await;
    let mb = "x".repeat(1 << 20);
    let mut field_nested = br#"{"components":"#.to_vec();
    field_nested.extend(nested(10_000));
    field_nested.push(b'}');
    let payloads: Vec<(&str, Vec<u8>)> = vec![
        ("wrong types", br#"{"title":1,"status":[],"impact":{},"body":true,"components":"api","starts_at":5,"until":false}"#.to_vec()),
        ("nulls", br#"{"title":null,"status":null,"impact":null,"body":null,"components":null,"starts_at":null,"ends_at":null}"#.to_vec()),
        ("null", b"null".to_vec()),
        ("a string", br#""title""#.to_vec()),
        ("an array", br#"[{"title":"t"}]"#.to_vec()),
        ("huge numbers", br#"{"title":1e400,"components":{"api":18446744073709551616}}"#.to_vec()),
        ("negative numbers", br#"{"title":-9223372036854775809,"starts_at":-1}"#.to_vec()),
        ("10,000-deep arrays", nested(10_000)),
        ("10,000-deep arrays in a field", field_nested),
        ("invalid UTF-8", b"{\"title\":\"\xff\xfe\xfd\",\"body\":\"\xc3\x28\"}".to_vec()),
        ("lone surrogate", br#"{"title":"\ud800"}"#.to_vec()),
        ("SQL", br#"{"title":"x'); DROP TABLE incidents;--","status":"resolved","body":"' OR '1'='1","components":{"api' --":"major_outage"}}"#.to_vec()),
        ("control characters", b"{\"title\":\"\\u0000\\u001b[31m\",\"body\":\"\\u0000\"}".to_vec()),
        ("raw control characters", b"{\"title\":\"a\x01\x02\"}".to_vec()),
        ("1 MB string", format!(r#"{{"title":"{mb}"}}"#).into_bytes()),
        ("1 MB key", format!(r#"{{"{mb}":1}}"#).into_bytes()),
        ("duplicate keys", br#"{"title":"a","title":"b"}"#.to_vec()),
        ("far-away times", br#"{"title":"t","starts_at":"0000-01-01T00:00:00Z","ends_at":"9999-12-31T23:59:59Z","until":"+275760-09-13T00:00:00Z"}"#.to_vec()),
        ("odd offsets", br#"{"title":"t","starts_at":"2026-11-24T22:00:00+23:59","ends_at":"2026-11-24T22:00:00-23:59","until":"2026-13-45T25:61:61Z"}"#.to_vec()),
        ("many components", format!(r#"{{"components":[{}]}}"#, vec![r#""api""#; 5000].join(",")).into_bytes()),
        ("empty", Vec::new()),
        ("whitespace", b"  \n\t ".to_vec()),
        ("BOM", b"\xef\xbb\xbf{}".to_vec()),
    ];
    for (what, bytes) in &payloads {
        for (method, path) in &routes {
            let r = app
                .admin_raw(
                    method.clone(),
                    path,
                    Some(&token),
                    Some("application/json"),
                    bytes.clone(),
                )
                .await;
            assert_no_5xx(&r, &format!("{what} → {method} {path}"));
        }
    }
    // Hostile paths and queries.
    for path in [
        "/api/admin/incidents/%ff%fe",
        "/api/admin/incidents/%",
        "/api/admin/maintenances/..%2F..%2Fetc%2Fpasswd",
        "/api/admin/incidents?limit=99999999999999999999",
        "/api/admin/incidents?limit=1&offset=-1",
        "/api/admin/maintenances?limit=%ff",
        "/api/admin/components/%00/override",
    ] {
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let r = app
                .admin_raw(
                    method.clone(),
                    path,
                    Some(&token),
                    Some("application/json"),
                    br#"{"status":"operational"}"#.to_vec(),
                )
                .await;
            assert_no_5xx(&r, &format!("{method} {path}"));
        }
    }
    let r = app
        .admin(Method::GET, "/api/admin/incidents", &token, None)
        .await;
    assert_eq!(r.status, 200, "still serving");
}
