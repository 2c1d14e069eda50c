//! The real binary on PostgreSQL (SPEC §9): every command with
//! `--database postgres://…`, pages, feeds and the v2 API after admin
//! writes, `pg_dump` backups, migrations started several at once, the
//! one-line errors of a database that cannot be reached, and the outbox
//! (a check going down, a report spike) with two servers on one database.

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use crate::admin_cli::{beacon, post, start_server, stdout};
use crate::binary::{assert_one_line_error, run};
use crate::databases::postgres_database;
use crate::helpers::{ADMIN_CONFIG, Mode, Target, wait_until, write_config};
use crate::notify::outbox::{
    SECRET, by_id, component_status, serve_operational_on, serve_pages_on, webhook,
};
use crate::receivers::{HookReceiver, Signature};

#[tokio::test]
async fn postgres_serves_admin_writes_on_pages_feeds_and_the_v2_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = postgres_database();
    let out = run(beacon(dir.path(), &db).arg("migrate"));
    assert!(out.status.success(), "{out:?}");
    let out = run(beacon(dir.path(), &db).args(["token", "create", "ops"]));
    assert!(out.status.success(), "{out:?}");
    let token = stdout(&out).trim().to_owned();
    let config = write_config(&dir, ADMIN_CONFIG);
    let (server, url) = start_server(dir.path(), &db, &config);
    let client = reqwest::Client::new();

    let incident = post(
        &client,
        format!("{url}/api/admin/incidents"),
        &token,
        json!({
        "title": "Database failover", "status": "identified", "impact": "major",
        "body": "Switching to the standby", "components": {"api": "partial_outage"}}),
    )
    .await;
    post(
        &client,
        format!("{url}/api/admin/maintenances"),
        &token,
        json!({
        "title": "Kernel upgrade", "starts_at": "2030-01-01T00:00:00Z",
        "ends_at": "2030-01-01T01:00:00Z", "components": ["web"]}),
    )
    .await;
    let get = |path: &str| {
        let (client, url) = (client.clone(), format!("{url}{path}"));
        async move {
            let r = client.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.text().await.unwrap()
        }
    };
    let page = get("/").await;
    assert!(
        page.contains("Database failover") && page.contains("Kernel upgrade"),
        "{page}"
    );
    let feed = feed_rs::parser::parse(get("/feed.atom").await.as_bytes()).unwrap();
    assert!(
        feed.entries
            .iter()
            .any(|e| e.title.as_ref().unwrap().content == "Database failover")
    );
    let v2: Value = serde_json::from_str(&get("/api/v2/summary.json").await).unwrap();
    assert_eq!(v2["incidents"][0]["id"], incident.as_str(), "{v2}");
    let api = v2["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Public API");
    assert_eq!(api.unwrap()["status"], "partial_outage", "{v2}");

    let out = run(beacon(dir.path(), &db).args(["token", "list"]));
    assert!(stdout(&out).contains("ops"), "{out:?}");
    let out = run(beacon(dir.path(), &db).args(["backup", "dump.pgc"]));
    assert!(out.status.success(), "{out:?}");
    assert!(stdout(&out).contains("dump.pgc"), "{}", stdout(&out));
    drop(server);

    // The dump restores into an empty database that serves the same incident.
    let copy = postgres_database();
    let restore = Command::new("pg_restore")
        .arg("--dbname")
        .arg(&copy)
        .arg(dir.path().join("dump.pgc"))
        .output()
        .unwrap();
    assert!(restore.status.success(), "{restore:?}");
    let store = beacon::store::Store::open(&copy).await.unwrap();
    assert_eq!(
        store
            .incident(&beacon::domain::IncidentId::parse(&incident).unwrap())
            .await
            .unwrap()
            .title,
        "Database failover"
    );

    let out = run(beacon(dir.path(), &db).args(["token", "revoke", "ops"]));
    assert!(out.status.success(), "{out:?}");
    let out = run(beacon(dir.path(), &db).args(["token", "revoke", "ops"]));
    assert_one_line_error(&out, "no token named \"ops\"");
}

#[test]
fn several_migrate_at_once_apply_each_migration_once_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("new.db").display());
    for db in [postgres_database(), sqlite] {
        let children: Vec<_> = (0..4)
            .map(|_| {
                beacon(dir.path(), &db)
                    .arg("migrate")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{db}: {out:?}");
        }
        let out = run(beacon(dir.path(), &db).args(["token", "create", "after"]));
        assert!(out.status.success(), "{db}: {out:?}");
    }
}

#[test]
fn an_unusable_postgres_url_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = format!("postgres://beacon:s3cret@127.0.0.1:{port}/beacon");
    let out = run(beacon(dir.path(), &unreachable).arg("migrate"));
    assert_one_line_error(&out, "cannot open database postgres://beacon:***@127.0.0.1");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("s3cret"),
        "{out:?}"
    );

    let out = run(beacon(dir.path(), "postgres://[::1").args(["token", "list"]));
    assert_one_line_error(&out, "cannot open database");

    let good = postgres_database();
    let no_such_db = format!("{}_missing", good);
    let out = run(beacon(dir.path(), &no_such_db).arg("migrate"));
    assert_one_line_error(&out, "does not exist");

    // Without pg_dump on PATH, backup says what is missing.
    let out = run(beacon(dir.path(), &good)
        .env("PATH", "/nonexistent")
        .args(["backup", "x.pgc"]));
    assert_one_line_error(&out, "pg_dump is not installed");
}

#[tokio::test]
async fn two_servers_on_postgres_send_one_check_down_through_the_outbox() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let dir = tempfile::tempdir().unwrap();
    let db = postgres_database();
    let notifiers = webhook(
        "ops",
        &hook.url(),
        "events = [\"check.down\", \"check.up\"]",
    );
    // One prober (README: one per region) and two servers contending for
    // the notifications lease: the event is delivered once, by its holder.
    let first =
        serve_operational_on(&dir, &target, &notifiers, &[("BEACON_DATABASE_URL", &db)]).await;
    let second = serve_pages_on(dir.path(), &[("BEACON_DATABASE_URL", &db)]);
    let client = reqwest::Client::new();

    target.set(Mode::Close);
    for served in [&first, &second] {
        wait_until(Duration::from_secs(10), "api down on each node", || async {
            component_status(&client, &served.url).await == "major_outage"
        })
        .await;
    }
    wait_until(
        Duration::from_secs(5),
        "check.down at the webhook",
        || async { !by_id(&hook, "check.down").is_empty() },
    )
    .await;
    // The other server had time to send it too: still one delivery, once.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let downs = by_id(&hook, "check.down");
    assert_eq!(downs.len(), 1, "one delivery: {downs:?}");
    assert_eq!(downs.values().sum::<usize>(), 1, "sent once: {downs:?}");
    let sent = &hook.requests()[0];
    assert_eq!(sent.signature, Signature::Valid);
    assert_eq!(sent.json()["check"]["id"], "api-health");
}

#[tokio::test]
async fn a_report_spike_on_postgres_reaches_the_webhook_once() {
    let db = postgres_database();
    crate::reports::spikes::five_reporters_make_one_spike_on(Some(&db)).await;
}
