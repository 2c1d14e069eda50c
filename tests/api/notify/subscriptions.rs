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

mod visitors;
mod webhooks;

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
