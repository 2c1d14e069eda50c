//! Defect 4 of issue 10: another process holds the database's write lock
//! for 10 s. Admin reads and public pages keep working, a write that cannot
//! get the lock answers 503 + Retry-After (never 500), and writes work again
//! once the lock is released.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::beacon::{Served, assert_unavailable, client, get_json, post_maintenance};

/// Python's sqlite3 takes the lock the way any other writer would.
const HOLD_LOCK: &str = r#"
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN EXCLUSIVE")
db.execute("UPDATE revision SET n = n")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"#;

#[tokio::test(flavor = "multi_thread")]
async fn another_process_holding_the_lock_gets_503s_for_writes_and_nothing_else() {
    let beacon = Served::start("1s", "");
    let token = beacon.token();
    let http = client();
    let (status, _, created) = post_maintenance(&http, &beacon, &token, "before").await;
    assert_eq!(status, 201, "{created}");

    let mut holder = Command::new("python3")
        .args(["-c", HOLD_LOCK])
        .arg(beacon.dir.path().join("beacon.db"))
        .arg("10")
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 holds the lock");
    let mut line = String::new();
    BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("python says it holds the lock");
    assert_eq!(line.trim(), "locked");
    let locked_at = Instant::now();

    let list = http
        .get(beacon.url("/api/admin/maintenances"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200, "authenticating needs no write");
    for path in ["/", "/api/v2/summary.json", "/incidents", "/feed.atom"] {
        assert_eq!(get_json(&http, &beacon.url(path)).await.0, 200, "{path}");
    }
    let (status, retry_after, body) = post_maintenance(&http, &beacon, &token, "during").await;
    let acknowledged_during = match status {
        503 => {
            assert_unavailable(retry_after.as_deref(), &body, "locked");
            assert!(
                locked_at.elapsed() < Duration::from_secs(10),
                "refused while locked"
            );
            None
        }
        201 => Some(body["id"].as_str().unwrap().to_owned()),
        other => panic!("a write against a locked database answered {other}: {body}"),
    };
    let (status, ready) = get_json(&http, &beacon.url("/readyz")).await;
    if locked_at.elapsed() < Duration::from_secs(9) {
        assert_eq!(status, 503, "{ready}");
        assert_eq!(
            ready["database"],
            "write failing: database locked by another writer"
        );
    }

    assert!(holder.wait().expect("python exits").success());
    let (status, _, after) = post_maintenance(&http, &beacon, &token, "after").await;
    assert_eq!(
        status, 201,
        "writes work again once the lock is gone: {after}"
    );
    let ids: Vec<String> = [Some(created), Some(after)]
        .into_iter()
        .flatten()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .chain(acknowledged_during)
        .collect();
    for id in ids {
        let path = format!("/api/admin/maintenances/{id}");
        let read = http
            .get(beacon.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), 200, "{path}");
    }
    let log = beacon.stderr().join("\n");
    assert!(!log.contains("500 Internal"), "{log}");
}
