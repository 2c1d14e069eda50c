//! Upgrades keep existing databases. sqlx knows an applied migration by its
//! version and the checksum of its SQL, not by its file name, so renaming a
//! migration after what it creates leaves databases made under the old name
//! working.

use beacon::domain::{IncidentId, MaintenanceId};
use beacon::store::{Store, generate_token};
use chrono::Utc;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqlitePool;

/// The migrations as released before the rename: the old file names, with
/// the SQL of today's files.
const BEFORE_RENAME: [(&str, &str); 3] = [
    (
        "20261124000001_create_results.sql",
        include_str!("../../migrations/sqlite/20261124000001_create_results.sql"),
    ),
    (
        "20261124000002_create_incidents.sql",
        include_str!(
            "../../migrations/sqlite/20261124000002_create_incidents_maintenances_overrides_tokens.sql"
        ),
    ),
    (
        "20261124000100_create_push_pings.sql",
        include_str!("../../migrations/sqlite/20261124000100_create_push_pings.sql"),
    ),
];

async fn applied(pool: &SqlitePool) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT version, description FROM _sqlx_migrations ORDER BY version")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_database_migrated_under_the_old_file_names_opens_without_migrating_again() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("released-migrations");
    std::fs::create_dir(&old).unwrap();
    for (name, sql) in BEFORE_RENAME {
        std::fs::write(old.join(name), sql).unwrap();
    }
    let url = format!("{}?mode=rwc", crate::helpers::database_url(&dir));
    let pool = SqlitePool::connect(&url).await.unwrap();
    Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let before = applied(&pool).await;
    assert_eq!(before[1], (20261124000002, "create incidents".to_owned()));
    pool.close().await;

    let store = Store::open(&crate::helpers::database_url(&dir))
        .await
        .expect("a database made before the rename opens");
    let token = generate_token();
    store
        .create_token("after-upgrade", &token, Utc::now())
        .await
        .unwrap();
    let who = store.authenticate(&token).await.unwrap();
    assert_eq!(who.as_deref(), Some("after-upgrade"));
    store.close().await;

    assert_only_added(&url, &before).await;
}

/// The migrations applied at `url` are `before` and then only later ones;
/// returns how many there are.
async fn assert_only_added(url: &str, before: &[(i64, String)]) -> usize {
    let pool = SqlitePool::connect(url).await.unwrap();
    let after = applied(&pool).await;
    assert_eq!(
        after[..before.len()],
        before[..],
        "nothing applied twice or renamed; later migrations only added"
    );
    after.len()
}

/// Made by the SQLite-only `beacon` 0.1.0 (main at b48eee5, before the
/// PostgreSQL backend): `beacon migrate`, two `token create`s, a few
/// seconds of `serve` with the built-in demo checks, an incident and a
/// maintenance through the admin API, then SIGTERM. (The file is in git
/// through the `!tests/fixtures/**/*.db` exception of `.gitignore`.)
const RELEASED_DB: &[u8] = include_bytes!("../fixtures/release/beacon-0.1.0-b48eee5.db");
/// The second token created for the fixture (a test value, valid nowhere else).
const RELEASED_TOKEN: &str = "bcn_8oqOVhjr0kvk4ySEeId_06RFurHtNG-yTWSDge2cwEw";

#[tokio::test]
async fn a_database_made_by_the_released_binary_opens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("beacon.db"), RELEASED_DB).unwrap();
    let url = format!("{}?mode=rwc", crate::helpers::database_url(&dir));
    let pool = SqlitePool::connect(&url).await.unwrap();
    let before = applied(&pool).await;
    pool.close().await;

    let store = Store::open(&crate::helpers::database_url(&dir))
        .await
        .expect("the released database opens: every applied checksum still matches");
    let incident = store
        .incident(&IncidentId::parse("9v22ndxy3qfq").unwrap())
        .await
        .unwrap();
    assert_eq!(incident.title, "Fixture outage");
    assert_eq!(incident.updates[0].body, "Looking into it");
    let maintenance = store
        .maintenance(&MaintenanceId::parse("y1mkb8aqqa9d").unwrap())
        .await
        .unwrap();
    assert_eq!(maintenance.title, "Fixture window");
    assert_eq!(
        store.authenticate(RELEASED_TOKEN).await.unwrap().as_deref(),
        Some("fixture2")
    );
    assert!(
        !store.check_states().await.unwrap().is_empty(),
        "probe results kept"
    );
    store
        .create_token("after-upgrade", &generate_token(), Utc::now())
        .await
        .unwrap();
    store.close().await;

    assert_eq!(
        assert_only_added(&url, &before).await,
        beacon::store::Backend::Sqlite.migrations(),
        "and every later one applied"
    );
}

#[tokio::test]
async fn duplicate_open_automatic_incidents_of_a_released_database_keep_the_oldest_open() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("beacon.db"), RELEASED_DB).unwrap();
    let url = format!("{}?mode=rwc", crate::helpers::database_url(&dir));
    let pool = SqlitePool::connect(&url).await.unwrap();
    // Two servers probing one database before the lease could open two.
    for (id, created) in [
        ("autoolder001", 1_000),
        ("autonewer002", 2_000),
        ("autoother003", 3_000),
    ] {
        let component = if id == "autoother003" { "web" } else { "api" };
        sqlx::query(
            "INSERT INTO incidents (incident_id, title, status, impact, auto_component, created_ms, updated_ms)
             VALUES ($1, 'outage', 'investigating', 'major', $2, $3, $3)",
        )
        .bind(id)
        .bind(component)
        .bind(created)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let store = Store::open(&crate::helpers::database_url(&dir))
        .await
        .expect("the index is built after closing the duplicate");
    let mut open = store.open_auto_components().await.unwrap();
    open.sort();
    assert_eq!(open, ["api", "web"]);
    let kept = store
        .open_auto_incident(&crate::helpers::component_id("api"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.id.as_str(), "autoolder001");
    let closed = store
        .incident(&IncidentId::parse("autonewer002").unwrap())
        .await
        .unwrap();
    assert!(closed.resolved_at.is_some(), "{closed:?}");
    store.close().await;
}
