//! The one task that writes results: applies thresholds, batches, commits.
//!
//! When the database refuses writes (disk full, locked), results are held
//! in a bounded queue ([`MAX_PENDING`]; beyond it the oldest are dropped,
//! each drop logged with its count and counted in `/metrics`) and retried
//! with backoff, so writing resumes by itself within [`RETRY_MAX`] of the
//! database taking writes again. At shutdown, pending results get
//! [`FINAL_FLUSH`] to be written; whatever is left is logged as lost.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::pending::{Backoff, Pending};
use super::record::{self, CheckIndex};
use crate::config::Config;
use crate::domain::{CheckResult, Maintenance, RegionId};
use crate::status::Tracker;
use crate::store::{Recorded, Store, StoreError, StoredCheckState};

/// A batch is written when this old or this large.
const FLUSH_AFTER: Duration = Duration::from_millis(200);
const MAX_BATCH: usize = 256;
/// Results held while writes fail: at one result a second, almost 3 hours.
pub const MAX_PENDING: usize = 10_000;
/// First retry after a failed write, doubling up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_millis(100);
/// Longest wait between write attempts.
pub const RETRY_MAX: Duration = Duration::from_secs(1);
/// How long shutdown waits for pending results to be written.
pub const FINAL_FLUSH: Duration = Duration::from_secs(3);

/// Receives results until every sender is gone, then flushes and returns.
/// `states` are `region`'s own: thresholds apply per region (SPEC §9).
pub async fn run(
    store: Store,
    config: Arc<Config>,
    region: RegionId,
    states: Vec<StoredCheckState>,
    mut inbox: mpsc::Receiver<CheckResult>,
) {
    let mut writer = Writer {
        region,
        trackers: states
            .into_iter()
            .map(|s| (s.check_id, s.tracker))
            .collect(),
        checks: CheckIndex::new(&config),
        store,
        config,
        pending: Pending::new(MAX_PENDING),
        backoff: Backoff::new(RETRY_FIRST, RETRY_MAX),
        dropped: 0,
    };
    while let Some(results) = gather(&mut inbox, writer.backoff.next_attempt()).await {
        writer.take(results).await;
        if writer.backoff.due(Instant::now()) {
            writer.flush().await;
        }
    }
    writer.finish().await;
}

/// Waits for results (or, when a retry is due at `retry_at`, at most until
/// then) and collects more for [`FLUSH_AFTER`]. `None`: the inbox closed.
async fn gather(
    inbox: &mut mpsc::Receiver<CheckResult>,
    retry_at: Option<Instant>,
) -> Option<Vec<CheckResult>> {
    let retry = async {
        match retry_at {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    };
    let first = tokio::select! {
        first = inbox.recv() => first?,
        () = retry => return Some(Vec::new()),
    };
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
    Some(results)
}

/// The writer's state between batches.
struct Writer {
    store: Store,
    config: Arc<Config>,
    /// The region whose results this writer records.
    region: RegionId,
    checks: CheckIndex,
    /// This region's tracker of each check.
    trackers: HashMap<String, Tracker>,
    pending: Pending<Recorded>,
    backoff: Backoff,
    /// Results dropped since start-up.
    dropped: usize,
}

impl Writer {
    /// Moves trackers on and queues the results.
    async fn take(&mut self, results: Vec<CheckResult>) {
        let Some(oldest) = results.iter().map(|r| r.at).min() else {
            return;
        };
        let maintenances = self.maintenances(oldest).await;
        let mut dropped = 0;
        for result in results {
            let spec = self.checks.get(&result);
            let recorded = record::record(
                &self.config,
                spec,
                &mut self.trackers,
                &maintenances,
                result,
            );
            dropped += self.pending.push(recorded);
        }
        if dropped > 0 {
            self.dropped += dropped;
            self.store.health().add_dropped_results(dropped);
            tracing::error!(
                dropped,
                dropped_total = self.dropped,
                pending = self.pending.len(),
                "dropping the oldest pending results: the database has refused writes for too long"
            );
        }
        self.store.health().set_pending_results(self.pending.len());
    }

    async fn maintenances(&self, since: chrono::DateTime<Utc>) -> Vec<Maintenance> {
        self.store
            .maintenances_ending_after(since)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot load maintenances; counting every result");
                Vec::new()
            })
    }

    /// Writes pending results batch by batch until none are left or a write
    /// fails. (Automatic incidents and pruning follow on the holder of their
    /// lease: `crate::duties`.)
    async fn flush(&mut self) {
        while !self.pending.is_empty() {
            if let Err(e) = self.write_batch().await {
                self.backoff.failed(Instant::now());
                tracing::warn!(
                    error = %e,
                    pending = self.pending.len(),
                    "writing results failed; holding them and retrying"
                );
                return;
            }
        }
        if self.backoff.failing() {
            tracing::info!("writing results again; every held result is written");
        }
        self.backoff.succeeded();
    }

    /// Writes the oldest pending batch.
    async fn write_batch(&mut self) -> Result<(), StoreError> {
        let batch = self.pending.oldest(MAX_BATCH);
        self.store.record_in(self.region.as_str(), batch).await?;
        let n = batch.len();
        self.pending.written(n);
        self.store.health().set_pending_results(self.pending.len());
        Ok(())
    }

    /// At shutdown: writes what is pending within [`FINAL_FLUSH`]; logs the
    /// rest as lost.
    async fn finish(mut self) {
        let deadline = Instant::now() + FINAL_FLUSH;
        let mut last_error = None;
        while !self.pending.is_empty() && Instant::now() < deadline {
            match self.write_batch().await {
                Ok(()) => last_error = None,
                Err(e) => {
                    last_error = Some(e);
                    tokio::time::sleep(RETRY_FIRST).await;
                }
            }
        }
        let lost = self.pending.len();
        if lost > 0 {
            self.store.health().add_dropped_results(lost);
            let error = last_error.map(|e| e.to_string()).unwrap_or_default();
            tracing::error!(
                lost,
                error,
                "results lost at shutdown: the database did not take them within {FINAL_FLUSH:?}"
            );
        }
    }
}
