//! Probe results, check states and the rollups derived from them.

use chrono::{DateTime, NaiveDate, Utc};

use super::record::FIVE_MINUTES_MS;
use super::{Store, StoreError, ms_to_time};
use crate::domain::Outcome;
use crate::status::{CheckState, Tracker, uptime::DayCounts};

/// A check's persisted state and latest facts in one probe region.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCheckState {
    pub check_id: String,
    /// The region whose probe wrote it (SPEC §9).
    pub region: String,
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

/// Latency and failures of one check over five minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyBucket {
    pub start: DateTime<Utc>,
    /// Results in the bucket, and how many of them failed.
    pub total: u64,
    pub failed: u64,
    /// Over the results that have a latency; `None` when none has.
    pub mean_ms: Option<f64>,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
}

/// One row of `check_states`.
#[derive(sqlx::FromRow)]
struct CheckStateRow {
    check_id: String,
    region: String,
    state: Option<String>,
    streak_of: Option<i64>,
    streak: i64,
    last_result_ms: i64,
    last_latency_ms: Option<i64>,
    last_failure_ms: Option<i64>,
    last_failure_reason: Option<String>,
}

type FiveMinuteRows = Vec<(i64, i64, i64, i64, i64, Option<i64>, Option<i64>)>;

const HOUR_MS: i64 = 3_600_000;

/// Which regions' check states a read returns.
enum Regions<'a> {
    All,
    Only(&'a str),
}

impl Store {
    /// The state of every check that has a result, one per region that
    /// reported it, by check then region.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn check_states(&self) -> Result<Vec<StoredCheckState>, StoreError> {
        self.states_of(Regions::All).await
    }

    /// The check states one region's probe wrote (its writer's trackers).
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn region_check_states(
        &self,
        region: &str,
    ) -> Result<Vec<StoredCheckState>, StoreError> {
        self.states_of(Regions::Only(region)).await
    }

    /// The states of the regions `which` selects.
    async fn states_of(&self, which: Regions<'_>) -> Result<Vec<StoredCheckState>, StoreError> {
        let (filter, region) = match which {
            Regions::All => ("all", ""),
            Regions::Only(region) => ("only", region),
        };
        let rows: Vec<CheckStateRow> = sqlx::query_as(
            "SELECT check_id, region, state, streak_of, streak, last_result_ms, last_latency_ms,
                    last_failure_ms, last_failure_reason FROM check_states
             WHERE $1 = 'all' OR region = $2
             ORDER BY check_id, region",
        )
        .bind(filter)
        .bind(region)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| StoredCheckState {
                check_id: row.check_id,
                region: row.region,
                tracker: Tracker {
                    state: row.state.as_deref().and_then(CheckState::parse),
                    streak_of: row.streak_of.map(Outcome::from_code),
                    streak: u32::try_from(row.streak).unwrap_or(u32::MAX),
                },
                last_result_at: ms_to_time(row.last_result_ms),
                last_latency_ms: row.last_latency_ms,
                last_failure: row
                    .last_failure_ms
                    .map(|ms| (ms_to_time(ms), row.last_failure_reason.unwrap_or_default())),
            })
            .collect())
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
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT check_id, day, good, total FROM daily_rollups
             WHERE day >= $1 AND ($2 IS NULL OR day < $2)",
        )
        .bind(since.to_string())
        .bind(before.map(|d| d.to_string()))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(check, day, good, total)| {
                let day = day.parse::<NaiveDate>().ok()?;
                let counts = DayCounts {
                    day,
                    good: good.max(0) as u64,
                    total: total.max(0) as u64,
                };
                Some((check, counts))
            })
            .collect())
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
             WHERE check_id = $1 AND at_ms >= $2 AND latency_ms IS NOT NULL ORDER BY at_ms",
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
             WHERE check_id = $1 AND hour_ms >= $2 AND latency_count > 0 ORDER BY hour_ms",
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

    /// Five-minute latency buckets of one check from the one holding
    /// `since` on, oldest first (the 24-hour chart).
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn five_minute_latency(
        &self,
        check_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<LatencyBucket>, StoreError> {
        let since = since.timestamp_millis();
        let rows: FiveMinuteRows = sqlx::query_as(
            "SELECT bucket_ms, total, failed, latency_count, latency_sum_ms, latency_min_ms, latency_max_ms
             FROM five_minute_rollups WHERE check_id = $1 AND bucket_ms >= $2 ORDER BY bucket_ms",
        )
        .bind(check_id)
        .bind(since - since.rem_euclid(FIVE_MINUTES_MS))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(start, total, failed, count, sum, min, max)| LatencyBucket {
                    start: ms_to_time(start),
                    total: total.max(0) as u64,
                    failed: failed.max(0) as u64,
                    mean_ms: (count > 0).then(|| sum as f64 / count as f64),
                    min_ms: min.map(|ms| ms as f64),
                    max_ms: max.map(|ms| ms as f64),
                },
            )
            .collect())
    }
}

impl Store {
    /// Per check, all results ever counted toward uptime: `(check_id, good, total)`.
    /// Monotonic (rollups are never pruned), so fit for Prometheus counters.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn result_totals(&self) -> Result<Vec<(String, u64, u64)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT check_id, CAST(SUM(good) AS BIGINT), CAST(SUM(total) AS BIGINT) FROM daily_rollups
             GROUP BY check_id ORDER BY check_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(check, good, total)| (check, good.max(0) as u64, total.max(0) as u64))
            .collect())
    }
}
