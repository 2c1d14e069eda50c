//! Per-region check state in the store (SPEC §9), on both backends: each
//! region's writer keeps its own row of each check, reads back its own
//! trackers, and every raw result records its region.

use beacon::domain::Outcome;
use beacon::store::Store;
use chrono::{DateTime, TimeZone, Utc};

use crate::databases::TestDatabase;
use crate::helpers::recorded;

fn at(s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, s).unwrap()
}

/// `(check, region, state)` of every stored row, as `check_states` orders them.
async fn rows(store: &Store) -> Vec<(String, String, Option<&'static str>)> {
    let states = store.check_states().await.unwrap();
    states
        .into_iter()
        .map(|s| (s.check_id, s.region, s.tracker.state.map(|s| s.as_str())))
        .collect()
}

fn row(check: &str, region: &str, state: &'static str) -> (String, String, Option<&'static str>) {
    (check.into(), region.into(), Some(state))
}

store_test!(async fn each_region_keeps_its_own_state_of_a_check(store, url) {
    store
        .record_in("eu", &[recorded("a", at(1), Outcome::Failed, 0)])
        .await
        .unwrap();
    store
        .record_in("us", &[recorded("a", at(2), Outcome::Ok, 20)])
        .await
        .unwrap();
    store
        .record(&[recorded("b", at(3), Outcome::Ok, 30)])
        .await
        .unwrap();
    assert_eq!(
        rows(&store).await,
        [row("a", "eu", "down"), row("a", "us", "up"), row("b", "default", "up")]
    );

    // A later result of one region replaces its row only.
    store
        .record_in("eu", &[recorded("a", at(4), Outcome::Ok, 40)])
        .await
        .unwrap();
    let eu = store.region_check_states("eu").await.unwrap();
    assert_eq!(eu.len(), 1, "{eu:?}");
    assert_eq!((eu[0].tracker.state.map(|s| s.as_str()), eu[0].last_result_at), (Some("up"), at(4)));
    assert_eq!(eu[0].last_failure.as_ref().map(|f| f.0), Some(at(1)), "its own last failure");
    let us = store.region_check_states("us").await.unwrap();
    assert_eq!((us[0].last_result_at, &us[0].last_failure), (at(2), &None));
    assert!(store.region_check_states("asia").await.unwrap().is_empty());
    // Every raw result names its region; uptime counts them all.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let by_region: Vec<(String, i64)> = sqlx::query_as(
        "SELECT region, COUNT(*) FROM check_results GROUP BY region ORDER BY region",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let want = [("default", 1), ("eu", 2), ("us", 1)].map(|(r, n)| (r.to_owned(), n));
    assert_eq!(by_region, want);
    pool.close().await;
    let day = store.daily_counts(at(0).date_naive()).await.unwrap();
    let a = day.iter().find(|(c, _)| c == "a").unwrap().1;
    assert_eq!((a.good, a.total), (2, 3));
});

store_test!(async fn two_regions_write_one_check_at_once_from_two_processes(store, url) {
    let other = Store::open(url).await.unwrap();
    for round in 0..10 {
        let eu = [recorded("a", at(round), Outcome::Failed, 0)];
        let us = [recorded("a", at(round), Outcome::Ok, 5)];
        let (eu, us) = tokio::join!(store.record_in("eu", &eu), other.record_in("us", &us));
        eu.unwrap();
        us.unwrap();
    }
    assert_eq!(rows(&store).await, [row("a", "eu", "down"), row("a", "us", "up")]);
    other.close().await;
});
