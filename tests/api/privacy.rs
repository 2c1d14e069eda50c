//! Check targets are operator data (SPEC §2): no public page, feed, badge,
//! JSON response or metric shows a URL, address, DNS name, resolver, header
//! or token, nor a failure reason naming one; `public_target = true` shows
//! scheme, host, port and path only.

use std::time::Duration;

use crate::helpers::{Mode, Target, TestApp, page_text, spawn_app, texts, wait_until};

const PATH: &str = "/internal/health";
const SECRETS: [&str; 4] = ["SECRET456", "SECRET789", PATH, "secret-db.corp.example"];

/// Components `api` (a private http check with a secret query and header,
/// switched between failing and passing), `internal` (the same URL shape
/// on a closed port), `db` (tcp), `dns` (a private name and resolver) and
/// `pub` (`public_target = true`, with a query that stays private).
fn config(target: &Target, closed: u16, public: &Target) -> String {
    let private = |port: u16| format!("http://127.0.0.1:{port}{PATH}?key=SECRET456");
    let component = |id: &str| format!("[[components]]\nid = \"{id}\"\nname = \"{id} service\"\n");
    let check = |id: &str, component: &str, keys: &str| {
        format!(
            "[[checks]]\nid = \"{id}\"\ncomponent = \"{component}\"\ninterval = \"300ms\"\n\
             timeout = \"200ms\"\nfailure_threshold = 1\nrecovery_threshold = 1\n{keys}\n"
        )
    };
    let http = |url: String| {
        format!("kind = \"http\"\nurl = \"{url}\"\nheaders = {{ \"X-Api-Key\" = \"SECRET789\" }}")
    };
    [
        "[site]\ntitle = \"Privacy\"\n".to_owned(),
        component("api"),
        component("internal"),
        component("db"),
        component("dns"),
        component("pub"),
        check(
            "api-health",
            "api",
            &format!("label = \"API health\"\n{}", http(private(target.addr.port()))),
        ),
        check("internal-health", "internal", &http(private(closed))),
        check(
            "db-port",
            "db",
            &format!("kind = \"tcp\"\naddress = \"{}\"", target.addr),
        ),
        check(
            "db-dns",
            "dns",
            &format!(
                "kind = \"dns\"\nname = \"secret-db.corp.example\"\nresolver = \"127.0.0.1:{closed}\""
            ),
        ),
        check(
            "pub-health",
            "pub",
            &format!(
                "public_target = true\nkind = \"http\"\nurl = \"http://{}/public/health?token=QUERY123\"",
                public.addr
            ),
        ),
    ]
    .concat()
}

/// Whether `text` holds `n` as a whole number (no digit on either side).
fn holds_number(text: &str, n: u16) -> bool {
    let n = n.to_string();
    text.match_indices(&n).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + n.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Every public route, the incident pages included.
async fn public_routes(app: &TestApp) -> Vec<String> {
    let mut routes: Vec<String> = [
        "/",
        "/incidents",
        "/feed.rss",
        "/feed.atom",
        "/feed.json",
        "/history.rss",
        "/history.atom",
        "/maintenances.ics",
        "/api/v2/summary.json",
        "/api/v2/status.json",
        "/api/v2/components.json",
        "/api/v2/incidents.json",
        "/api/v2/incidents/unresolved.json",
        "/api/v2/scheduled-maintenances.json",
        "/api/v2/scheduled-maintenances/upcoming.json",
        "/api/v2/scheduled-maintenances/active.json",
        "/metrics",
        "/readyz",
    ]
    .map(str::to_owned)
    .to_vec();
    for id in ["api", "internal", "db", "dns", "pub"] {
        for path in ["", "/feed.rss", "/feed.atom", "/feed.json"] {
            routes.push(format!("/components/{id}{path}"));
        }
        routes.push(format!("/badge/{id}.svg"));
        routes.push(format!("/badge/{id}/uptime.svg"));
    }
    let (_, incidents) = app.get("/api/v2/incidents.json").await;
    let incidents: serde_json::Value = serde_json::from_str(&incidents).expect("JSON");
    for incident in incidents["incidents"].as_array().expect("incidents") {
        let id = incident["id"].as_str().expect("id");
        routes.push(format!("/incidents/{id}"));
    }
    routes
}

/// Fetches every public route and asserts none shows a private target.
async fn assert_nothing_leaks(app: &TestApp, ports: &[u16], phase: &str) -> usize {
    let routes = public_routes(app).await;
    for route in &routes {
        let (status, body) = app.get(route).await;
        assert!(
            status == 200 || (route == "/readyz" && status == 503),
            "{phase}: {route} answered {status}"
        );
        for secret in SECRETS.iter().chain(&["QUERY123"]) {
            assert!(
                !body.contains(secret),
                "{phase}: {route} shows {secret:?}:\n{body}"
            );
        }
        for &port in ports {
            assert!(
                !holds_number(&body, port),
                "{phase}: {route} shows port {port}:\n{body}"
            );
        }
    }
    routes.len()
}

#[tokio::test]
async fn no_public_route_shows_a_private_target_failing_or_passing() {
    let target = Target::start(Mode::Status(503)).await;
    let public = Target::start(Mode::Ok).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let app = spawn_app(&config(&target, closed, &public)).await;
    let ports = [target.addr.port(), closed];

    // Failing: outages with reasons, automatic incidents naming them.
    wait_until(Duration::from_secs(10), "outages and incidents", || async {
        let (_, body) = app.get("/api/v2/incidents/unresolved.json").await;
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        let open = json["incidents"].as_array().map_or(0, Vec::len);
        let page = page_text(&app.get("/components/api").await.1);
        open >= 3 && page.contains("status 503, expected 2xx")
    })
    .await;
    let (_, internal) = app.get("/components/internal").await;
    assert!(
        page_text(&internal).contains("connection refused"),
        "{internal}"
    );
    let (_, dns) = app.get("/components/dns").await;
    assert!(page_text(&dns).contains("timeout after 200ms"), "{dns}");
    let checked = assert_nothing_leaks(&app, &ports, "failing").await;
    assert!(checked > 40, "{checked} routes");

    // Labels stand in for ids; the public target shows without its query.
    let (_, api) = app.get("/components/api").await;
    assert_eq!(texts(&api, ".check-name"), ["API health"]);
    assert!(texts(&api, ".check-url").is_empty(), "{api}");
    let (_, public_page) = app.get("/components/pub").await;
    let shown = format!("http://{}/public/health", public.addr);
    assert_eq!(texts(&public_page, ".check-url"), [shown]);

    // Passing again: the incident is resolved, its text still target-free.
    target.set(Mode::Ok);
    wait_until(Duration::from_secs(10), "api recovered", || async {
        let (_, body) = app.get("/api/v2/components.json").await;
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        json["components"]
            .as_array()
            .expect("components")
            .iter()
            .any(|c| c["name"] == "api service" && c["status"] == "operational")
    })
    .await;
    assert_nothing_leaks(&app, &ports, "passing").await;
    app.stop().await;
}
