//! What every client relies on besides the shapes: string ids and group
//! rows, JSON with CORS and ETags, JSON errors, absolute links.

use super::*;
use crate::helpers::spawn_app;

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
