//! The real binary: `beacon token create|list|revoke` and their one-line
//! errors, and durability of acknowledged admin writes across SIGKILL.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::binary::{self, Process, assert_one_line_error, run};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_CONFIG, write_config};

pub fn beacon(cwd: &Path, db: &str) -> Command {
    let mut cmd = binary::beacon(cwd);
    cmd.env("BEACON_DATABASE_URL", db);
    cmd
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("beacon.db").display())
}

#[test]
fn token_create_prints_it_once_and_stores_only_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let out = run(beacon(dir.path(), &db).args(["token", "create", "ci-deploy_1"]));
    assert!(out.status.success(), "{out:?}");
    let token = stdout(&out).trim().to_owned();
    assert!(token.starts_with("bcn_") && token.len() > 40, "{token}");
    assert_eq!(stdout(&out).lines().count(), 1, "only the token on stdout");

    let out = run(beacon(dir.path(), &db).args(["token", "list"]));
    assert!(out.status.success());
    let listed = stdout(&out);
    assert!(listed.contains("ci-deploy_1"), "{listed}");
    assert!(listed.contains("never"), "not used yet: {listed}");
    assert!(!listed.contains(&token), "list never shows the token");
    let raw = std::fs::read(dir.path().join("beacon.db")).unwrap();
    let wal = std::fs::read(dir.path().join("beacon.db-wal")).unwrap_or_default();
    let needle = token.as_bytes();
    for bytes in [raw, wal] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the token itself is not stored"
        );
    }

    let out = run(beacon(dir.path(), &db).args(["token", "revoke", "ci-deploy_1"]));
    assert!(out.status.success(), "{out:?}");
    let out = run(beacon(dir.path(), &db).args(["token", "list"]));
    assert!(!stdout(&out).contains("ci-deploy_1"));
}

#[test]
fn token_user_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let out = run(beacon(dir.path(), &db).args(["token", "create", ""]));
    assert_one_line_error(&out, "token name is empty");
    for bad in [
        "has space",
        "dots.not.ok",
        "ünï",
        &"x".repeat(65),
        "semi;colon",
    ] {
        let out = run(beacon(dir.path(), &db).args(["token", "create", bad]));
        assert_one_line_error(&out, "invalid token name");
    }
    let out = run(beacon(dir.path(), &db).args(["token", "create", &"x".repeat(64)]));
    assert!(out.status.success(), "64 characters is fine: {out:?}");
    let out = run(beacon(dir.path(), &db).args(["token", "create", "ops"]));
    assert!(out.status.success());
    let out = run(beacon(dir.path(), &db).args(["token", "create", "ops"]));
    assert_one_line_error(&out, "a token named \"ops\" already exists");
    let out = run(beacon(dir.path(), &db).args(["token", "revoke", "nobody"]));
    assert_one_line_error(&out, "no token named \"nobody\"");
}

/// `beacon serve --no-probe` on a free port; its base URL without the trailing slash.
pub fn start_server(dir: &Path, db: &str, config: &Path) -> (Process, String) {
    let mut server = Process::spawn(
        beacon(dir, db)
            .args(["serve", "--no-probe", "--listen", "127.0.0.1:0", "--config"])
            .arg(config),
    );
    let url = server.url().trim_end_matches('/').to_owned();
    (server, url)
}

pub async fn post(client: &reqwest::Client, url: String, token: &str, body: Value) -> String {
    let r = client
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 201);
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    writes_survive_sigkill(&dir, &db_url(dir.path())).await;
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    writes_survive_sigkill(&dir, &crate::databases::postgres_database()).await;
}

/// A burst of admin writes to `beacon serve` on `db`, `kill -9`, and every
/// acknowledged one is there after a restart.
async fn writes_survive_sigkill(dir: &tempfile::TempDir, db: &str) {
    let db = db.to_owned();
    let config = write_config(dir, ADMIN_CONFIG);
    let (mut server, url) = start_server(dir.path(), &db, &config);
    let out = run(beacon(dir.path(), &db).args(["token", "create", "durability"]));
    assert!(out.status.success(), "{out:?}");
    let token = stdout(&out).trim().to_owned();
    let client = reqwest::Client::new();

    // A burst of 50 creates, 10 in flight at a time.
    const BURST: usize = 50;
    let mut acknowledged = Vec::new();
    for wave in 0..BURST / 10 {
        let mut tasks = Vec::new();
        for n in 0..10 {
            let (client, token) = (client.clone(), token.clone());
            let k = wave * 10 + n;
            let (path, body) = if k % 2 == 0 {
                (
                    "maintenances",
                    json!({"title": format!("m{k}"), "starts_at": "2030-01-01T00:00:00Z",
                           "ends_at": "2030-01-01T02:00:00Z", "components": ["api"]}),
                )
            } else {
                (
                    "incidents",
                    json!({"title": format!("i{k}"), "status": "investigating", "impact": "major",
                           "body": "b", "components": {"web": "major_outage"}}),
                )
            };
            let url = format!("{url}/api/admin/{path}");
            tasks.push(tokio::spawn(async move {
                (path, post(&client, url, &token, body).await)
            }));
        }
        for task in tasks {
            acknowledged.push(task.await.unwrap());
        }
    }
    server.kill_9();
    assert_eq!(acknowledged.len(), BURST);

    let (_server, url) = start_server(dir.path(), &db, &config);
    for (path, id) in &acknowledged {
        let r = client
            .get(format!("{url}/api/admin/{path}/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}/{id} lost after SIGKILL");
    }
}

#[tokio::test]
async fn tokens_never_reach_the_logs_even_at_trace_level() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let config = write_config(&dir, ADMIN_CONFIG);
    let out = run(beacon(dir.path(), &db).args(["token", "create", "logs"]));
    let token = stdout(&out).trim().to_owned();
    let log = dir.path().join("stderr.log");
    let mut child = beacon(dir.path(), &db)
        .env("RUST_LOG", "trace")
        .args([
            "serve",
            "--no-probe",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--config",
        ])
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("spawn beacon serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line[line.find("http://").unwrap()..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let server = Process(child);
    let client = reqwest::Client::new();
    let wrong = "bcn_not-a-real-token-but-still-a-secret";
    for t in [token.as_str(), wrong] {
        let r = client
            .get(format!("{url}/api/admin/incidents"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        assert!(r.status() == 200 || r.status() == 401);
    }
    post(
        &client,
        format!("{url}/api/admin/incidents"),
        &token,
        json!({"title": "t", "status": "investigating", "impact": "minor", "body": "b"}),
    )
    .await;
    drop(server);
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(
        logs.len() > 1000,
        "trace logging was on: {} bytes",
        logs.len()
    );
    for line in logs.lines() {
        let parsed: Result<Value, _> = serde_json::from_str(line);
        assert!(
            parsed.is_ok(),
            "--log-format json writes JSON lines: {line}"
        );
    }
    assert!(
        !logs.contains(&token) && !logs.contains(&token[4..]),
        "the token leaked into the logs"
    );
    assert!(
        !logs.contains(wrong),
        "a presented token leaked into the logs"
    );
}

#[tokio::test]
async fn backup_copies_a_live_database_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let config = write_config(&dir, ADMIN_CONFIG);
    let (server, url) = start_server(dir.path(), &db, &config);
    let out = run(beacon(dir.path(), &db).args(["token", "create", "backup"]));
    let token = stdout(&out).trim().to_owned();
    let client = reqwest::Client::new();
    let id = post(&client, format!("{url}/api/admin/incidents"), &token, json!({"title": "Kept in the copy", "status": "investigating", "impact": "minor", "body": "b"})).await;

    let out = run(beacon(dir.path(), &db).args(["backup", "copy.db"]));
    assert!(out.status.success(), "{out:?}");
    assert!(stdout(&out).contains("copy.db"), "{}", stdout(&out));
    drop(server);

    let copy = beacon::store::Store::open(&format!(
        "sqlite://{}",
        dir.path().join("copy.db").display()
    ))
    .await
    .unwrap();
    assert_eq!(
        copy.incident(&beacon::domain::IncidentId::parse(&id).unwrap())
            .await
            .unwrap()
            .title,
        "Kept in the copy"
    );
    let out = run(beacon(dir.path(), &db).args(["backup", "copy.db"]));
    assert_one_line_error(&out, "already exists");
}
