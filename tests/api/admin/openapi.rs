//! `/api/admin/openapi.json`: every route, no token needed.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{protected_routes, spawn_admin_app};

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
