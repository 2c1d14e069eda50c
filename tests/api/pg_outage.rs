//! PostgreSQL going away under a running `beacon serve` (docs/deploy.md,
//! "The PostgreSQL primary dies"), with a real server: the public page
//! keeps serving the last snapshot, `/readyz` answers 503 naming the
//! database, an admin write answers a JSON 503 within a bound (not a 500,
//! not a hang), and once the database is back writes succeed again with no
//! restart. The cluster serves every test of this binary, so the outage is
//! this test's database only: it refuses new connections (`ALLOW_CONNECTIONS
//! false`) and every connection Beacon held is terminated
//! (`pg_terminate_backend`), which is what Beacon sees of a stopped server.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::admin_cli::beacon;
use crate::binary::run;
use crate::databases::postgres_database;
use crate::helpers::{Mode, Target, incident, wait_until};
use crate::notify::outbox::serve_operational_on;

/// A superuser connection to the cluster's `postgres` database, beside `db`.
async fn cluster_admin(db: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let (cluster, _) = db.rsplit_once('/').unwrap();
    sqlx::AnyPool::connect(&format!("{cluster}/postgres"))
        .await
        .unwrap()
}

/// Lets connections to database `name` in (`true`) or refuses them and
/// ends every one open now.
async fn allow(admin: &sqlx::AnyPool, name: &str, allowed: bool) {
    let sql = format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {allowed}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(admin)
        .await
        .unwrap();
    if !allowed {
        sqlx::query(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1",
        )
        .bind(name)
        .fetch_one(admin)
        .await
        .unwrap();
    }
}

async fn get(client: &reqwest::Client, url: String) -> (u16, String) {
    match client.get(url).send().await {
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(e) => (0, e.to_string()),
    }
}

/// Opens an incident: its status, body and how long the answer took.
async fn open_incident(client: &reqwest::Client, url: &str, token: &str) -> (u16, Value, Duration) {
    let asked = Instant::now();
    let r = client
        .post(format!("{url}/api/admin/incidents"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(incident().to_string())
        .send()
        .await;
    let took = asked.elapsed();
    match r {
        Ok(r) => {
            let status = r.status().as_u16();
            let body =
                serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or_default();
            (status, body, took)
        }
        Err(e) => (0, Value::String(e.to_string()), took),
    }
}

#[tokio::test]
async fn while_postgres_is_away_pages_serve_readyz_and_writes_answer_503_then_writes_work_again() {
    let target = Target::start(Mode::Ok).await;
    let dir = tempfile::tempdir().unwrap();
    let db = postgres_database();
    let name = db.rsplit('/').next().unwrap().to_owned();
    let served = serve_operational_on(&dir, &target, "", &[("BEACON_DATABASE_URL", &db)]).await;
    let out =
        run(beacon(dir.path(), &db).args(["--config", "beacon.toml", "token", "create", "ops"]));
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    // Longer than any bound asserted below: a hang shows as a failed bound.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let url = served.url.clone();
    assert_eq!(open_incident(&client, &url, &token).await.0, 201);
    assert_eq!(get(&client, format!("{url}/")).await.0, 200);
    assert_eq!(
        get(&client, format!("{url}/api/v2/summary.json")).await.0,
        200
    );

    let admin = cluster_admin(&db).await;
    allow(&admin, &name, false).await;

    let (status, page) = get(&client, format!("{url}/")).await;
    assert_eq!(status, 200, "the page serves its last snapshot: {page}");
    assert!(page.contains("Elevated API errors") && page.contains("Public API"));
    let (status, summary) = get(&client, format!("{url}/api/v2/summary.json")).await;
    assert_eq!(
        status, 200,
        "the v2 API serves the last snapshot: {summary}"
    );
    assert!(summary.contains("Elevated API errors"), "{summary}");
    wait_until(
        Duration::from_secs(15),
        "/readyz names the database",
        || async {
            let (status, body) = get(&client, format!("{url}/readyz")).await;
            let body: Value = serde_json::from_str(&body).unwrap_or_default();
            status == 503
                && body["database"]
                    .as_str()
                    .is_some_and(|d| d != "ok" && !d.is_empty())
        },
    )
    .await;
    let (_, readyz) = get(&client, format!("{url}/readyz")).await;
    eprintln!("/readyz while the database is away: {readyz}");

    for _ in 0..2 {
        let (status, body, took) = open_incident(&client, &url, &token).await;
        eprintln!("an admin write while the database is away: {status} after {took:?}: {body}");
        assert_eq!(status, 503, "{body}");
        assert!(body["error"]["code"].is_string(), "a JSON error: {body}");
        assert!(
            took <= Duration::from_secs(15),
            "answered within 15 s, took {took:?}"
        );
    }

    allow(&admin, &name, true).await;
    let back = Instant::now();
    wait_until(
        Duration::from_secs(30),
        "a write succeeds again",
        || async { open_incident(&client, &url, &token).await.0 == 201 },
    )
    .await;
    eprintln!(
        "writes succeed {:?} after the database is back",
        back.elapsed()
    );
    wait_until(Duration::from_secs(15), "ready again", || async {
        get(&client, format!("{url}/readyz")).await.0 == 200
    })
    .await;
    admin.close().await;
}
