//! User reports (SPEC §10) against the real binary and a real SQLite file:
//! distinct reporters by client address (loopback aliases, and
//! `X-Forwarded-For` from a trusted proxy), the spike once per window, the
//! public count, `enabled = false`. Hostile input is in [`abuse`].

mod abuse;
mod store;

use std::path::Path;

use reqwest::Client;
use serde_json::Value;
use tempfile::TempDir;

use crate::binary::{self, Process};
use crate::helpers::{client_from, texts, wait_until, write_config};
use crate::receivers::HookReceiver;

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

#[tokio::test]
async fn five_reporters_make_one_spike_four_none_and_a_sixth_no_second() {
    five_reporters_make_one_spike_on(None).await;
}

/// The spike test on the database `db` (default: a new SQLite file).
pub async fn five_reporters_make_one_spike_on(db: Option<&str>) {
    let hook = HookReceiver::start(None).await;
    let server = Server::start_on(&with_hook(&hook), db).await;
    for n in 2..=5 {
        assert_eq!(
            server.report(&client_from(n), "api", "login fails").await,
            200
        );
    }
    // One client many times is one reporter.
    assert_eq!(server.report(&client_from(2), "api", "still").await, 200);
    assert_eq!(spikes(&server, "api").await, 0, "four reporters: no spike");
    barrier(&server, &hook, 1).await;
    assert_eq!(
        hook.accepted_events("reports.spike"),
        0,
        "four reporters page no one"
    );

    assert_eq!(
        server.report(&client_from(6), "api", "500 on /login").await,
        200
    );
    let list = server.reports("?component=api").await;
    assert_eq!(list["total"], 6);
    let spiked: Vec<&Value> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["spike"] == true)
        .collect();
    assert_eq!(spiked.len(), 1, "the fifth reporter makes the spike");
    assert_eq!(spiked[0]["note"], "500 on /login");
    wait_until(
        std::time::Duration::from_secs(15),
        "reports.spike at the webhook",
        || async { hook.accepted_events("reports.spike") == 1 },
    )
    .await;
    let delivery = hook
        .requests()
        .into_iter()
        .find(|r| r.header("x-beacon-event") == "reports.spike")
        .unwrap()
        .json();
    assert_eq!(delivery["event"], "reports.spike");
    assert_eq!(delivery["component"]["id"], "api");
    assert_eq!(delivery["reports"]["count"], 5);
    assert_eq!(delivery["reports"]["window_seconds"], 600);
    let notes = delivery["reports"]["notes"].as_array().unwrap();
    assert_eq!(notes[0], "500 on /login", "latest first");
    assert_eq!(notes.len(), 5, "every note of the window, up to five");

    assert_eq!(server.report(&client_from(7), "api", "me too").await, 200);
    assert_eq!(
        spikes(&server, "api").await,
        1,
        "no second spike in the window"
    );
    assert_eq!(spikes(&server, "web").await, 0, "per component");
    barrier(&server, &hook, 2).await;
    assert_eq!(
        hook.accepted_events("reports.spike"),
        1,
        "the sixth pages no one"
    );
}

#[tokio::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    let server = Server::start(&config("")).await;
    let untrusted = client_from(10);
    for n in 1..=3 {
        let forwarded = format!("198.51.100.{n}");
        let body = b"note=".to_vec();
        let (status, ..) = server
            .report_raw(&untrusted, "api", body, Some(&forwarded))
            .await;
        assert_eq!(status, 200);
    }
    // The header was ignored: all three came from 127.0.0.10, whose hour is used up.
    let (status, ..) = server
        .report_raw(&untrusted, "api", b"note=".to_vec(), Some("198.51.100.4"))
        .await;
    assert_eq!(
        status, 429,
        "an untrusted peer's X-Forwarded-For is ignored"
    );
    let list = server.reports("?component=api").await;
    let reporters: std::collections::HashSet<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reporter"].as_str().unwrap())
        .collect();
    assert_eq!(reporters.len(), 1);

    let proxy = client_from(9);
    for n in 1..=4 {
        let forwarded = format!("203.0.113.66, 198.51.100.{n}");
        let (status, ..) = server
            .report_raw(&proxy, "web", b"note=".to_vec(), Some(&forwarded))
            .await;
        assert_eq!(status, 200);
    }
    assert_eq!(spikes(&server, "web").await, 0, "four forwarded reporters");
    let (status, ..) = server
        .report_raw(&proxy, "web", b"note=".to_vec(), Some("198.51.100.5"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(spikes(&server, "web").await, 1, "five forwarded reporters");
    let list = server.reports("?component=web").await;
    let hashes: Vec<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reporter"].as_str().unwrap())
        .collect();
    assert!(
        hashes
            .iter()
            .all(|h| h.len() == 64 && !h.contains("198.51"))
    );
}

#[tokio::test]
async fn the_public_count_shows_only_when_enabled() {
    let public = Server::start(&config("public = true")).await;
    for n in [2, 3, 3] {
        assert_eq!(public.report(&client_from(n), "api", "").await, 200);
    }
    // Read-your-writes: the count is on the page the moment the report is thanked.
    let (_, index) = public.page("/").await;
    assert!(
        texts(&index, ".report-count")
            .contains(&"2 visitors reported a problem in the last hour".to_owned()),
        "{:?}",
        texts(&index, ".report-count")
    );
    let (_, web) = public.page("/components/web").await;
    assert_eq!(
        texts(&web, ".report-count"),
        ["No visitor reported a problem in the last hour"]
    );

    let private = Server::start(&config("")).await;
    assert_eq!(private.report(&client_from(2), "api", "").await, 200);
    for path in ["/", "/components/api"] {
        let (_, html) = private.page(path).await;
        assert!(texts(&html, ".report-count").is_empty(), "{path}");
        assert!(!html.contains("reported a problem"), "{path}");
    }
}

#[tokio::test]
async fn forms_are_on_both_pages_and_disabled_reports_remove_them_and_the_route() {
    let on = Server::start(&config("")).await;
    let (_, index) = on.page("/").await;
    let forms = texts(&index, "li.component form.report-form[method=post]");
    assert_eq!(forms.len(), 2, "one per component on /");
    let (_, page) = on.page("/components/api").await;
    assert_eq!(
        texts(&page, "form.report-form[action='/components/api/report']").len(),
        1
    );

    let off = Server::start(&config("enabled = false")).await;
    for path in ["/", "/components/api"] {
        let (status, html) = off.page(path).await;
        assert_eq!(status, 200);
        assert!(texts(&html, "form.report-form").is_empty(), "{path}");
    }
    let (status, _, html) = off
        .report_raw(&client_from(2), "api", b"note=x".to_vec(), None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(texts(&html, ".error-code"), ["404"]);
}
