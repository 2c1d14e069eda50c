//! Probe results, check states and the rollups derived from them.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{Store, StoreError, commit_change, events, ms_to_time};
use crate::domain::{CheckResult, ComponentStatus, Outcome};
use crate::status::{CheckState, Tracker, uptime::DayCounts};

/// One result to record with what the writer derived from it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub result: CheckResult,
    /// The check's tracker after this result.
    pub tracker: Tracker,
    /// The result's day in the site timezone.
    pub day: NaiveDate,
    /// Counted in uptime: false when taken during maintenance covering its component.
    pub counted: bool,
    /// The check's component and its check-derived status after this
    /// result (SPEC §8 `component.status`); `None` for an unknown check.
    pub component: Option<(String, ComponentStatus)>,
}

/// A check's persisted state and latest facts.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCheckState {
    pub check_id: String,
    pub tracker: Tracker,
    pub last_result_at: DateTime<Utc>,
    pub last_latency_ms: Option<i64>,
    pub last_failure: Option<(DateTime<Utc>, String)>,
}

/// One raw latency point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencySample {
    pub at: DateTime<Utc>,
    pub ms: f64,
}

/// Mean latency of one UTC hour.
pub type HourlyLatency = LatencySample;

fn duration_ms(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

const HOUR_MS: i64 = 3_600_000;

/// Raw results looked at per pruning statement: on 13 M rows of 100 checks
/// one batch held the write lock 3 ms (median) and 10 ms at most, fsync
/// included, on a loaded 2-core machine; 500 took 6 and 15 ms.
const PRUNE_BATCH: i64 = 250;
/// Pause between pruning statements, for the result writer to get in.
const PRUNE_PAUSE: std::time::Duration = std::time::Duration::from_millis(10);

impl Store {
    /// Writes a batch of results, their rollups and check states in one
    /// transaction (committed before this returns).
    #[tracing::instrument(skip_all, fields(results = batch.len()), err(level = "warn"))]
    pub async fn record(&self, batch: &[Recorded]) -> Result<(), StoreError> {
        self.write(async {
            if batch.is_empty() {
                return Ok(());
            }
            let mut tx = self.begin_write().await?;
            for r in batch {
                let res = &r.result;
                let at = res.at.timestamp_millis();
                let latency = res.latency.map(duration_ms);
                let good = i64::from(res.outcome != Outcome::Failed);
                sqlx::query(
                    "INSERT INTO check_results (check_id, at_ms, outcome, latency_ms, reason) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(res.check.as_str())
                .bind(at)
                .bind(res.outcome.code())
                .bind(latency)
                .bind(&res.reason)
                .execute(&mut *tx)
                .await?;
                if r.counted {
                    sqlx::query(
                        "INSERT INTO daily_rollups (check_id, day, good, total) VALUES (?, ?, ?, 1)
                         ON CONFLICT (check_id, day) DO UPDATE SET good = good + excluded.good, total = total + 1",
                    )
                    .bind(res.check.as_str())
                    .bind(r.day.to_string())
                    .bind(good)
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(ms) = latency {
                    sqlx::query(
                        "INSERT INTO hourly_rollups (check_id, hour_ms, latency_sum_ms, latency_count) VALUES (?, ?, ?, 1)
                         ON CONFLICT (check_id, hour_ms) DO UPDATE
                         SET latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms, latency_count = latency_count + 1",
                    )
                    .bind(res.check.as_str())
                    .bind(at - at.rem_euclid(HOUR_MS))
                    .bind(ms)
                    .execute(&mut *tx)
                    .await?;
                }
                events::on_result(&mut tx, r).await?;
                let failed = res.outcome == Outcome::Failed;
                sqlx::query(
                    "INSERT INTO check_states (check_id, state, streak_of, streak, last_result_ms, last_latency_ms,
                                               last_failure_ms, last_failure_reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?7 THEN ?5 END, CASE WHEN ?7 THEN ?8 END)
                     ON CONFLICT (check_id) DO UPDATE SET
                        state = excluded.state, streak_of = excluded.streak_of, streak = excluded.streak,
                        last_result_ms = excluded.last_result_ms, last_latency_ms = excluded.last_latency_ms,
                        last_failure_ms = CASE WHEN ?7 THEN ?5 ELSE last_failure_ms END,
                        last_failure_reason = CASE WHEN ?7 THEN ?8 ELSE last_failure_reason END",
                )
                .bind(res.check.as_str())
                .bind(r.tracker.state.map(CheckState::as_str))
                .bind(r.tracker.streak_of.map(Outcome::code))
                .bind(i64::from(r.tracker.streak))
                .bind(at)
                .bind(latency)
                .bind(failed)
                .bind(&res.reason)
                .execute(&mut *tx)
                .await?;
            }
            commit_change(tx).await?;
            self.results_written.send_modify(|n| *n = n.wrapping_add(1));
            Ok(())
        })
        .await
    }

    /// The state of every check that has a result.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn check_states(&self) -> Result<Vec<StoredCheckState>, StoreError> {
        let rows = sqlx::query(
            "SELECT check_id, state, streak_of, streak, last_result_ms, last_latency_ms, last_failure_ms,
                    last_failure_reason FROM check_states",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let state: Option<String> = row.try_get("state")?;
                let streak_of: Option<i64> = row.try_get("streak_of")?;
                let streak: i64 = row.try_get("streak")?;
                let failure_ms: Option<i64> = row.try_get("last_failure_ms")?;
                let reason: Option<String> = row.try_get("last_failure_reason")?;
                Ok(StoredCheckState {
                    check_id: row.try_get("check_id")?,
                    tracker: Tracker {
                        state: state.as_deref().and_then(CheckState::parse),
                        streak_of: streak_of.map(Outcome::from_code),
                        streak: u32::try_from(streak).unwrap_or(u32::MAX),
                    },
                    last_result_at: ms_to_time(row.try_get("last_result_ms")?),
                    last_latency_ms: row.try_get("last_latency_ms")?,
                    last_failure: failure_ms.map(|ms| (ms_to_time(ms), reason.unwrap_or_default())),
                })
            })
            .collect()
    }

    /// Daily counts per check from `since` on, as `(check_id, counts)`.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn daily_counts(
        &self,
        since: NaiveDate,
    ) -> Result<Vec<(String, DayCounts)>, StoreError> {
        self.counts_query(since, None).await
    }

    /// Daily counts per check from `since` up to (not including) `before`.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn daily_counts_between(
        &self,
        since: NaiveDate,
        before: NaiveDate,
    ) -> Result<Vec<(String, DayCounts)>, StoreError> {
        self.counts_query(since, Some(before)).await
    }

    async fn counts_query(
        &self,
        since: NaiveDate,
        before: Option<NaiveDate>,
    ) -> Result<Vec<(String, DayCounts)>, StoreError> {
        let rows = sqlx::query(
            "SELECT check_id, day, good, total FROM daily_rollups
             WHERE day >= ?1 AND (?2 IS NULL OR day < ?2)",
        )
        .bind(since.to_string())
        .bind(before.map(|d| d.to_string()))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let day: String = row.try_get("day")?;
            let Ok(day) = day.parse::<NaiveDate>() else {
                continue;
            };
            let good: i64 = row.try_get("good")?;
            let total: i64 = row.try_get("total")?;
            out.push((
                row.try_get("check_id")?,
                DayCounts {
                    day,
                    good: good.max(0) as u64,
                    total: total.max(0) as u64,
                },
            ));
        }
        Ok(out)
    }

    /// The first day each check has a daily rollup for, as `(check_id, day)`.
    /// Rollups are kept forever, so this is when the check started reporting.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn first_result_days(&self) -> Result<Vec<(String, NaiveDate)>, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT check_id, MIN(day) FROM daily_rollups GROUP BY check_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(check, day)| Some((check, day.parse().ok()?)))
            .collect())
    }

    /// Raw latencies of one check since `since`, oldest first.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn latency_samples(
        &self,
        check_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<LatencySample>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT at_ms, latency_ms FROM check_results
             WHERE check_id = ? AND at_ms >= ? AND latency_ms IS NOT NULL ORDER BY at_ms",
        )
        .bind(check_id)
        .bind(since.timestamp_millis())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(at, ms)| LatencySample {
                at: ms_to_time(at),
                ms: ms as f64,
            })
            .collect())
    }

    /// Hourly mean latencies of one check since `since`, oldest first.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn hourly_latency(
        &self,
        check_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<HourlyLatency>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT hour_ms, latency_sum_ms, latency_count FROM hourly_rollups
             WHERE check_id = ? AND hour_ms >= ? AND latency_count > 0 ORDER BY hour_ms",
        )
        .bind(check_id)
        .bind(since.timestamp_millis() - since.timestamp_millis().rem_euclid(HOUR_MS))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(hour, sum, count)| LatencySample {
                at: ms_to_time(hour),
                ms: sum as f64 / count as f64,
            })
            .collect())
    }

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
        let (mut deleted, mut batches, mut longest) = (0, 0, std::time::Duration::ZERO);
        loop {
            let started = std::time::Instant::now();
            let done = self
                .write(async {
                    Ok(sqlx::query(
                        "DELETE FROM check_results WHERE result_id IN (
                             SELECT result_id FROM (
                                 SELECT result_id, at_ms FROM check_results ORDER BY result_id LIMIT ?1)
                             WHERE at_ms < ?2)",
                    )
                    .bind(PRUNE_BATCH)
                    .bind(before.timestamp_millis())
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
                })
                .await?;
            longest = longest.max(started.elapsed());
            batches += 1;
            deleted += done;
            if done == 0 {
                if deleted > 0 {
                    let longest_ms = longest.as_secs_f64() * 1000.0;
                    tracing::info!(
                        deleted,
                        batches,
                        longest_ms,
                        "pruned raw results past retention"
                    );
                }
                return Ok(deleted);
            }
            tokio::time::sleep(PRUNE_PAUSE).await;
        }
    }
}

impl Store {
    /// Per check, all results ever counted toward uptime: `(check_id, good, total)`.
    /// Monotonic (rollups are never pruned), so fit for Prometheus counters.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn result_totals(&self) -> Result<Vec<(String, u64, u64)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT check_id, SUM(good), SUM(total) FROM daily_rollups GROUP BY check_id ORDER BY check_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(check, good, total)| (check, good.max(0) as u64, total.max(0) as u64))
            .collect())
    }
}
