//! Bearer tokens: every route wants one, revoked ones are refused.

use reqwest::Method;

use crate::helpers::{assert_error, client_from, protected_routes, spawn_admin_app, wait_until};

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
