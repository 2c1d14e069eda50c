//! Several `beacon serve` nodes on one database (SPEC §9): a write
//! accepted by one shows on the others within 1 s (PostgreSQL's `NOTIFY`;
//! on SQLite the revision poll alone), the node that accepted it shows it
//! at once, and `kill -9` of a node loses nothing while the others keep
//! serving.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::admin_cli::{beacon, post, start_server, stdout};
use crate::binary::run;
use crate::databases::postgres_database;
use crate::helpers::{ADMIN_CONFIG, wait_until, write_config};

/// SPEC §9: a write accepted by one node is visible on all within this.
const FOLLOW_WITHIN: Duration = Duration::from_secs(1);

/// Writes made on one node, then measured on another.
const WRITES: usize = 5;

#[tokio::test]
async fn a_write_on_one_postgres_node_shows_on_the_other_within_a_second() {
    let db = postgres_database();
    let lags = follow(&db).await;
    eprintln!("PostgreSQL: node B followed node A after {lags:?}");
}

#[tokio::test]
async fn a_write_on_one_sqlite_node_shows_on_the_other_within_a_second_by_polling() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("shared.db").display());
    let lags = follow(&db).await;
    eprintln!("SQLite: node B followed node A after {lags:?}");
}

/// A token for the admin API of every node on `db`.
fn token(dir: &Path, db: &str) -> String {
    let out = run(beacon(dir, db).args(["token", "create", "nodes"]));
    assert!(out.status.success(), "{out:?}");
    stdout(&out).trim().to_owned()
}

/// GET `url` → its body, or `None` on any error or a status other than 200.
async fn body(client: &reqwest::Client, url: &str) -> Option<String> {
    let r = client.get(url).send().await.ok()?;
    if r.status() != 200 {
        return None;
    }
    r.text().await.ok()
}

/// Whether node `url` shows the incident `title` on `/` and in the v2 API.
async fn shows(client: &reqwest::Client, url: &str, title: &str) -> bool {
    for path in ["/", "/api/v2/incidents.json"] {
        match body(client, &format!("{url}{path}")).await {
            Some(text) if text.contains(title) => {}
            _ => return false,
        }
    }
    true
}

/// An incident titled `title`, created through node `url`'s admin API.
async fn create_incident(client: &reqwest::Client, url: &str, token: &str, title: &str) -> String {
    post(
        client,
        format!("{url}/api/admin/incidents"),
        token,
        json!({"title": title, "status": "investigating", "impact": "minor",
               "body": "Seen from several nodes", "components": {"api": "degraded_performance"}}),
    )
    .await
}

/// Two nodes on `db`: [`WRITES`] incidents created on A, each on A's page
/// when its response arrives and on B's `/` and v2 API within
/// [`FOLLOW_WITHIN`]; returns how long B took for each.
async fn follow(db: &str) -> Vec<Duration> {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(&dir, ADMIN_CONFIG);
    let token = token(dir.path(), db);
    let (_a, a) = start_server(dir.path(), db, &config);
    let (_b, b) = start_server(dir.path(), db, &config);
    let client = reqwest::Client::new();
    let mut lags = Vec::new();
    for n in 0..WRITES {
        let title = format!("Replication lag {n}");
        create_incident(&client, &a, &token, &title).await;
        let written = Instant::now();
        assert!(
            shows(&client, &a, &title).await,
            "read-your-writes on A: {title}"
        );
        while !shows(&client, &b, &title).await {
            assert!(
                written.elapsed() < FOLLOW_WITHIN,
                "B did not show {title:?} within {FOLLOW_WITHIN:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        lags.push(written.elapsed());
    }
    lags
}

#[tokio::test]
async fn kill_9_of_a_postgres_node_loses_nothing_and_the_other_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let db = postgres_database();
    let config = write_config(&dir, ADMIN_CONFIG);
    let token = token(dir.path(), &db);
    let (mut a, a_url) = start_server(dir.path(), &db, &config);
    let (_b, b_url) = start_server(dir.path(), &db, &config);
    let client = reqwest::Client::new();

    // Readers on B from before the kill until after A is back.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (served, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let readers: Vec<_> = ["/", "/api/v2/incidents.json"]
        .into_iter()
        .map(|path| {
            let (client, url) = (client.clone(), format!("{b_url}{path}"));
            let (stop, served, failed) = (stop.clone(), served.clone(), failed.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let counter = match body(&client, &url).await {
                        Some(_) => &served,
                        None => &failed,
                    };
                    counter.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            })
        })
        .collect();

    // A burst of writes to A, and kill -9 as soon as the last is acknowledged.
    let writes: Vec<_> = (0..10)
        .map(|n| {
            let (client, url, token) = (client.clone(), a_url.clone(), token.clone());
            tokio::spawn(async move {
                let title = format!("Acknowledged before the kill {n}");
                create_incident(&client, &url, &token, &title).await;
                title
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    for write in writes {
        acknowledged.push(write.await.unwrap());
    }
    a.kill_9();
    let before_kill = served.load(Ordering::Relaxed);

    for title in &acknowledged {
        wait_until(Duration::from_secs(5), &format!("{title} on B"), || {
            shows(&client, &b_url, title)
        })
        .await;
    }
    let (_a, a_url) = start_server(dir.path(), &db, &config);
    for title in &acknowledged {
        assert!(
            shows(&client, &a_url, title).await,
            "{title} on restarted A"
        );
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.await.unwrap();
    }
    let served = served.load(Ordering::Relaxed);
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "every request to B succeeded"
    );
    assert!(
        served > before_kill,
        "B answered during and after the kill ({before_kill} before, {served} in all)"
    );
}
