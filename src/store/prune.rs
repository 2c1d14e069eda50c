//! Retention: raw results past `retention_days` and five-minute rollups
//! past [`FIVE_MINUTES_KEPT`] are deleted in small batches beside the
//! writer; daily and hourly rollups stay forever.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::{Store, StoreError};

/// Raw results looked at per pruning statement: on 13 M rows of 100 checks
/// one batch held the write lock 3 ms (median) and 10 ms at most, fsync
/// included, on a loaded 2-core machine; 500 took 6 and 15 ms.
const PRUNE_BATCH: i64 = 250;
/// Pause between pruning statements, for the result writer to get in.
const PRUNE_PAUSE: Duration = Duration::from_millis(10);
/// Five-minute rollups feed only the 24-hour chart: a day and a margin.
pub const FIVE_MINUTES_KEPT: chrono::Duration = chrono::Duration::days(2);

/// Batches run and the longest, for the log line.
#[derive(Debug, Default)]
struct Batches {
    deleted: u64,
    count: u64,
    longest: Duration,
}

impl Batches {
    /// Runs one batch through the store's write path and counts it.
    async fn run(
        &mut self,
        store: &Store,
        sql: &'static str,
        key: Option<&str>,
        before: i64,
    ) -> Result<u64, StoreError> {
        let started = Instant::now();
        let done = store
            .write(async {
                let mut query = sqlx::query(sql).bind(PRUNE_BATCH).bind(before);
                if let Some(key) = key {
                    query = query.bind(key);
                }
                Ok(query.execute(&store.pool).await?.rows_affected())
            })
            .await?;
        self.longest = self.longest.max(started.elapsed());
        self.count += 1;
        self.deleted += done;
        tokio::time::sleep(PRUNE_PAUSE).await;
        Ok(done)
    }

    fn log(&self, what: &'static str) {
        if self.deleted > 0 {
            let longest_ms = self.longest.as_secs_f64() * 1000.0;
            tracing::info!(
                deleted = self.deleted,
                batches = self.count,
                longest_ms,
                "pruned {what}"
            );
        }
    }
}

impl Store {
    /// Deletes raw results older than `before`; rollups stay. Returns rows
    /// deleted. Works oldest first in batches of [`PRUNE_BATCH`] rows in
    /// insertion order (so each batch touches a few contiguous pages), each
    /// its own short statement with a pause after it, so the result writer
    /// is never kept out for more than a few milliseconds however large the
    /// backlog. Results are written in about time order, so the old ones are
    /// a prefix; it stops at the first batch that finds nothing to delete, so
    /// a row written out of order (a clock jump) slows it down by one batch,
    /// never stops it.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn prune_results(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut batches = Batches::default();
        while batches
            .run(
                self,
                "DELETE FROM check_results WHERE result_id IN (
                     SELECT result_id FROM (
                         SELECT result_id, at_ms FROM check_results ORDER BY result_id LIMIT $1) AS oldest
                     WHERE at_ms < $2)",
                None,
                before.timestamp_millis(),
            )
            .await?
            > 0
        {}
        batches.log("raw results past retention");
        Ok(batches.deleted)
    }

    /// Deletes five-minute rollups that start before `before`, check by
    /// check through the primary key, [`PRUNE_BATCH`] rows a statement.
    /// Returns rows deleted.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn prune_five_minute_rollups(
        &self,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let checks: Vec<String> = sqlx::query_scalar("SELECT DISTINCT check_id FROM check_states")
            .fetch_all(&self.pool)
            .await?;
        let mut batches = Batches::default();
        for check in &checks {
            while batches
                .run(
                    self,
                    "DELETE FROM five_minute_rollups WHERE check_id = $3 AND bucket_ms IN (
                         SELECT bucket_ms FROM five_minute_rollups
                         WHERE check_id = $3 AND bucket_ms < $2 LIMIT $1)",
                    Some(check),
                    before.timestamp_millis(),
                )
                .await?
                > 0
            {}
        }
        batches.log("five-minute rollups");
        Ok(batches.deleted)
    }
}
