//! The outbox end to end with the real binary: a check goes down and the
//! operators' webhook, Slack-style webhook and e-mail hear it within
//! seconds, once each, signed; retries keep the delivery id across 500s,
//! hangs and `kill -9`; a hanging target delays nobody else.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::binary::{Process, beacon};
use crate::helpers::{Mode, Target, metric, wait_until};
use crate::receivers::{Answer, HookReceiver, Signature, SmsGateway, SmtpMode, SmtpReceiver};

pub const SECRET: &str = "whsec-outbox-test";

/// A running `beacon serve` over `dir`, with the webhook secret set.
pub struct Served {
    pub process: Process,
    pub url: String,
}

fn serve(dir: &Path) -> Served {
    serve_on(dir, None)
}

/// [`serve`] on the database `db` (default: `beacon.db` in `dir`).
pub fn serve_on(dir: &Path, db: Option<&str>) -> Served {
    let mut command = beacon(dir);
    if let Some(db) = db {
        command.env("BEACON_DATABASE_URL", db);
    }
    let mut process = Process::spawn(
        command
            .args([
                "--config",
                "beacon.toml",
                "--listen",
                "127.0.0.1:0",
                "serve",
            ])
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
    serve_operational_on(dir, target, notifiers, None).await
}

/// [`serve_operational`] on the database `db`.
pub async fn serve_operational_on(
    dir: &TempDir,
    target: &Target,
    notifiers: &str,
    db: Option<&str>,
) -> Served {
    write(dir, &config(&target.url(), notifiers));
    let served = serve_on(dir.path(), db);
    let client = reqwest::Client::new();
    wait_until(Duration::from_secs(10), "api operational", || async {
        component_status(&client, &served.url).await == "operational"
    })
    .await;
    served
}

#[tokio::test]
async fn a_stopped_target_reaches_webhook_chat_and_mail_within_seconds_with_one_recovery_each() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let chat = HookReceiver::start(None).await;
    let smtp = SmtpReceiver::start(SmtpMode::Plain, None).await;
    let dir = tempfile::tempdir().unwrap();
    let notifiers = format!(
        "{}\n[[notifiers]]\nid = \"ops-chat\"\nkind = \"slack\"\nurl = \"{}\"\nevents = [\"check.down\", \"check.up\"]\n\n[[notifiers]]\nid = \"oncall-mail\"\nkind = \"email\"\nto = [\"oncall@acme.example\"]\nevents = [\"check.down\", \"check.up\"]\n\n[email]\nsmtp = \"{}\"\nfrom = \"Acme Status <status@acme.example>\"\n",
        webhook(
            "ops-webhook",
            &hook.url(),
            "events = [\"check.down\", \"check.up\"]"
        ),
        chat.url(),
        smtp.url()
    );
    let served = serve_operational(&dir, &target, &notifiers).await;
    let client = reqwest::Client::new();

    target.set(Mode::Close);
    wait_until(Duration::from_secs(10), "api down on the page", || async {
        component_status(&client, &served.url).await == "major_outage"
    })
    .await;
    let down_at = Instant::now();
    wait_until(
        Duration::from_secs(5),
        "check.down at all three",
        || async {
            !by_id(&hook, "check.down").is_empty()
                && !chat.requests().is_empty()
                && !smtp.mails().is_empty()
        },
    )
    .await;
    let took = down_at.elapsed();
    assert!(took < Duration::from_secs(5), "alerts took {took:?}");

    let down = &hook.requests()[0];
    assert_eq!(down.signature, Signature::Valid);
    let body = down.json();
    assert_eq!(body["event"], "check.down");
    assert_eq!(body["id"], down.header("x-beacon-delivery"));
    assert_eq!(body["check"]["id"], "api-health");
    assert_eq!(body["component"]["id"], "api");
    assert_eq!(body["page"]["name"], "Acme Status");
    let text = chat.requests()[0].json()["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(text.contains("Public API (api-health) is down"), "{text}");
    let mail = &smtp.mails()[0];
    let subject = mail.header("Subject").join(" ");
    assert!(
        subject.contains("check.down") && subject.contains("Public API"),
        "{subject}"
    );
    assert!(mail.part("text/plain").is_some() && mail.part("text/html").is_some());

    target.set(Mode::Ok);
    wait_until(Duration::from_secs(15), "check.up at all three", || async {
        !by_id(&hook, "check.up").is_empty()
            && chat.requests().len() >= 2
            && smtp.mails().len() >= 2
    })
    .await;
    // Nothing more comes: one alert and one recovery each.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(by_id(&hook, "check.down").len(), 1);
    assert_eq!(by_id(&hook, "check.up").len(), 1);
    assert_eq!(chat.requests().len(), 2);
    assert_eq!(smtp.mails().len(), 2);
    let metrics = get_text(&format!("{}/metrics", served.url), None).await;
    for notifier in ["ops-webhook", "ops-chat", "oncall-mail"] {
        let line = format!(
            "beacon_notification_deliveries_total{{notifier=\"{notifier}\",outcome=\"delivered\"}} 2"
        );
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }
    let texts: Vec<String> = chat
        .requests()
        .iter()
        .map(|r| r.json()["text"].to_string())
        .collect();
    assert!(texts[1].contains("is up again"), "{texts:?}");
}

#[tokio::test]
async fn a_hanging_target_delays_neither_the_other_notifier_nor_the_probes_and_is_retried_with_the_same_id()
 {
    let target = Target::start(Mode::Ok).await;
    let hanging = HookReceiver::start(Some(SECRET)).await;
    let healthy = HookReceiver::start(Some(SECRET)).await;
    hanging.answer(Answer::Hang);
    let dir = tempfile::tempdir().unwrap();
    let notifiers = format!(
        "{}{}",
        webhook("slow", &hanging.url(), "timeout = \"1s\""),
        webhook("fast", &healthy.url(), "")
    );
    let served = serve_operational(&dir, &target, &notifiers).await;
    let client = reqwest::Client::new();

    target.set(Mode::Close);
    wait_until(
        Duration::from_secs(10),
        "check.down at the healthy target",
        || async { !by_id(&healthy, "check.down").is_empty() },
    )
    .await;
    wait_until(
        Duration::from_secs(2),
        "the hanging one tried too",
        || async { !by_id(&hanging, "check.down").is_empty() },
    )
    .await;
    // The probes go on meanwhile, on time: every 300 ms check started while
    // the hanging target held its attempts is in the schedule-lag histogram
    // within 2.5 s, and recovery is seen.
    let lag = |text: &str, bucket: &str| {
        metric(text, &format!("beacon_probe_schedule_lag_seconds{bucket}"))
    };
    let metrics = || async {
        client
            .get(format!("{}/metrics", served.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let before = lag(&metrics().await, "_count");
    target.set(Mode::Ok);
    wait_until(
        Duration::from_secs(10),
        "check.up at the healthy target",
        || async { !by_id(&healthy, "check.up").is_empty() },
    )
    .await;
    let text = metrics().await;
    let count = lag(&text, "_count");
    assert!(count >= before + 2.0, "probes went on: {before} -> {count}");
    assert!(
        lag(&text, "_bucket{le=\"2.5\"}") >= count - 1.0,
        "probes started late:\n{text}"
    );

    hanging.answer(Answer::Accept);
    wait_until(
        Duration::from_secs(30),
        "the hanging target gets check.down on a retry",
        || async {
            let down = by_id(&hanging, "check.down");
            down.len() == 1 && down.keys().all(|id| hanging.accepted(id) == 1)
        },
    )
    .await;
    let down = by_id(&hanging, "check.down");
    let (id, attempts) = down.iter().next().unwrap();
    assert!(*attempts >= 2, "retried: {attempts}");
    assert_eq!(hanging.accepted(id), 1, "one logical delivery");
    drop(served);
}

#[tokio::test]
async fn repeated_500s_are_retried_with_the_same_id_and_bytes() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    hook.answer(Answer::Fail(500));
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        &config(
            &target.url(),
            &webhook("ops", &hook.url(), "events = [\"check.down\"]"),
        ),
    );
    let served = serve(dir.path());
    let token = token(dir.path());

    target.set(Mode::Close);
    wait_until(Duration::from_secs(40), "two failed attempts", || async {
        hook.requests().len() >= 2
    })
    .await;
    let url = format!("{}/api/admin/deliveries?status=pending", served.url);
    let pending: serde_json::Value =
        serde_json::from_str(&get_text(&url, Some(&token)).await).unwrap();
    let first = &pending["deliveries"][0];
    assert_eq!(first["event"], "check.down");
    assert_eq!(first["target"], "ops");
    assert!(first["attempts"].as_u64().unwrap() >= 2, "{pending}");
    assert_eq!(first["last_error"], "HTTP 500 Internal Server Error");
    hook.answer(Answer::Accept);
    wait_until(Duration::from_secs(40), "accepted", || async {
        hook.requests().iter().any(|r| r.status == Some(200))
    })
    .await;
    let all = hook.requests();
    let ids: HashSet<&str> = all.iter().map(|r| r.header("x-beacon-delivery")).collect();
    assert_eq!(ids.len(), 1, "one delivery id across retries: {ids:?}");
    assert!(all.len() >= 3);
    assert!(
        all.iter()
            .all(|r| r.body == all[0].body && r.signature == Signature::Valid)
    );
    assert_eq!(hook.accepted(all[0].header("x-beacon-delivery")), 1);
}

#[tokio::test]
async fn kill_9_during_a_burst_loses_no_event_and_duplicates_none() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    hook.answer(Answer::Hang);
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        &config(
            &target.url(),
            &webhook(
                "ops",
                &hook.url(),
                "timeout = \"1s\"\nevents = [\"incident.opened\"]",
            ),
        ),
    );
    let mut served = serve(dir.path());
    let token = token(dir.path());
    let client = reqwest::Client::new();
    let mut opened = Vec::new();
    for n in 0..12 {
        let response = client
            .post(format!("{}/api/admin/incidents", served.url))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "title": format!("Burst {n}"), "status": "investigating", "impact": "minor",
                    "body": "b", "components": {"web": "degraded_performance"}
                })
                .to_string(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        opened.push(body["id"].as_str().unwrap().to_owned());
    }
    wait_until(
        Duration::from_secs(10),
        "some attempts in flight",
        || async { hook.requests().len() >= 2 },
    )
    .await;
    served.process.kill_9();

    hook.answer(Answer::Accept);
    let _again = serve(dir.path());
    wait_until(Duration::from_secs(60), "every event accepted", || async {
        let accepted: HashSet<String> = hook
            .requests()
            .iter()
            .filter(|r| r.status == Some(200))
            .map(|r| {
                r.json()["incident"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        opened.iter().all(|id| accepted.contains(id))
    })
    .await;
    let mut ids_per_event: HashMap<String, HashSet<String>> = HashMap::new();
    for r in hook.requests() {
        assert_eq!(r.signature, Signature::Valid);
        let event = r.json()["incident"]["id"].as_str().unwrap().to_owned();
        ids_per_event
            .entry(event)
            .or_default()
            .insert(r.header("x-beacon-delivery").to_owned());
    }
    assert_eq!(
        ids_per_event.len(),
        opened.len(),
        "no event lost, none invented"
    );
    for (event, ids) in &ids_per_event {
        assert_eq!(ids.len(), 1, "event {event} had one delivery id: {ids:?}");
    }
}

#[tokio::test]
async fn remind_every_repeats_check_down_while_down_and_stops_after_recovery() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let dir = tempfile::tempdir().unwrap();
    let extra = "events = [\"check.down\"]\nremind_every = \"1s\"";
    write(
        &dir,
        &config(&target.url(), &webhook("ops", &hook.url(), extra)),
    );
    let _served = serve(dir.path());

    target.set(Mode::Close);
    wait_until(Duration::from_secs(20), "a reminder", || async {
        by_id(&hook, "check.down").len() >= 2
    })
    .await;
    let bodies: HashSet<String> = hook
        .requests()
        .iter()
        .map(|r| r.json()["check"]["id"].to_string())
        .collect();
    assert_eq!(bodies.len(), 1, "reminders are about the same check");
    target.set(Mode::Ok);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_recovery = by_id(&hook, "check.down").len();
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        by_id(&hook, "check.down").len(),
        after_recovery,
        "no reminder once up"
    );
}

#[tokio::test]
async fn an_sms_notifier_texts_each_number_once_when_a_check_goes_down_and_up() {
    let target = Target::start(Mode::Ok).await;
    // The server is started with one secret variable; here it is both the
    // gateway's account and its token.
    let gateway = SmsGateway::start(SECRET, SECRET).await;
    let dir = tempfile::tempdir().unwrap();
    let sms = format!(
        "\n[[notifiers]]\nid = \"pager\"\nkind = \"sms\"\nurl = \"{}\"\nfrom = \"+15550001111\"\n\
         to = [\"+15550002222\", \"+15550003333\"]\nusername_env = \"BEACON_WEBHOOK_SECRET\"\n\
         password_env = \"BEACON_WEBHOOK_SECRET\"\nevents = [\"check.down\", \"check.up\"]\n",
        gateway.url()
    );
    let served = serve_operational(&dir, &target, &sms).await;
    let numbers = |word: &str| {
        let mut to: Vec<String> = gateway
            .texts()
            .into_iter()
            .filter(|t| t.body.contains(word))
            .map(|t| t.to)
            .collect();
        to.sort();
        to
    };

    target.set(Mode::Close);
    wait_until(
        Duration::from_secs(10),
        "a down text to each number",
        || async { numbers("is down").len() >= 2 },
    )
    .await;
    target.set(Mode::Ok);
    wait_until(
        Duration::from_secs(10),
        "an up text to each number",
        || async { numbers("is up again").len() >= 2 },
    )
    .await;
    let both = ["+15550002222", "+15550003333"];
    assert_eq!(numbers("is down"), both, "one down text per number");
    assert_eq!(numbers("is up again"), both, "one up text per number");
    assert!(gateway.refused().is_empty(), "{:?}", gateway.refused());
    drop(served);
}
