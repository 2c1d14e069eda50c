//! Defect 1 of issue 10: the disk fills up under the database, then frees.
//! Writes must fail cleanly (503, the cause on /readyz and /metrics), results
//! wait in memory, and everything recovers by itself, with nothing that was
//! acknowledged lost.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use beacon::domain::MaintenanceId;
use beacon::store::Store;
use chrono::Utc;

use crate::beacon::{
    Served, assert_unavailable, client, get_json, post_maintenance, scratch, wait_until,
};

/// A 2 MiB tmpfs mounted for the test, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path) -> Tmpfs {
        std::fs::create_dir_all(at).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(at)
            .output();
        match out {
            Ok(out) if out.status.success() => Tmpfs(at.to_owned()),
            other => panic!(
                "the disk-full test mounts a 2 MiB tmpfs and needs root (or CAP_SYS_ADMIN) for it; \
                 mounting failed: {other:?}. Run the tests as root: this test cannot pass without it."
            ),
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes zeros to `path` until the file system says it is full.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).expect("create filler");
    let chunk = vec![0u8; 16 * 1024];
    loop {
        if let Err(e) = file.write_all(&chunk).and_then(|()| file.sync_data()) {
            assert_eq!(e.raw_os_error(), Some(28), "ENOSPC expected: {e}");
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_fails_writes_cleanly_and_they_recover_by_themselves() {
    let dir = scratch();
    let fs = Tmpfs::mount(&dir.path().join("fs"));
    let database = format!("sqlite://{}", fs.0.join("beacon.db").display());
    let mut beacon = Served::start_on(dir, database.clone(), "250ms", "");
    let token = beacon.token();
    let http = client();
    wait_until(Duration::from_secs(10), "ready", || async {
        get_json(&http, &beacon.url("/readyz")).await.0 == 200
    })
    .await;
    let (status, _, before) = post_maintenance(&http, &beacon, &token, "before").await;
    assert_eq!(status, 201, "{before}");
    let mut acknowledged = vec![before["id"].as_str().expect("id").to_owned()];

    fill(&fs.0.join("filler"));
    wait_until(
        Duration::from_secs(10),
        "readyz names the full disk",
        || async {
            let (status, body) = get_json(&http, &beacon.url("/readyz")).await;
            status == 503 && body["database"] == "write failing: disk full"
        },
    )
    .await;
    let full_since = Utc::now();
    let metrics = http.get(beacon.url("/metrics")).send().await.unwrap();
    let metrics = metrics.text().await.unwrap();
    assert!(
        metrics.contains("\nbeacon_database_write_ok 0\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("\nbeacon_results_dropped_total 0\n"),
        "{metrics}"
    );
    let (status, retry_after, body) = post_maintenance(&http, &beacon, &token, "during").await;
    match status {
        // Acknowledged writes must survive; a refusal must say when to retry.
        201 => acknowledged.push(body["id"].as_str().expect("id").to_owned()),
        503 => {
            assert_unavailable(retry_after.as_deref(), &body, "disk full");
        }
        other => panic!("a write on a full disk answered {other}: {body}"),
    }
    assert_eq!(
        get_json(&http, &beacon.url("/")).await.0,
        200,
        "the page keeps serving"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;

    std::fs::remove_file(fs.0.join("filler")).expect("free the disk");
    let freed = Utc::now();
    let recovery = wait_until(Duration::from_secs(10), "ready again", || async {
        let (status, body) = get_json(&http, &beacon.url("/readyz")).await;
        status == 200 && body["database"] == "ok"
    })
    .await;
    eprintln!("writes recovered {recovery:?} after the disk was freed");
    let (status, _, after) = post_maintenance(&http, &beacon, &token, "after").await;
    assert_eq!(
        status, 201,
        "admin writes work again without a restart: {after}"
    );
    acknowledged.push(after["id"].as_str().expect("id").to_owned());
    let (_, fresh) = get_json(&http, &beacon.url("/readyz")).await;
    assert_eq!(fresh["stale_checks"], serde_json::json!([]), "{fresh}");

    let store = Store::open(&database).await.expect("open the database");
    let held = store
        .latency_samples("api-tcp", full_since)
        .await
        .expect("results")
        .into_iter()
        .filter(|s| s.at < freed)
        .count();
    assert!(
        held >= 4,
        "results taken while the disk was full were held and written later ({held})"
    );
    for id in &acknowledged {
        let id = MaintenanceId::parse(id).expect("a maintenance id");
        store
            .maintenance(&id)
            .await
            .expect("acknowledged write kept");
    }
    store.close().await;

    beacon.signal("-TERM");
    let exit = beacon.wait_exit(Duration::from_secs(10)).expect("exits");
    assert!(exit.success(), "{exit:?}");
    let log = beacon.stderr().join("\n");
    assert!(!log.contains("results lost"), "{log}");
    assert!(!log.contains("database is locked"), "{log}");
}
