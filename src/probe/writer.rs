//! The one task that writes results: applies thresholds, batches, commits.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::config::Config;
use crate::domain::CheckResult;
use crate::status::Tracker;
use crate::store::{Recorded, Store, StoredCheckState};

/// A batch is written when this old or this large.
const FLUSH_AFTER: Duration = Duration::from_millis(200);
const MAX_BATCH: usize = 256;
/// Attempts to write one batch before it is dropped (logged).
const WRITE_ATTEMPTS: u32 = 5;
/// Raw results older than retention are pruned this often.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Receives results until every sender is gone, then flushes and returns.
pub async fn run(
    store: Store,
    config: Arc<Config>,
    states: Vec<StoredCheckState>,
    mut inbox: mpsc::Receiver<CheckResult>,
) {
    let mut trackers: HashMap<String, Tracker> = states
        .into_iter()
        .map(|s| (s.check_id, s.tracker))
        .collect();
    let mut last_prune: Option<Instant> = None;
    while let Some(first) = inbox.recv().await {
        let mut batch = vec![record(&config, &mut trackers, first)];
        let deadline = Instant::now() + FLUSH_AFTER;
        while batch.len() < MAX_BATCH {
            tokio::select! {
                next = inbox.recv() => match next {
                    Some(result) => batch.push(record(&config, &mut trackers, result)),
                    None => break,
                },
                _ = tokio::time::sleep_until(deadline) => break,
            }
        }
        write(&store, &batch).await;
        if last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
            last_prune = Some(Instant::now());
            prune(&store, &config).await;
        }
    }
}

/// Moves the check's tracker on and dates the result in the site timezone.
fn record(
    config: &Config,
    trackers: &mut HashMap<String, Tracker>,
    result: CheckResult,
) -> Recorded {
    let (failure, recovery) = config
        .checks
        .iter()
        .find(|c| c.id == result.check)
        .map_or((1, 1), |c| (c.failure_threshold, c.recovery_threshold));
    let tracker = trackers
        .entry(result.check.as_str().to_owned())
        .or_insert(Tracker::NEW);
    *tracker = tracker.next(result.outcome, failure, recovery);
    let day = result.at.with_timezone(&config.site.timezone).date_naive();
    Recorded {
        tracker: *tracker,
        day,
        result,
    }
}

async fn write(store: &Store, batch: &[Recorded]) {
    for attempt in 1..=WRITE_ATTEMPTS {
        match store.record(batch).await {
            Ok(()) => return,
            Err(e) if attempt < WRITE_ATTEMPTS => {
                tracing::warn!(error = %e, attempt, "writing results failed; retrying");
                tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
            }
            Err(e) => {
                tracing::error!(error = %e, results = batch.len(), "dropping results after repeated write failures")
            }
        }
    }
}

async fn prune(store: &Store, config: &Config) {
    let keep = chrono::Duration::days(i64::from(config.database.retention_days));
    match store.prune_results(Utc::now() - keep).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(deleted = n, "pruned raw results past retention"),
        Err(e) => tracing::warn!(error = %e, "pruning raw results failed"),
    }
}
