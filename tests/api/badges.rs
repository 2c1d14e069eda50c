//! Status and uptime badges: valid SVG, sized from the text, escaped, cached.

use std::time::Duration;

use crate::helpers::{Mode, Target, TestApp, one_check_config, spawn_app, wait_until};

/// What a badge says and how wide it is, read from the parsed SVG.
#[derive(Debug)]
struct Parsed {
    width: u32,
    title: String,
    aria_label: String,
    texts: Vec<String>,
}

fn parse(svg: &str) -> Parsed {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .expect("a <title>")
        .to_owned();
    Parsed {
        width: root.attribute("width").unwrap().parse().unwrap(),
        title,
        aria_label: root.attribute("aria-label").expect("aria-label").to_owned(),
        texts: root
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(str::to_owned))
            .collect(),
    }
}

async fn badge(app: &TestApp, path: &str) -> Parsed {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "image/svg+xml",
        "{path}"
    );
    parse(&response.text().await.unwrap())
}

fn named(name: &str, url: &str) -> String {
    one_check_config(url).replace("name = \"Public API\"", &format!("name = {name:?}"))
}

#[tokio::test]
async fn status_badge_names_the_component_and_its_status() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&one_check_config(&target.url())).await;
    wait_until(Duration::from_secs(8), "operational badge", || async {
        badge(&app, "/badge/api.svg").await.title == "Public API: operational"
    })
    .await;
    let parsed = badge(&app, "/badge/api.svg").await;
    assert_eq!(parsed.aria_label, "Public API: operational");
    assert!(
        parsed.texts.contains(&"Public API".to_owned()),
        "{parsed:?}"
    );
    assert!(
        parsed.texts.contains(&"operational".to_owned()),
        "{parsed:?}"
    );

    target.set(Mode::Status(503));
    wait_until(Duration::from_secs(8), "major outage badge", || async {
        badge(&app, "/badge/api.svg").await.title == "Public API: major outage"
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn uptime_badge_shows_the_30_day_figure() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&one_check_config(&target.url())).await;
    wait_until(Duration::from_secs(8), "uptime figure", || async {
        badge(&app, "/badge/api/uptime.svg").await.title == "Public API uptime (30d): 100.00%"
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn a_component_without_results_says_no_data() {
    let app = spawn_app(&one_check_config("http://127.0.0.1:9/")).await;
    let parsed = badge(&app, "/badge/api/uptime.svg").await;
    assert_eq!(parsed.title, "Public API uptime (30d): no data");
    app.stop().await;
}

#[tokio::test]
async fn width_grows_with_the_name() {
    let short = spawn_app(&named("API", "http://127.0.0.1:9/")).await;
    let long = spawn_app(&named(
        "Public API gateway (Frankfurt)",
        "http://127.0.0.1:9/",
    ))
    .await;
    let (s, l) = (
        badge(&short, "/badge/api.svg").await,
        badge(&long, "/badge/api.svg").await,
    );
    assert_eq!(s.title, "API: no data");
    assert!(l.width > s.width + 100, "{} vs {}", l.width, s.width);
    short.stop().await;
    long.stop().await;
}

#[tokio::test]
async fn hostile_component_names_are_escaped() {
    let hostile = r#"<script>alert(1)</script> & "quotes" 'too' ]]>"#;
    let app = spawn_app(&named(hostile, "http://127.0.0.1:9/")).await;
    let response = app
        .client
        .get(app.url("/badge/api.svg"))
        .send()
        .await
        .unwrap();
    let svg = response.text().await.unwrap();
    assert!(!svg.contains("<script>"), "{svg}");
    let parsed = parse(&svg);
    assert_eq!(parsed.title, format!("{hostile}: no data"));
    assert_eq!(parsed.aria_label, format!("{hostile}: no data"));
    assert!(parsed.texts.contains(&hostile.to_owned()));
    app.stop().await;
}

#[tokio::test]
async fn unknown_components_are_404() {
    let app = spawn_app(&one_check_config("http://127.0.0.1:9/")).await;
    for path in [
        "/badge/nope.svg",
        "/badge/nope/uptime.svg",
        "/badge/api",
        "/badge/api.png",
        "/badge/API.svg",
    ] {
        let (status, _) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn badges_carry_etags_and_answer_304() {
    let app = spawn_app(&one_check_config("http://127.0.0.1:9/")).await;
    for path in ["/badge/api.svg", "/badge/api/uptime.svg"] {
        wait_until(Duration::from_secs(5), "304", || async {
            let first = app.client.get(app.url(path)).send().await.unwrap();
            let etag = first.headers()["etag"].to_str().unwrap().to_owned();
            let again = app
                .client
                .get(app.url(path))
                .header("if-none-match", &etag)
                .send()
                .await
                .unwrap();
            again.status() == 304
        })
        .await;
    }
    app.stop().await;
}
