//! Upgrades keep existing databases. sqlx knows an applied migration by its
//! version and the checksum of its SQL, not by its file name, so renaming a
//! migration after what it creates leaves databases made under the old name
//! working.

use beacon::store::{Store, generate_token};
use chrono::Utc;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqlitePool;

/// The migrations as released before the rename: the old file names, with
/// the SQL of today's files.
const BEFORE_RENAME: [(&str, &str); 3] = [
    (
        "20261124000001_create_results.sql",
        include_str!("../../migrations/20261124000001_create_results.sql"),
    ),
    (
        "20261124000002_create_incidents.sql",
        include_str!(
            "../../migrations/20261124000002_create_incidents_maintenances_overrides_tokens.sql"
        ),
    ),
    (
        "20261124000100_create_push_pings.sql",
        include_str!("../../migrations/20261124000100_create_push_pings.sql"),
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

    let pool = SqlitePool::connect(&url).await.unwrap();
    let after = applied(&pool).await;
    assert_eq!(
        after[..before.len()],
        before[..],
        "nothing applied twice or renamed; later migrations only added"
    );
}
