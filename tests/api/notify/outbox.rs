//! The outbox end to end with the real binary: a check goes down and the
//! operators' webhook, Slack-style webhook and e-mail hear it within
//! seconds, once each, signed ([`delivery`]); retries keep the delivery id
//! across 500s, hangs and `kill -9`; a hanging target delays nobody else
//! ([`retries`]). This file holds what both share.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::binary::{Process, beacon};
use crate::helpers::{Mode, Target, metric, wait_until};
use crate::receivers::{Answer, HookReceiver, Signature, SmsGateway, SmtpMode, SmtpReceiver};

mod delivery;
mod retries;

pub const SECRET: &str = "whsec-outbox-test";

/// A running `beacon serve` over `dir`, with the webhook secret set.
pub struct Served {
    pub process: Process,
    pub url: String,
}

fn serve(dir: &Path) -> Served {
    serve_on(dir, &[])
}

/// [`serve`] with more environment `env` (`BEACON_DATABASE_URL`, default
/// `beacon.db` in `dir`; `BEACON_REGION`).
pub fn serve_on(dir: &Path, env: &[(&str, &str)]) -> Served {
    spawn_serve(dir, env, &[])
}

/// [`serve_on`] without the probe worker: pages, API and duties only.
pub fn serve_pages_on(dir: &Path, env: &[(&str, &str)]) -> Served {
    spawn_serve(dir, env, &["--no-probe"])
}

fn spawn_serve(dir: &Path, env: &[(&str, &str)], flags: &[&str]) -> Served {
    let mut command = beacon(dir);
    command.envs(env.iter().copied());
    let mut process = Process::spawn(
        command
            .args([
                "--config",
                "beacon.toml",
                "--listen",
                "127.0.0.1:0",
                "serve",
            ])
            .args(flags)
            .env("BEACON_WEBHOOK_SECRET", SECRET),
    );
    let url = process.url().trim_end_matches('/').to_owned();
    Served { process, url }
}

/// One component `api` with one fast http check on `target`, and `notifiers`.
fn config(target: &str, notifiers: &str) -> String {
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

[[checks]]
id = "api-health"
component = "api"
kind = "http"
url = "{target}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
recovery_threshold = 2
{notifiers}
"#
    )
}

pub fn webhook(id: &str, url: &str, extra: &str) -> String {
    format!(
        "\n[[notifiers]]\nid = \"{id}\"\nkind = \"webhook\"\nurl = \"{url}\"\nsecret_env = \"BEACON_WEBHOOK_SECRET\"\n{extra}\n"
    )
}

/// An admin token made with `beacon token create`.
fn token(dir: &Path) -> String {
    let out = beacon(dir)
        .args(["--config", "beacon.toml", "token", "create", "ci"])
        .env("BEACON_WEBHOOK_SECRET", SECRET)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

async fn get_text(url: &str, token: Option<&str>) -> String {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().text().await.unwrap()
}

fn write(dir: &TempDir, text: &str) {
    std::fs::write(dir.path().join("beacon.toml"), text).unwrap();
}

/// The requests of `receiver` for `event`, grouped by delivery id.
pub fn by_id(receiver: &HookReceiver, event: &str) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    for r in receiver.requests() {
        if r.header("x-beacon-event") == event {
            *ids.entry(r.header("x-beacon-delivery").to_owned())
                .or_insert(0) += 1;
        }
    }
    ids
}

pub async fn component_status(client: &reqwest::Client, url: &str) -> String {
    let body: serde_json::Value = match client
        .get(format!("{url}/api/v2/components.json"))
        .send()
        .await
    {
        Ok(r) => serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or_default(),
        Err(_) => return String::new(),
    };
    let rows = body["components"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .find(|c| c["id"] == "api")
        .and_then(|c| c["status"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Writes the config (`target` and `notifiers`), starts `beacon serve` and
/// waits until the component is operational.
async fn serve_operational(dir: &TempDir, target: &Target, notifiers: &str) -> Served {
    serve_operational_on(dir, target, notifiers, &[]).await
}

/// [`serve_operational`] with more environment `env` (see [`serve_on`]).
pub async fn serve_operational_on(
    dir: &TempDir,
    target: &Target,
    notifiers: &str,
    env: &[(&str, &str)],
) -> Served {
    write(dir, &config(&target.url(), notifiers));
    let served = serve_on(dir.path(), env);
    let client = reqwest::Client::new();
    wait_until(Duration::from_secs(10), "api operational", || async {
        component_status(&client, &served.url).await == "operational"
    })
    .await;
    served
}
