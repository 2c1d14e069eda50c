//! The one task that writes results: applies thresholds, batches, commits.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::incidents;
use crate::config::Config;
use crate::domain::{CheckResult, Component, Maintenance, Outcome};
use crate::status::{Tracker, maintenance};
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
    let mut reasons: HashMap<String, String> = states
        .iter()
        .filter_map(|s| Some((s.check_id.clone(), s.last_failure.clone()?.1)))
        .collect();
    let mut trackers: HashMap<String, Tracker> = states
        .into_iter()
        .map(|s| (s.check_id, s.tracker))
        .collect();
    let mut last_prune: Option<Instant> = None;
    // Pruning runs beside the writer (it may take minutes on a backlog).
    let mut pruning: Option<tokio::task::JoinHandle<()>> = None;
    while let Some(first) = inbox.recv().await {
        let mut results = vec![first];
        let deadline = Instant::now() + FLUSH_AFTER;
        while results.len() < MAX_BATCH {
            tokio::select! {
                next = inbox.recv() => match next {
                    Some(result) => results.push(result),
                    None => break,
                },
                _ = tokio::time::sleep_until(deadline) => break,
            }
        }
        let oldest = results.iter().map(|r| r.at).min().unwrap_or_else(Utc::now);
        let maintenances = store
            .maintenances_ending_after(oldest)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot load maintenances; counting every result");
                Vec::new()
            });
        let mut touched: Vec<&Component> = Vec::new();
        let batch: Vec<Recorded> = results
            .into_iter()
            .map(|result| {
                if let Some(reason) = result
                    .reason
                    .clone()
                    .filter(|_| result.outcome == Outcome::Failed)
                {
                    reasons.insert(result.check.as_str().to_owned(), reason);
                }
                if let Some(component) = component_of(&config, &result)
                    && !touched.iter().any(|c| c.id == component.id)
                {
                    touched.push(component);
                }
                record(&config, &mut trackers, &maintenances, result)
            })
            .collect();
        write(&store, &batch).await;
        let known = incidents::Known {
            trackers: &trackers,
            reasons: &reasons,
        };
        if let Err(e) =
            incidents::apply(&store, &config, &known, &maintenances, &touched, Utc::now()).await
        {
            tracing::warn!(error = %e, "automatic incidents could not be updated");
        }
        let idle = pruning.as_ref().is_none_or(|p| p.is_finished());
        if idle && last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
            last_prune = Some(Instant::now());
            pruning = Some(tokio::spawn(prune(store.clone(), Arc::clone(&config))));
        }
    }
    // Each batch commits on its own: stopping between two loses nothing.
    if let Some(pruning) = pruning {
        pruning.abort();
    }
}

fn component_of<'a>(config: &'a Config, result: &CheckResult) -> Option<&'a Component> {
    let check = config.checks.iter().find(|c| c.id == result.check)?;
    config.components.iter().find(|c| c.id == check.component)
}

/// Moves the check's tracker on, dates the result in the site timezone, and
/// leaves it out of uptime when a maintenance covering its component was in
/// progress when it was taken (SPEC §3).
fn record(
    config: &Config,
    trackers: &mut HashMap<String, Tracker>,
    maintenances: &[Maintenance],
    result: CheckResult,
) -> Recorded {
    let spec = config.checks.iter().find(|c| c.id == result.check);
    let (failure, recovery) = spec.map_or((1, 1), |c| (c.failure_threshold, c.recovery_threshold));
    let in_maintenance = spec.is_some_and(|c| {
        maintenances
            .iter()
            .any(|m| maintenance::covers(m, c.component.as_str(), result.at))
    });
    let tracker = trackers
        .entry(result.check.as_str().to_owned())
        .or_insert(Tracker::NEW);
    *tracker = tracker.next(result.outcome, failure, recovery);
    let day = result.at.with_timezone(&config.site.timezone).date_naive();
    Recorded {
        tracker: *tracker,
        day,
        counted: !in_maintenance,
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

async fn prune(store: Store, config: Arc<Config>) {
    let keep = chrono::Duration::days(i64::from(config.database.retention_days));
    // The store logs what it deleted and how long its batches held the lock.
    if let Err(e) = store.prune_results(Utc::now() - keep).await {
        tracing::warn!(error = %e, "pruning raw results failed");
    }
}
