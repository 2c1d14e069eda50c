//! The public pages: uptime bars, 404s, caching headers, escaping, staleness.

use std::time::Duration;

use crate::helpers::{
    Mode, Target, one_check_config, page_text, spawn_app, spawn_app_in, texts, wait_until,
};

#[tokio::test]
async fn the_uptime_bar_has_one_titled_cell_per_day_and_today_has_a_figure() {
    let target = Target::start(Mode::Ok).await;
    let config = one_check_config(&target.url()).replace("[site]\n", "[site]\nhistory_days = 30\n");
    let app = spawn_app(&config).await;
    wait_until(Duration::from_secs(8), "first result", || async {
        page_text(&app.get("/").await.1).contains("All Systems Operational")
    })
    .await;
    let (_, html) = app.get("/").await;
    let titles = texts(&html, "ol.bar > li");
    let cells: Vec<&String> = titles
        .iter()
        .filter(|t| t.len() > 12 && t.as_bytes()[4] == b'-' && t[10..].starts_with(": "))
        .collect();
    assert_eq!(cells.len(), 30, "{titles:?}");
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(cells.last().unwrap().as_str(), format!("{today}: 100.00%"));
    assert!(cells[0].ends_with(": no data"), "{}", cells[0]);
    assert!(page_text(&html).contains("100.00%"));
    app.stop().await;
}

#[tokio::test]
async fn unknown_pages_get_a_styled_404() {
    let app = spawn_app(&one_check_config("http://127.0.0.1:9/")).await;
    for path in ["/components/nope", "/components/API", "/no/such/page"] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("/static/style."),
            "{path}: not the styled page: {html}"
        );
        assert!(page_text(&html).contains("Test Status"), "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn pages_carry_etags_and_answer_304_and_security_headers() {
    let app = spawn_app(&one_check_config("http://127.0.0.1:9/")).await;
    let first = app.client.get(app.url("/")).send().await.unwrap();
    let headers = first.headers().clone();
    let etag = headers
        .get("etag")
        .expect("etag")
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(headers.get("cache-control").unwrap(), "public, max-age=30");
    assert!(
        headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("default-src")
    );
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    let again = app
        .client
        .get(app.url("/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    // Data may have changed in between (a result arrived); then the tag differs.
    if again.headers().get("etag").unwrap().to_str().unwrap() == etag {
        assert_eq!(again.status().as_u16(), 304);
    }
    let stale = app
        .client
        .get(app.url("/"))
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 200);
    app.stop().await;
}

#[tokio::test]
async fn operator_text_is_escaped_and_groups_keep_file_order() {
    let config = r#"
[site]
title = "<b>Site</b>"
description = "\"><script>alert(1)</script>"
[[components]]
id = "zeta"
name = "Zeta <script>alert(1)</script>"
group = "Second"
[[components]]
id = "alpha"
name = "Alpha"
group = "First <img src=x onerror=alert(1)>"
[[components]]
id = "beta"
name = "Beta"
group = "Second"
"#;
    let app = spawn_app(config).await;
    let (_, html) = app.get("/").await;
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(!html.contains("<b>Site</b>"), "{html}");
    let text = page_text(&html);
    let (zeta, alpha, beta) = (
        text.find("Zeta <script>").expect("zeta shown as text"),
        text.find("Alpha").unwrap(),
        text.find("Beta").unwrap(),
    );
    assert!(
        zeta < beta && beta < alpha,
        "groups in file order, members together: {text}"
    );
    let (_, component) = app.get("/components/zeta").await;
    assert!(!component.contains("<script>alert(1)"));
    app.stop().await;
}

#[tokio::test]
async fn stale_data_is_called_stale_and_fails_readiness() {
    let target = Target::start(Mode::Ok).await;
    let config = one_check_config(&target.url());
    let app = spawn_app(&config).await;
    wait_until(Duration::from_secs(8), "fresh results", || async {
        texts(&app.get("/").await.1, ".component .status-label") == ["Operational"]
    })
    .await;
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let dir = app.stop().await;

    // Same database, nobody probing: after 3 intervals the data is stale.
    let app = spawn_app_in(dir, &config, false).await;
    wait_until(Duration::from_secs(15), "stale notice", || async {
        let text = page_text(&app.get("/").await.1);
        text.contains("stale") && !text.contains("All Systems Operational")
    })
    .await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    let body: serde_json::Value = serde_json::from_str(&ready.text().await.unwrap()).unwrap();
    assert_eq!(body["stale_checks"][0], "api-health");
    assert_eq!(app.get("/healthz").await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn the_component_page_shows_checks_and_three_charts() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&one_check_config(&target.url())).await;
    wait_until(Duration::from_secs(8), "a result", || async {
        texts(&app.get("/components/api").await.1, ".checks .status-label") == ["Up"]
    })
    .await;
    let (status, html) = app.get("/components/api").await;
    assert_eq!(status, 200);
    assert_eq!(
        texts(&html, "figure.chart").len(),
        3,
        "three charts: {html}"
    );
    assert!(
        !texts(&html, "figure.chart svg").is_empty(),
        "a drawn chart: {html}"
    );
    let text = page_text(&html);
    for needle in [
        "api-health",
        "every 300ms",
        "Public API",
        "24 hours",
        "7 days",
        "30 days",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    assert!(!texts(&html, "time[datetime]").is_empty());
    app.stop().await;
}

#[tokio::test]
async fn metrics_expose_checks_components_and_requests_in_prometheus_format() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&one_check_config(&target.url())).await;
    wait_until(Duration::from_secs(8), "a result", || async {
        texts(&app.get("/").await.1, ".component .status-label") == ["Operational"]
    })
    .await;
    app.get("/no-such-page").await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    for needle in [
        "# TYPE beacon_check_results_total counter",
        "beacon_check_results_total{check=\"api-health\",result=\"failed\"} 0",
        "beacon_check_latency_seconds{check=\"api-health\"} ",
        "beacon_check_up{check=\"api-health\"} 1",
        "beacon_component_status{component=\"api\",status=\"operational\"} 1",
        "beacon_component_status{component=\"api\",status=\"major_outage\"} 0",
        "beacon_http_requests_total{route=\"/\",status=\"200\"} ",
        "beacon_http_requests_total{route=\"unmatched\",status=\"404\"} 1",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    let ok_line = text
        .lines()
        .find(|l| l.starts_with("beacon_check_results_total{check=\"api-health\",result=\"ok\"}"))
        .unwrap();
    let ok: u64 = ok_line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(ok >= 1, "{ok_line}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "not a sample line: {line}");
    }
    app.stop().await;
}
