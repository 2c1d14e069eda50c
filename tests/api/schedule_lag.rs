//! `/metrics` reports how late checks start (issue 8 target 4) and how
//! many snapshots were built, for the bench harness.

use std::time::Duration;

use crate::helpers::{Mode, Target, metric as sample, one_check_config, spawn_app, wait_until};

#[tokio::test]
async fn metrics_show_the_schedule_lag_histogram_and_rebuilds() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&one_check_config(&target.url())).await;
    let lag = "beacon_probe_schedule_lag_seconds";
    // The check runs every 300 ms: a few runs within seconds.
    wait_until(Duration::from_secs(8), "three checks started", || async {
        sample(&app.get("/metrics").await.1, &format!("{lag}_count")) >= 3.0
    })
    .await;
    let text = app.get("/metrics").await.1;
    assert!(text.contains(&format!("# TYPE {lag} histogram")));
    let buckets: Vec<f64> = text
        .lines()
        .filter(|l| l.starts_with(&format!("{lag}_bucket")))
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{buckets:?}");
    let count = sample(&text, &format!("{lag}_count"));
    assert_eq!(buckets.last(), Some(&count), "+Inf bucket is the count");
    // Idle machine or not, a 300 ms check is not started seconds late.
    assert!(sample(&text, &format!("{lag}_bucket{{le=\"2.5\"}}")) >= count - 1.0);
    assert!(sample(&text, "beacon_snapshot_rebuilds_total") >= 2.0);
    app.stop().await;
}
