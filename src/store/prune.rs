//! Retention: raw results past `retention_days` and five-minute rollups
//! past [`FIVE_MINUTES_KEPT`] are deleted in small batches beside the
//! writer; daily and hourly rollups stay forever.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::{Backend, Store, StoreError};

/// Rows looked at by the first pruning statement: on 13 M rows of 100
/// checks 250 held the write lock 3 ms (median) and 10 ms at most, fsync
/// included, on a loaded 2-core machine; 500 took 6 and 15 ms.
const FIRST_BATCH: i64 = 250;
/// Each statement aims to hold the write lock no longer than this: a
/// slower one halves the next batch, a much faster one lets it grow by a
/// quarter, so a slow disk or a busy machine gets smaller batches rather
/// than longer waits for the result writer (the bound is 10 ms).
const BATCH_BUDGET: Duration = Duration::from_millis(2);
/// Batch sizes stay within these.
const BATCH_RANGE: (i64, i64) = (20, 2_000);

/// The oldest `$1` raw results, each looked up through the index their
/// DELETE must update too. Run before that DELETE and outside the write
/// lock (a read takes none in WAL mode), it brings the pages the DELETE
/// changes into memory: on a page cache just dropped, the first batch of
/// 250 rows held SQLite's write lock 89 ms reading index pages from disk.
/// SQLite only: PostgreSQL has no database-wide write lock to keep short.
const WARM_OLDEST_RESULTS: &str = "SELECT COUNT(r.at_ms) FROM (
    SELECT check_id, at_ms FROM check_results ORDER BY result_id LIMIT $1) AS oldest
    JOIN check_results AS r ON r.check_id = oldest.check_id AND r.at_ms = oldest.at_ms";
/// Pause between pruning statements, for the result writer to get in.
const PRUNE_PAUSE: Duration = Duration::from_millis(10);
/// Five-minute rollups feed only the 24-hour chart: a day and a margin.
pub const FIVE_MINUTES_KEPT: chrono::Duration = chrono::Duration::days(2);

/// The size of the batch after one of `size` rows that took `took`.
fn next_batch(size: i64, took: Duration) -> i64 {
    let next = if took > BATCH_BUDGET {
        size / 2
    } else if took < BATCH_BUDGET / 2 {
        size + size / 4
    } else {
        size
    };
    next.clamp(BATCH_RANGE.0, BATCH_RANGE.1)
}

/// Batches run and the longest, for the log line; the size of the next,
/// and the read that warms each batch's pages, if any.
#[derive(Debug)]
struct Batches {
    deleted: u64,
    count: u64,
    longest: Duration,
    size: i64,
    warm: Option<&'static str>,
}

impl Batches {
    /// Batches that run `warm` (bound: the batch size) before each one.
    fn warmed_by(warm: Option<&'static str>) -> Batches {
        Batches {
            deleted: 0,
            count: 0,
            longest: Duration::ZERO,
            size: FIRST_BATCH,
            warm,
        }
    }
}

impl Batches {
    /// Runs one batch through the store's write path, after the warming
    /// read if there is one, and counts it.
    async fn run(
        &mut self,
        store: &Store,
        sql: &'static str,
        key: Option<&str>,
        before: i64,
    ) -> Result<u64, StoreError> {
        if let Some(warm) = self.warm {
            sqlx::query(warm)
                .bind(self.size)
                .execute(&store.pool)
                .await?;
        }
        let started = Instant::now();
        let done = store
            .write(async {
                let mut query = sqlx::query(sql).bind(self.size).bind(before);
                if let Some(key) = key {
                    query = query.bind(key);
                }
                Ok(query.execute(&store.pool).await?.rows_affected())
            })
            .await?;
        let took = started.elapsed();
        self.longest = self.longest.max(took);
        self.size = next_batch(self.size, took);
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
                last_batch = self.size,
                "pruned {what}"
            );
        }
    }
}

impl Store {
    /// Deletes raw results older than `before`; rollups stay. Returns rows
    /// deleted. Works oldest first in batches of rows (sized by [`next_batch`]) in
    /// insertion order (so each batch touches a few contiguous pages), each
    /// its own short statement with a pause after it, so the result writer
    /// is never kept out for more than a few milliseconds however large the
    /// backlog. Results are written in about time order, so the old ones are
    /// a prefix; it stops at the first batch that finds nothing to delete, so
    /// a row written out of order (a clock jump) slows it down by one batch,
    /// never stops it.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn prune_results(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let warm = (self.backend == Backend::Sqlite).then_some(WARM_OLDEST_RESULTS);
        let mut batches = Batches::warmed_by(warm);
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
    /// check through the primary key, in batches sized by [`next_batch`].
    /// Returns rows deleted.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn prune_five_minute_rollups(
        &self,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let checks: Vec<String> = sqlx::query_scalar("SELECT DISTINCT check_id FROM check_states")
            .fetch_all(&self.pool)
            .await?;
        // By primary key, one check at a time: a few contiguous pages, no warming.
        let mut batches = Batches::warmed_by(None);
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

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn batches_shrink_when_slow_and_grow_back_when_fast() {
        assert_eq!(next_batch(250, MS(9)), 125);
        assert_eq!(next_batch(250, MS(2)), 250);
        assert_eq!(next_batch(250, Duration::from_micros(500)), 312);
        assert_eq!(next_batch(BATCH_RANGE.0, MS(50)), BATCH_RANGE.0);
        assert_eq!(next_batch(BATCH_RANGE.1, MS(0)), BATCH_RANGE.1);
        // A lock held 8 ms (a loaded disk) is under the budget within three batches.
        let mut size = FIRST_BATCH;
        let mut took = MS(8);
        for _ in 0..3 {
            size = next_batch(size, took);
            took /= 2;
        }
        assert!(
            took <= BATCH_BUDGET && size < FIRST_BATCH,
            "{size} rows, {took:?}"
        );
    }

    /// The warming read must look every row up through the index the
    /// DELETE updates: a full scan of the table would cost far more than
    /// the cold pages it is there to avoid.
    #[tokio::test]
    async fn the_warming_read_goes_through_the_time_index() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let store = Store::open(&url).await.unwrap();
        let explain = format!("EXPLAIN QUERY PLAN {WARM_OLDEST_RESULTS}");
        let plan: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(explain))
            .bind(250_i64)
            .fetch_all(&store.pool)
            .await
            .unwrap()
            .iter()
            .map(|row| sqlx::Row::get::<String, _>(row, "detail"))
            .collect();
        assert!(
            plan.iter().any(
                |step| step.contains("r USING") && step.contains("check_results_by_check_time")
            ),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.starts_with("SCAN r")),
            "a full scan of the table: {plan:?}"
        );
    }
}
