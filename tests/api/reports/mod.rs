//! User reports (SPEC §10) against the real binary and a real SQLite file:
//! distinct reporters by client address (loopback aliases, and
//! `X-Forwarded-For` from a trusted proxy) and the spike once per window
//! ([`spikes`]); the public count and `enabled = false` ([`forms`]); hostile
//! input ([`abuse`]). This file holds the server and builders they share.

use std::path::Path;

use reqwest::Client;
use serde_json::Value;
use tempfile::TempDir;

use crate::binary::{self, Process};
use crate::helpers::{client_from, texts, wait_until, write_config};
use crate::receivers::HookReceiver;

mod abuse;
mod forms;
pub mod spikes;
mod store;

/// Two components; `127.0.0.9` is the trusted proxy; `extra` ends `[reports]`.
fn config(extra: &str) -> String {
    format!(
        r#"[server]
trusted_proxies = ["127.0.0.9"]

[reports]
threshold = 5
window = "10m"
{extra}

[[components]]
id = "api"
name = "Public API"

[[components]]
id = "web"
name = "Website"
"#
    )
}

/// `beacon serve --no-probe` on its own database, with an admin token.
pub struct Server {
    _process: Process,
    _dir: TempDir,
    pub url: String,
    token: String,
}

impl Server {
    pub async fn start(config: &str) -> Server {
        Server::start_on(config, None).await
    }

    /// [`Server::start`] on the database `db` (default: a new SQLite file).
    pub async fn start_on(config: &str, db: Option<&str>) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_config(&dir, config);
        let db = db.map_or_else(
            || format!("sqlite://{}", dir.path().join("beacon.db").display()),
            str::to_owned,
        );
        let token = mint_token(dir.path(), &db);
        let mut process = Process::spawn(
            binary::beacon(dir.path())
                .env("BEACON_DATABASE_URL", &db)
                .args(["serve", "--no-probe", "--listen", "127.0.0.1:0", "--config"])
                .arg(&path),
        );
        let url = process.url().trim_end_matches('/').to_owned();
        Server {
            _process: process,
            _dir: dir,
            url,
            token,
        }
    }

    /// POSTs `body` (form-encoded) as a report about `component` through
    /// `client`; status, `Retry-After` and the page.
    pub async fn report_raw(
        &self,
        client: &Client,
        component: &str,
        body: Vec<u8>,
        forwarded: Option<&str>,
    ) -> (u16, Option<String>, String) {
        let mut request = client
            .post(format!("{}/components/{component}/report", self.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-for", forwarded);
        }
        let response = request.send().await.expect("report sent");
        let status = response.status().as_u16();
        let retry = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, retry, response.text().await.expect("page"))
    }

    /// A report with `note` from `client`; its status.
    pub async fn report(&self, client: &Client, component: &str, note: &str) -> u16 {
        let body = format!("note={}&website=", urlencode(note)).into_bytes();
        self.report_raw(client, component, body, None).await.0
    }

    /// `GET /api/admin/reports{query}` with the token.
    pub async fn reports(&self, query: &str) -> Value {
        let response = Client::new()
            .get(format!("{}/api/admin/reports{query}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("admin request");
        assert_eq!(response.status(), 200);
        serde_json::from_str(&response.text().await.expect("body")).expect("json")
    }

    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = Client::new()
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("page");
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

fn mint_token(dir: &Path, db: &str) -> String {
    let out = binary::run(binary::beacon(dir).env("BEACON_DATABASE_URL", db).args([
        "token",
        "create",
        "reports-test",
    ]));
    assert!(out.status.success(), "token create: {out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .split_whitespace()
        .find(|w| w.starts_with("bcn_"))
        .expect("token printed")
        .to_owned()
}

pub fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// [`config`] with a webhook notifier of every event at `hook`.
pub fn with_hook(hook: &HookReceiver) -> String {
    let notifier = format!(
        "\n[[notifiers]]\nid = \"ops\"\nkind = \"webhook\"\nurl = \"{}\"\n",
        hook.url()
    );
    config("") + &notifier
}

/// Opens an incident and waits until `hook` has its `incident.opened`:
/// events are fanned out in order, so what came before has been sent.
async fn barrier(server: &Server, hook: &HookReceiver, n: usize) {
    let body = serde_json::json!({
        "title": format!("barrier {n}"), "status": "investigating",
        "impact": "none", "body": "barrier", "components": {"web": "operational"}
    });
    let response = Client::new()
        .post(format!("{}/api/admin/incidents", server.url))
        .bearer_auth(&server.token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("incident");
    assert_eq!(response.status(), 201);
    let what = format!("incident.opened #{n} at the webhook");
    wait_until(std::time::Duration::from_secs(15), &what, || async {
        hook.accepted_events("incident.opened") == n
    })
    .await;
}

/// Reports of `component` in the admin API that made a spike.
async fn spikes(server: &Server, component: &str) -> usize {
    let list = server.reports(&format!("?component={component}")).await;
    let reports = list["reports"].as_array().expect("reports");
    reports.iter().filter(|r| r["spike"] == true).count()
}
