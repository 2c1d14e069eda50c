//! Defect 7 of issue 10: start-up errors name their cause once, on one
//! line; a path that is not UTF-8 gets Beacon's error page (or the API's
//! JSON error), not axum's plain text.

use std::net::TcpListener;
use std::process::Stdio;

use crate::beacon::{Served, Sink, client, command, config, scratch};

/// Runs `beacon ARGS` and returns its stderr lines, asserting a failure.
fn fails(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let out = command(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run beacon");
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn start_up_errors_say_their_cause_once_on_one_line() {
    let dir = scratch();
    let sink = Sink::start();
    std::fs::write(dir.path().join("ok.toml"), config(sink.addr, "1s", "")).unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = taken.local_addr().unwrap().to_string();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--config", "missing.toml", "serve"],
            "No such file or directory",
        ),
        (
            &[
                "--config",
                "ok.toml",
                "--database",
                "x.db",
                "--listen",
                &taken,
                "serve",
            ],
            "Address already in use",
        ),
        (
            &[
                "--config",
                "ok.toml",
                "--database",
                "sqlite:///nonexistent/dir/x.db",
                "serve",
            ],
            "unable to open database file",
        ),
    ];
    for (args, cause) in cases {
        let lines = fails(dir.path(), args);
        assert_eq!(lines.len(), 1, "{args:?}: {lines:?}");
        assert!(lines[0].starts_with("error: "), "{lines:?}");
        assert_eq!(lines[0].matches(cause).count(), 1, "{args:?}: {lines:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_path_that_is_not_utf8_gets_the_sites_error_page_or_json() {
    let beacon = Served::start("1s", "");
    let http = client();
    for path in ["/incidents/%FF", "/components/%FF", "/badge/%FF.svg"] {
        let r = http.get(beacon.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 400, "{path}");
        let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Fault Test") && html.contains("Bad request"),
            "{path}: {html}"
        );
        assert!(html.contains("Invalid UTF-8"), "{path}: {html}");
    }
    let r = http.get(beacon.url("/api/push/%FF")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "malformed_request", "{body}");
}
