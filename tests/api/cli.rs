//! The real `beacon` binary: one-line user errors, config reports, the demo,
//! signals, and a probe process sharing a database with a web process.

use std::process::Command;
use std::time::Duration;

use crate::binary::{Process, assert_one_line_error, beacon, run, stderr_lines};
use crate::helpers::{Mode, Target, one_check_config, page_text, wait_until, write_config};

async fn body(url: &str) -> String {
    match reqwest::get(url).await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[test]
fn check_config_reports_every_problem_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        &dir,
        r#"[site]
title = "x"
colour = "blue"

[[components]]
id = "api"
name = "API"

[[checks]]
id = "a"
component = "nope"
kind = "http"
url = "http://127.0.0.1:1/"

[[checks]]
id = "b"
component = "api"
kind = "tcp"
address = "127.0.0.1:1"
interval = "1s"
timeout = "2s"
failure_threshold = 0
"#,
    );
    let out = run(beacon(dir.path())
        .args(["check-config", "--config"])
        .arg(&path));
    assert_eq!(out.status.code(), Some(1));
    let lines = stderr_lines(&out);
    let at = |line: usize| {
        lines
            .iter()
            .any(|l| l.contains(&format!("beacon.toml:{line}:")))
    };
    assert!(at(3), "unknown key on line 3: {lines:?}");
    assert!(at(11), "missing component on line 11: {lines:?}");
    assert!(at(21), "timeout ≥ interval on line 21: {lines:?}");
    assert!(at(22), "zero threshold on line 22: {lines:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));

    let ok = write_config(&dir, &one_check_config("http://127.0.0.1:1/"));
    let out = run(beacon(dir.path())
        .args(["check-config", "--config"])
        .arg(&ok));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ok (1 components, 1 checks, 0 notifiers)")
    );
}

#[test]
fn user_errors_are_one_line_and_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(beacon(dir.path()).args(["serve", "--config", "missing.toml"]));
    assert_one_line_error(&out, "missing.toml");

    let out = run(beacon(dir.path()).args(["check-config"]));
    assert_one_line_error(&out, "no config file");

    let out =
        run(beacon(dir.path()).args(["migrate", "--database", "sqlite:///no/such/dir/beacon.db"]));
    assert_one_line_error(&out, "cannot open database");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run(beacon(dir.path()).args(["serve", "--listen", &addr]));
    assert_one_line_error(&out, &format!("cannot listen on {addr}"));

    let out = run(beacon(dir.path()).args(["serve", "--listen", "not-an-address"]));
    assert_one_line_error(&out, "cannot listen on not-an-address");

    std::fs::write(dir.path().join("bad.toml"), "[site\n").unwrap();
    let out = run(beacon(dir.path()).args(["serve", "--config", "bad.toml"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_lines(&out)
            .iter()
            .any(|l| l.starts_with("bad.toml:1:")),
        "{:?}",
        stderr_lines(&out)
    );
}

#[tokio::test]
async fn the_demo_runs_with_no_config_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::spawn(beacon(dir.path()).args(["serve", "--listen", "127.0.0.1:0"]));
    let url = server.url();
    wait_until(Duration::from_secs(20), "green demo page", || async {
        page_text(&body(&url).await).contains("All Systems Operational")
    })
    .await;
    assert!(
        dir.path().join("beacon.db").exists(),
        "demo creates beacon.db"
    );
    let status = server.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
}

#[tokio::test]
async fn environment_beats_the_file_and_flags_beat_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = format!(
        "[server]\nlisten = \"127.0.0.1:1\"\n{}",
        one_check_config("http://127.0.0.1:9/")
    );
    write_config(&dir, &config);
    let mut by_env = Process::spawn(
        beacon(dir.path())
            .arg("serve")
            .env("BEACON_LISTEN", free.to_string()),
    );
    assert_eq!(by_env.url(), format!("http://{free}/"));
    by_env.terminate();

    let mut by_flag = Process::spawn(
        beacon(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("BEACON_LISTEN", "127.0.0.1:1"),
    );
    assert!(!by_flag.url().contains("127.0.0.1:1/"));
}

#[tokio::test]
async fn a_probe_process_and_a_no_probe_server_share_one_database() {
    let dir = tempfile::tempdir().unwrap();
    let target = Target::start(Mode::Ok).await;
    let config = write_config(&dir, &one_check_config(&target.url()));
    let db = format!("sqlite://{}", dir.path().join("shared.db").display());
    let common = |cmd: &mut Command| {
        cmd.arg("--config").arg(&config).args(["--database", &db]);
    };
    let mut web = beacon(dir.path());
    web.args(["serve", "--no-probe", "--listen", "127.0.0.1:0"]);
    common(&mut web);
    let mut web = Process::spawn(&mut web);
    let url = web.url();
    let mut worker = beacon(dir.path());
    worker.arg("probe");
    common(&mut worker);
    let mut worker = Process::spawn(&mut worker);

    wait_until(
        Duration::from_secs(10),
        "green from the probe process",
        || async { page_text(&body(&url).await).contains("All Systems Operational") },
    )
    .await;
    target.set(Mode::Status(503));
    wait_until(
        Duration::from_secs(10),
        "outage from the probe process",
        || async {
            page_text(&body(&format!("{url}components/api")).await)
                .contains("status 503, expected 2xx")
        },
    )
    .await;
    assert!(worker.terminate().success());
    assert!(web.terminate().success());
}
