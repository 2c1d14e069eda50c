//! Feeds parsed by a real feed reader library (Python's feedparser): no
//! parse errors, stable ids, newest activity first, hostile text round-trips.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use beacon::domain::{
    ComponentStatus, Impact, IncidentStatus, NewIncident, NewMaintenance, NewUpdate,
};
use beacon::store::Store;
use chrono::Utc;
use serde_json::Value;

use crate::helpers::{TestApp, component_id, database_url, spawn_app, wait_until};

const HOSTILE: &str = "<script>alert(\"x\")</script> & ]]> 'quotes'";

fn ensure_feedparser() {
    let ok = Command::new("python3")
        .args(["-c", "import feedparser"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let req = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feeds/requirements.txt");
        let status = Command::new("python3")
            .args(["-m", "pip", "install", "-q", "-r"])
            .arg(req)
            .status()
            .expect("python3 is needed for the feed tests");
        assert!(status.success(), "pip install feedparser failed");
    }
}

/// Fetches `path`, checks its content type, parses it with feedparser (RSS,
/// Atom) or feed-rs (JSON Feed, which feedparser 6.0 does not read); returns
/// what a reader sees, in feedparser's terms.
async fn parse(app: &TestApp, path: &str, content_type: &str) -> Value {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let ct = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ct.starts_with(content_type), "{path}: {ct}");
    assert!(response.headers().contains_key("etag"), "{path}");
    let body = response.text().await.unwrap();
    if ct.starts_with("application/feed+json") {
        return parse_json_feed(&body);
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &body).unwrap();
    ensure_feedparser();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feeds/parse.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(file.path())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        parsed["bozo"], 0,
        "{path}: feedparser reports a problem: {}\n{body}",
        parsed["bozo_exception"]
    );
    parsed
}

fn parse_json_feed(body: &str) -> Value {
    let raw: Value = serde_json::from_str(body).expect("valid JSON");
    assert_eq!(raw["version"], "https://jsonfeed.org/version/1.1");
    let feed = feed_rs::parser::parse(body.as_bytes()).expect("feed-rs parses the JSON Feed");
    let entries: Vec<Value> = feed
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "title": e.title.as_ref().map(|t| t.content.clone()),
                "content": e.content.as_ref().and_then(|c| c.body.clone()),
                "updated": e.updated.map(|t| t.to_rfc3339()),
            })
        })
        .collect();
    serde_json::json!({ "bozo": 0, "version": "json11", "entries": entries })
}

fn config() -> String {
    "[site]\ntitle = \"Acme\"\nurl = \"https://status.acme.test\"\n\
     [[components]]\nid = \"api\"\nname = \"API\"\n[[components]]\nid = \"web\"\nname = \"Web\"\n"
        .to_owned()
}

#[tokio::test]
async fn every_feed_parses_with_stable_ids_newest_first_and_hostile_text_as_text() {
    let app = spawn_app(&config()).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    let now = Utc::now();
    let minutes = chrono::Duration::minutes;
    let incident = store
        .create_incident(
            &NewIncident {
                title: HOSTILE.into(),
                status: IncidentStatus::Investigating,
                impact: Impact::Major,
                body: format!("We are looking. {HOSTILE}"),
                components: vec![(component_id("api"), ComponentStatus::MajorOutage)],
                auto_component: None,
                notify: true,
            },
            now - minutes(30),
        )
        .await
        .unwrap();
    let maintenance = store
        .create_maintenance(
            &NewMaintenance {
                title: "Database upgrade".into(),
                body: "**Planned** work".into(),
                starts_at: now + minutes(60),
                ends_at: now + minutes(120),
                components: vec![component_id("web")],
                notify: true,
            },
            now - minutes(20),
        )
        .await
        .unwrap();
    let cancelled = store
        .create_maintenance(
            &NewMaintenance {
                title: "Cancelled window".into(),
                body: String::new(),
                starts_at: now + minutes(60),
                ends_at: now + minutes(90),
                components: vec![component_id("api")],
                notify: true,
            },
            now - minutes(40),
        )
        .await
        .unwrap();
    store
        .cancel_maintenance(&cancelled.id, now - minutes(10))
        .await
        .unwrap();
    // The incident's newest update makes it the most recent activity.
    let update = NewUpdate {
        status: IncidentStatus::Resolved,
        body: "Fixed.".into(),
        components: vec![],
        impact: None,
        notify: true,
    };
    store
        .add_incident_update(&incident.id, &update, now - minutes(1))
        .await
        .unwrap();

    let base = "https://status.acme.test";
    let expected_ids = vec![
        format!("{base}/incidents/{}", incident.id),
        format!("{base}/maintenances/{}", cancelled.id),
        format!("{base}/maintenances/{}", maintenance.id),
    ];
    wait_until(
        Duration::from_secs(5),
        "the snapshot sees the writes",
        || async {
            app.get("/feed.json")
                .await
                .1
                .contains(maintenance.id.as_str())
                && app.get("/feed.json").await.1.contains("Fixed.")
        },
    )
    .await;
    for (path, content_type, version) in [
        ("/feed.rss", "application/rss+xml", "rss20"),
        ("/history.rss", "application/rss+xml", "rss20"),
        ("/feed.atom", "application/atom+xml", "atom10"),
        ("/history.atom", "application/atom+xml", "atom10"),
        ("/feed.json", "application/feed+json", "json11"),
    ] {
        let first = parse(&app, path, content_type).await;
        assert_eq!(first["version"], version, "{path}");
        let ids: Vec<String> = first["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            ids, expected_ids,
            "{path}: newest activity first, stable ids"
        );
        let again = parse(&app, path, content_type).await;
        assert_eq!(
            first["entries"], again["entries"],
            "{path}: stable across fetches"
        );
        let entries = first["entries"].as_array().unwrap();
        assert_eq!(
            entries[0]["title"], HOSTILE,
            "{path}: the title round-trips as text"
        );
        let content = entries[0]["content"].as_str().unwrap();
        assert!(!content.contains("<script"), "{path}: {content}");
        assert!(
            content.contains("Fixed.") && content.contains("Resolved"),
            "{path}: updates in the content"
        );
        assert!(
            entries[1]["content"]
                .as_str()
                .unwrap()
                .contains("Cancelled"),
            "{path}"
        );
        assert!(
            entries[2]["content"]
                .as_str()
                .unwrap()
                .contains("<strong>Planned</strong>"),
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn component_feeds_only_carry_their_component() {
    let app = spawn_app(&config()).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    let now = Utc::now();
    let window = |c: &str| NewMaintenance {
        title: format!("Work on {c}"),
        body: String::new(),
        starts_at: now + chrono::Duration::hours(1),
        ends_at: now + chrono::Duration::hours(2),
        components: vec![component_id(c)],
        notify: true,
    };
    let on_api = store.create_maintenance(&window("api"), now).await.unwrap();
    store.create_maintenance(&window("web"), now).await.unwrap();
    wait_until(Duration::from_secs(5), "both in the site feed", || async {
        app.get("/feed.json").await.1.matches("Work on").count() == 2
    })
    .await;
    for (path, ct) in [
        ("/components/api/feed.rss", "application/rss+xml"),
        ("/components/api/feed.atom", "application/atom+xml"),
        ("/components/api/feed.json", "application/feed+json"),
    ] {
        let parsed = parse(&app, path, ct).await;
        let entries = parsed["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{path}");
        assert!(
            entries[0]["id"]
                .as_str()
                .unwrap()
                .ends_with(on_api.id.as_str()),
            "{path}"
        );
    }
    assert_eq!(app.get("/components/nope/feed.rss").await.0, 404);
    app.stop().await;
}

#[tokio::test]
async fn every_page_advertises_the_feeds_and_links_to_them() {
    let app = spawn_app(&config()).await;
    for path in ["/", "/components/api", "/incidents", "/no-such-page"] {
        let html = app.get(path).await.1;
        let doc = scraper::Html::parse_document(&html);
        let alternate = scraper::Selector::parse("link[rel=alternate]").unwrap();
        let hrefs: Vec<&str> = doc
            .select(&alternate)
            .filter_map(|e| e.value().attr("href"))
            .collect();
        for feed in ["/history.atom", "/history.rss", "/feed.json"] {
            assert!(hrefs.contains(&feed), "{path}: {hrefs:?}");
        }
        let links = scraper::Selector::parse("footer a").unwrap();
        let visible: Vec<&str> = doc
            .select(&links)
            .filter_map(|e| e.value().attr("href"))
            .collect();
        assert!(
            visible.contains(&"/feed.rss") && visible.contains(&"/feed.atom"),
            "{path}: {visible:?}"
        );
    }
    let html = app.get("/components/api").await.1;
    assert!(
        html.contains("href=\"/components/api/feed.atom\""),
        "component feed advertised"
    );
    app.stop().await;
}
