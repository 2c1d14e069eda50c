//! Visitor subscriptions end to end (SPEC §8): the form on the page, the
//! double opt-in mail through a real SMTP server, a maintenance
//! announcement for the chosen component only, `notify: false`, one-click
//! unsubscribe with the RFC 8058 headers; the same answer for every
//! address, the honeypot, the hourly limit and hostile input.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_in, texts};
use crate::receivers::{ReceivedMail, SmtpMode, SmtpReceiver};

fn config(smtp: &str) -> String {
    format!(
        r#"
[site]
title = "Acme Status"

[[components]]
id = "api"
name = "Public API"

[[components]]
id = "web"
name = "Website"

[email]
smtp = "{smtp}"
from = "Acme Status <status@acme.example>"

[subscriptions]
enabled = true
"#
    )
}

async fn start() -> (TestApp, SmtpReceiver, String) {
    let smtp = SmtpReceiver::start(SmtpMode::Plain, None).await;
    let app = spawn_app_in(tempfile::tempdir().unwrap(), &config(&smtp.url()), false).await;
    let token = app.create_token().await;
    (app, smtp, token)
}

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: &str,
) -> (u16, String) {
    let response = client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The first `http://…` link in the mail's text part that contains `part`.
fn link(mail: &ReceivedMail, part: &str) -> String {
    let text = mail.part("text/plain").unwrap();
    text.split_whitespace()
        .find(|w| w.starts_with("http://") && w.contains(part))
        .unwrap_or_else(|| panic!("no {part} link in {text}"))
        .to_owned()
}

fn path_of(url: &str) -> String {
    let parsed = url::Url::parse(url).unwrap();
    parsed.path().to_owned()
}

async fn maintenance(app: &TestApp, token: &str, title: &str, component: &str, notify: bool) {
    let starts = chrono::Utc::now() + chrono::Duration::days(1);
    let body = json!({
        "title": title, "starts_at": starts.to_rfc3339(),
        "ends_at": (starts + chrono::Duration::hours(1)).to_rfc3339(),
        "components": [component], "notify": notify,
    });
    let created = app
        .admin(Method::POST, "/api/admin/maintenances", token, Some(body))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
}

/// Waits a little and returns the mails so far (to show none came).
async fn settle(smtp: &SmtpReceiver) -> Vec<ReceivedMail> {
    tokio::time::sleep(Duration::from_millis(1500)).await;
    smtp.mails()
}

#[tokio::test]
async fn a_visitor_subscribes_confirms_hears_of_their_component_only_and_unsubscribes_in_one_click()
{
    let (app, smtp, token) = start().await;
    let client = reqwest::Client::new();
    let (_, page) = app.get("/components/api").await;
    assert_eq!(
        texts(&page, "form.subscribe-form[action=\"/subscribe\"] button"),
        ["Subscribe"]
    );
    assert_eq!(
        texts(&page, "input[name=components][value=api][checked]").len(),
        1
    );
    assert!(page.contains("href=\"/maintenances.ics\""));

    let (status, answer) = post_form(
        &app,
        &client,
        "/subscribe",
        "email=visitor%40example.com&components=api&website=",
    )
    .await;
    assert_eq!(status, 200);
    assert!(answer.contains("Check your inbox"));
    let confirm = &smtp.wait_for(1).await[0];
    assert_eq!(confirm.rcpt_tos, ["visitor@example.com"]);
    assert!(confirm.part("text/html").is_some());
    maintenance(&app, &token, "Before confirming", "api", true).await;
    assert_eq!(
        settle(&smtp).await.len(),
        1,
        "nothing before the confirmation"
    );

    let (status, confirmed) = app
        .get(&path_of(&link(confirm, "/subscriptions/confirm/")))
        .await;
    assert_eq!(status, 200, "{confirmed}");
    assert!(confirmed.contains("Subscription confirmed"));
    let (status, _) = app
        .get(&path_of(&link(confirm, "/subscriptions/confirm/")))
        .await;
    assert_eq!(status, 404, "a confirmation link works once");

    maintenance(&app, &token, "Website move", "web", true).await;
    maintenance(&app, &token, "Quiet API work", "api", false).await;
    maintenance(&app, &token, "API database upgrade", "api", true).await;
    let mails = smtp.wait_for(2).await;
    let announcement = &mails[1];
    let subject = announcement.header("Subject").join(" ");
    assert!(subject.contains("API database upgrade"), "{subject}");
    assert_eq!(
        settle(&smtp).await.len(),
        2,
        "nothing about web, nothing posted quietly"
    );
    let text = announcement.part("text/plain").unwrap();
    assert!(
        text.contains("Maintenance scheduled: API database upgrade") && text.contains("Public API")
    );
    assert!(
        announcement
            .part("text/html")
            .unwrap()
            .contains("Unsubscribe")
    );
    let unsubscribe = announcement.header("List-Unsubscribe")[0]
        .trim_matches(['<', '>'])
        .to_owned();
    assert_eq!(
        announcement.header("List-Unsubscribe-Post"),
        ["List-Unsubscribe=One-Click"]
    );
    assert_eq!(
        unsubscribe,
        link(announcement, "/subscriptions/unsubscribe/")
    );

    let (status, page) = app.get(&path_of(&unsubscribe)).await;
    assert_eq!(status, 200);
    assert_eq!(
        texts(&page, "main form[method=post] button"),
        ["Unsubscribe"]
    );
    let (status, done) = post_form(
        &app,
        &client,
        &path_of(&unsubscribe),
        "List-Unsubscribe=One-Click",
    )
    .await;
    assert_eq!(status, 200);
    assert!(done.contains("You are unsubscribed"));
    maintenance(&app, &token, "After unsubscribing", "api", true).await;
    assert_eq!(settle(&smtp).await.len(), 2, "no mail after unsubscribing");
    let listed = app
        .admin(Method::GET, "/api/admin/subscribers", &token, None)
        .await;
    assert_eq!(listed.body["subscribers"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn the_answer_never_tells_addresses_apart_and_bots_floods_and_junk_are_refused_cleanly() {
    let (app, smtp, _token) = start().await;
    let client = reqwest::Client::new();
    let (_, fresh) = post_form(&app, &client, "/subscribe", "email=a%40example.com").await;
    let confirm = &smtp.wait_for(1).await[0];
    app.get(&path_of(&link(confirm, "/subscriptions/confirm/")))
        .await;
    let (status, known) = post_form(&app, &client, "/subscribe", "email=a%40example.com").await;
    assert_eq!(status, 200);
    assert_eq!(
        texts(&known, "main"),
        texts(&fresh, "main"),
        "same answer for a known address"
    );
    let (status, bot) = post_form(
        &app,
        &client,
        "/subscribe",
        "email=b%40example.com&website=x",
    )
    .await;
    assert_eq!((status, texts(&bot, "main")), (200, texts(&fresh, "main")));
    assert_eq!(
        settle(&smtp).await.len(),
        1,
        "no mail to a confirmed address or a bot"
    );

    let hostile = [
        "email=",
        "email=not%20an%20address",
        "email=a%40b.example%0d%0aBcc%3a%20c%40d.example",
        "email=a%40b.example&components=nope",
        "email=a%40b.example&components=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%ff%fe=%00",
    ];
    for body in hostile {
        let (status, page) = post_form(&app, &client, "/subscribe", body).await;
        assert_eq!(status, 422, "{body}: {page}");
        assert!(!page.contains("<script>alert"), "escaped");
    }
    let (status, _) = app.get("/subscriptions/confirm/bcn_forged").await;
    assert_eq!(status, 404);
    let (status, _) = post_form(&app, &client, "/subscriptions/unsubscribe/abc.def", "").await;
    assert_eq!(status, 404);

    let flooder = crate::helpers::client_from(3);
    for n in 0..10 {
        let (status, _) = post_form(
            &app,
            &flooder,
            "/subscribe",
            &format!("email=flood{n}%40example.com"),
        )
        .await;
        assert_eq!(status, 200, "sign-up {n}");
    }
    let (status, page) =
        post_form(&app, &flooder, "/subscribe", "email=flood10%40example.com").await;
    assert_eq!(status, 429, "{page}");
    let other = crate::helpers::client_from(4);
    let (status, _) = post_form(&app, &other, "/subscribe", "email=elsewhere%40example.com").await;
    assert_eq!(status, 200, "another client is not limited");
    app.stop().await;
}

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
