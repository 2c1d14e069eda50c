//! Writing a batch of probe results: raw rows, rollups and check states.
//!
//! A batch is folded in memory first (one rollup row per check and day,
//! hour or five minutes; one state per check), then written with one
//! statement per table whatever its size: each statement takes its rows as
//! one JSON array (`json_each`, `jsonb_array_elements`), so its text never changes, it is prepared
//! once per connection, and a batch of 250 results costs a handful of round
//! trips to the database instead of a thousand.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Store, StoreError, commit_change};
use crate::domain::{CheckResult, DEFAULT_REGION, Outcome};
use crate::status::{CheckState, Tracker};

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
}

const HOUR_MS: i64 = 3_600_000;
/// Width of a `five_minute_rollups` bucket.
pub const FIVE_MINUTES_MS: i64 = 300_000;

// Each statement reads its rows from `{rows}`, the backend's table source
// over the JSON array bound as `$1` (`Backend::json_rows`); `->>` gives
// text, so numbers are cast (a no-op on SQLite).
const INSERT_RESULTS: &str =
    "INSERT INTO check_results (check_id, at_ms, outcome, latency_ms, reason, region)
     SELECT value ->> 0, CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT),
            CAST(value ->> 3 AS BIGINT), value ->> 4, value ->> 5
     FROM {rows}";
// `WHERE true`: SQLite's parser needs it between a SELECT and ON CONFLICT.
const UPSERT_DAILY: &str = "INSERT INTO daily_rollups (check_id, day, good, total)
     SELECT value ->> 0, value ->> 1, CAST(value ->> 2 AS BIGINT), CAST(value ->> 3 AS BIGINT)
     FROM {rows} WHERE true
     ON CONFLICT (check_id, day) DO UPDATE
     SET good = daily_rollups.good + excluded.good, total = daily_rollups.total + excluded.total";
const UPSERT_HOURLY: &str =
    "INSERT INTO hourly_rollups (check_id, hour_ms, latency_sum_ms, latency_count)
     SELECT value ->> 0, CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT),
            CAST(value ->> 3 AS BIGINT)
     FROM {rows} WHERE true
     ON CONFLICT (check_id, hour_ms) DO UPDATE
     SET latency_sum_ms = hourly_rollups.latency_sum_ms + excluded.latency_sum_ms,
         latency_count = hourly_rollups.latency_count + excluded.latency_count";
// `x < NULL` is not true: a NULL side never wins, and NULL stays only
// while both are.
const UPSERT_FIVE_MINUTES: &str = "INSERT INTO five_minute_rollups AS f
        (check_id, bucket_ms, total, failed, latency_count, latency_sum_ms, latency_min_ms, latency_max_ms)
     SELECT value ->> 0, CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT),
            CAST(value ->> 3 AS BIGINT), CAST(value ->> 4 AS BIGINT), CAST(value ->> 5 AS BIGINT),
            CAST(value ->> 6 AS BIGINT), CAST(value ->> 7 AS BIGINT)
     FROM {rows} WHERE true
     ON CONFLICT (check_id, bucket_ms) DO UPDATE
     SET total = f.total + excluded.total, failed = f.failed + excluded.failed,
         latency_count = f.latency_count + excluded.latency_count,
         latency_sum_ms = f.latency_sum_ms + excluded.latency_sum_ms,
         latency_min_ms = CASE WHEN excluded.latency_min_ms < f.latency_min_ms OR f.latency_min_ms IS NULL
                               THEN excluded.latency_min_ms ELSE f.latency_min_ms END,
         latency_max_ms = CASE WHEN excluded.latency_max_ms > f.latency_max_ms OR f.latency_max_ms IS NULL
                               THEN excluded.latency_max_ms ELSE f.latency_max_ms END";
const UPSERT_STATES: &str =
    "INSERT INTO check_states AS s (check_id, state, streak_of, streak, last_result_ms,
                                last_latency_ms, last_failure_ms, last_failure_reason, region)
     SELECT value ->> 0, value ->> 1, CAST(value ->> 2 AS BIGINT), CAST(value ->> 3 AS BIGINT),
            CAST(value ->> 4 AS BIGINT), CAST(value ->> 5 AS BIGINT), CAST(value ->> 6 AS BIGINT),
            value ->> 7, value ->> 8
     FROM {rows} WHERE true
     ON CONFLICT (check_id, region) DO UPDATE SET
        state = excluded.state, streak_of = excluded.streak_of, streak = excluded.streak,
        last_result_ms = excluded.last_result_ms, last_latency_ms = excluded.last_latency_ms,
        last_failure_ms = coalesce(excluded.last_failure_ms, s.last_failure_ms),
        last_failure_reason = CASE WHEN excluded.last_failure_ms IS NULL THEN s.last_failure_reason
                                   ELSE excluded.last_failure_reason END";

/// A raw row: check, at, outcome, latency, reason, region.
type ResultRow<'a> = (&'a str, i64, i64, Option<i64>, Option<&'a str>, &'a str);
/// A check state: check, state, streak of, streak, last result, last
/// latency, last failure time and reason (of this batch; `None` keeps the
/// stored one), region.
type StateRow<'a> = (
    &'a str,
    Option<&'static str>,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<&'a str>,
    &'a str,
);

/// Latency and failures of one check over one five-minute bucket.
#[derive(Debug, Default, Clone, Copy)]
struct Bucket {
    total: i64,
    failed: i64,
    count: i64,
    sum: i64,
    min: Option<i64>,
    max: Option<i64>,
}

/// A batch folded into the rows each table gets.
#[derive(Debug, Default)]
struct Folded<'a> {
    results: Vec<ResultRow<'a>>,
    /// (check, day) → (good, total).
    daily: HashMap<(&'a str, NaiveDate), (i64, i64)>,
    /// (check, hour) → (latency sum, latency count).
    hourly: HashMap<(&'a str, i64), (i64, i64)>,
    five_minutes: HashMap<(&'a str, i64), Bucket>,
    /// Check → its state after the batch's last result of it.
    states: HashMap<&'a str, StateRow<'a>>,
}

fn duration_ms(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn fold<'a>(region: &'a str, batch: &'a [Recorded]) -> Folded<'a> {
    let mut f = Folded {
        results: Vec::with_capacity(batch.len()),
        ..Folded::default()
    };
    for r in batch {
        let res = &r.result;
        let check = res.check.as_str();
        let at = res.at.timestamp_millis();
        let latency = res.latency.map(duration_ms);
        let failed = res.outcome == Outcome::Failed;
        f.results.push((
            check,
            at,
            res.outcome.code(),
            latency,
            res.reason.as_deref(),
            region,
        ));
        if r.counted {
            let day = f.daily.entry((check, r.day)).or_default();
            day.0 += i64::from(!failed);
            day.1 += 1;
        }
        let bucket = f
            .five_minutes
            .entry((check, at - at.rem_euclid(FIVE_MINUTES_MS)))
            .or_default();
        bucket.total += 1;
        bucket.failed += i64::from(failed);
        if let Some(ms) = latency {
            let hour = f
                .hourly
                .entry((check, at - at.rem_euclid(HOUR_MS)))
                .or_default();
            hour.0 += ms;
            hour.1 += 1;
            bucket.count += 1;
            bucket.sum += ms;
            bucket.min = Some(bucket.min.map_or(ms, |m| m.min(ms)));
            bucket.max = Some(bucket.max.map_or(ms, |m| m.max(ms)));
        }
        let earlier_failure = f.states.get(check).and_then(|s| s.6.zip(s.7));
        let failure = if failed {
            Some((at, res.reason.as_deref().unwrap_or_default()))
        } else {
            earlier_failure
        };
        f.states.insert(
            check,
            (
                check,
                r.tracker.state.map(CheckState::as_str),
                r.tracker.streak_of.map(Outcome::code),
                i64::from(r.tracker.streak),
                at,
                latency,
                failure.map(|x| x.0),
                failure.map(|x| x.1),
                region,
            ),
        );
    }
    f
}

impl Store {
    /// [`Store::record_in`] the region `default` (a single-region install).
    pub async fn record(&self, batch: &[Recorded]) -> Result<(), StoreError> {
        self.record_in(DEFAULT_REGION, batch).await
    }

    /// Writes a batch of results taken in `region`, their rollups and that
    /// region's check states in one transaction (committed before this
    /// returns). Rollups (uptime, latency) count the results of every region.
    #[tracing::instrument(skip(self, batch), fields(results = batch.len()), err(level = "warn"))]
    pub async fn record_in(&self, region: &str, batch: &[Recorded]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let f = fold(region, batch);
        let daily: Vec<_> = f
            .daily
            .iter()
            .map(|(&(check, day), &(good, total))| (check, day.to_string(), good, total))
            .collect();
        let hourly: Vec<_> = f
            .hourly
            .iter()
            .map(|(&(check, hour), &(sum, count))| (check, hour, sum, count))
            .collect();
        let five_minutes: Vec<_> = f
            .five_minutes
            .iter()
            .map(|(&(check, start), b)| {
                (
                    check, start, b.total, b.failed, b.count, b.sum, b.min, b.max,
                )
            })
            .collect();
        let states: Vec<_> = f.states.values().collect();
        let statements = [
            (INSERT_RESULTS, json_rows(&f.results)?),
            (UPSERT_DAILY, json_rows(&daily)?),
            (UPSERT_HOURLY, json_rows(&hourly)?),
            (UPSERT_FIVE_MINUTES, json_rows(&five_minutes)?),
            (UPSERT_STATES, json_rows(&states)?),
        ];
        self.write(async {
            let mut tx = self.begin_write().await?;
            let source = self.backend.json_rows();
            for (sql, rows) in statements.iter().filter(|(_, rows)| rows != "[]") {
                let sql = sql.replace("{rows}", source);
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(rows)
                    .execute(&mut *tx)
                    .await?;
            }
            commit_change(tx).await?;
            self.results_written.send_modify(|n| *n = n.wrapping_add(1));
            Ok(())
        })
        .await
    }
}

/// Rows as one JSON array, for `Backend::json_rows`.
fn json_rows<T: Serialize>(rows: &[T]) -> Result<String, StoreError> {
    serde_json::to_string(rows).map_err(|e| StoreError::Sqlx(sqlx::Error::Encode(Box::new(e))))
}
