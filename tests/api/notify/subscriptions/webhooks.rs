//! Webhook subscribers added by the admin API: signed incidents for
//! their components only, and a 422 for hostile input.

use super::*;

#[tokio::test]
async fn webhook_subscribers_get_signed_incidents_for_their_components_and_hostile_input_is_a_422()
{
    let (app, token) = crate::helpers::spawn_admin_app().await;
    let hook = crate::receivers::HookReceiver::start(Some("sub-secret")).await;
    let body = json!({"kind": "webhook", "url": hook.url(), "components": ["api"], "secret": "sub-secret"});
    let added = app
        .admin(
            Method::POST,
            "/api/admin/subscribers",
            &token,
            Some(body.clone()),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert!(
        added
            .header("location")
            .unwrap()
            .ends_with(added.body["id"].as_str().unwrap())
    );
    assert!(
        !added.text.contains("sub-secret"),
        "the secret is never shown"
    );
    let again = app
        .admin(Method::POST, "/api/admin/subscribers", &token, Some(body))
        .await;
    assert_eq!(again.status, 422, "{}", again.text);

    let hostile = [
        json!({"kind": "email", "url": "https://x.example"}),
        json!({"kind": "webhook", "url": "ftp://x.example"}),
        json!({"kind": "webhook", "url": "javascript:alert(1)"}),
        json!({"kind": "webhook", "url": "https://x.example", "components": ["nope"]}),
        json!({"kind": "webhook", "url": "https://x.example", "secret": "a\r\nb"}),
        json!({"kind": "webhook"}),
        json!({"kind": "webhook", "url": "https://x.example", "colour": 1}),
    ];
    for body in hostile {
        let refused = app
            .admin(
                Method::POST,
                "/api/admin/subscribers",
                &token,
                Some(body.clone()),
            )
            .await;
        assert_eq!(refused.status, 422, "{body}: {}", refused.text);
    }
    let bad_status = app
        .admin(
            Method::GET,
            "/api/admin/deliveries?status=lost",
            &token,
            None,
        )
        .await;
    assert_eq!(bad_status.status, 422);

    for (title, component) in [("Web only", "web"), ("API trouble", "api")] {
        let incident = json!({"title": title, "status": "investigating", "impact": "minor",
                              "body": "b", "components": {component: "partial_outage"}});
        let opened = app
            .admin(Method::POST, "/api/admin/incidents", &token, Some(incident))
            .await;
        assert_eq!(opened.status, 201);
    }
    crate::helpers::wait_until(
        Duration::from_secs(10),
        "the API incident at the subscriber",
        || async { hook.accepted_events("incident.opened") >= 1 },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = hook.requests();
    assert_eq!(got.len(), 1, "only the incident about api");
    assert_eq!(got[0].signature, crate::receivers::Signature::Valid);
    assert_eq!(got[0].json()["incident"]["name"], "API trouble");
    assert_eq!(got[0].json()["incident"]["components"][0]["id"], "api");

    let listed = app
        .admin(Method::GET, "/api/admin/subscribers?limit=1", &token, None)
        .await;
    let id = listed.body["subscribers"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/admin/subscribers/{id}");
    assert_eq!(
        app.admin(Method::DELETE, &path, &token, None).await.status,
        204
    );
    assert_eq!(
        app.admin(Method::DELETE, &path, &token, None).await.status,
        404
    );
    app.stop().await;
}
