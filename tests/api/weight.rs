//! Page weight (issue 8 target 2): `/` of a 50-component site with 90 days
//! of history stays within 250 KB, and 25 KB gzipped, while every uptime
//! cell still names its day and figure.

use chrono::{Days, Utc};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING};

use crate::fleet;
use crate::helpers::{database_url, recorded, spawn_app_in, texts};

/// A fresh result per check now, and 90 days of rollups written straight
/// into the database (what 90 days of probing at 10 s would have left).
async fn seed(dir: &tempfile::TempDir, checks: usize) {
    let store = beacon::store::Store::open(&database_url(dir))
        .await
        .unwrap();
    let now = Utc::now();
    let results: Vec<_> = (0..checks)
        .map(|i| recorded(&format!("c{i}-http"), now, beacon::domain::Outcome::Ok, 40))
        .collect();
    store.record(&results).await.unwrap();
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&database_url(dir)).await.unwrap();
    let today = now.date_naive();
    for i in 0..checks {
        for back in 0..fleet::DAYS {
            let (good, total) = fleet::day_counts(i, back);
            sqlx::query(
                "INSERT INTO daily_rollups (check_id, day, good, total) VALUES (?, ?, ?, ?)
                 ON CONFLICT (check_id, day) DO UPDATE SET good = excluded.good, total = excluded.total",
            )
            .bind(format!("c{i}-http"))
            .bind((today - Days::new(u64::from(back))).to_string())
            .bind(good as i64)
            .bind(total as i64)
            .execute(&pool)
            .await
            .unwrap();
        }
    }
    pool.close().await;
}

#[tokio::test]
async fn the_page_of_50_components_and_90_days_stays_light() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir, 50).await;
    let app = spawn_app_in(dir, &fleet::config(50, "http://127.0.0.1:9/"), false).await;
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();

    let plain = raw.get(app.url("/")).send().await.unwrap();
    assert_eq!(plain.headers().get(CONTENT_ENCODING), None);
    let html = plain.text().await.unwrap();
    let cells = texts(&html, "ol.bar > li");
    assert_eq!(cells.len(), 50 * fleet::DAYS as usize);
    let figures = cells.iter().filter(|c| c.ends_with('%')).count();
    assert_eq!(
        figures,
        cells.len(),
        "every day has a figure: {:?}",
        &cells[..3]
    );
    assert!(
        cells.iter().any(|c| c.ends_with(": 95.37%")),
        "an outage day shows"
    );
    assert!(
        html.len() <= 250_000,
        "/ is {} bytes uncompressed",
        html.len()
    );

    let gzipped = raw
        .get(app.url("/"))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers().get(CONTENT_ENCODING).unwrap(), "gzip");
    let size = gzipped.bytes().await.unwrap().len();
    assert!(size <= 25_000, "/ is {size} bytes gzipped");
    app.stop().await;
}
