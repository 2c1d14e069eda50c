//! Visitors' problem reports (SPEC §10): stored with the client address as
//! a salted hash only, limited per client, checked for a spike in the same
//! transaction, listed for the admin API, counted for the page, pruned.

use std::collections::HashMap;
use std::net::IpAddr;

use super::events::{NewEvent, emit};
use super::{Store, StoreError, commit_change, hash_token, ms_to_time};
use crate::config::Reports;
use crate::domain::EventKind;
use crate::status::reports::{self as rule, RATE_WINDOW, Sighting};
use chrono::{DateTime, Utc};

/// Most rows the table keeps, whatever the retention: the oldest go first.
pub const MAX_REPORTS: i64 = 100_000;

/// Notes of the window a spike carries (the latest first).
const SPIKE_NOTES: i64 = 5;

/// A report as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub report_id: i64,
    pub component_id: String,
    /// Hex SHA-256 of the database's salt and the client address.
    pub reporter_hash: String,
    pub note: String,
    pub at_ms: i64,
    /// Whether this report made a `reports.spike`.
    pub spike: bool,
}

/// One row of `reports` (`spike` is 0 or 1 on both backends).
#[derive(sqlx::FromRow)]
struct ReportRow {
    report_id: i64,
    component_id: String,
    reporter_hash: String,
    note: String,
    at_ms: i64,
    spike: i64,
}

impl From<ReportRow> for StoredReport {
    fn from(row: ReportRow) -> StoredReport {
        StoredReport {
            report_id: row.report_id,
            component_id: row.component_id,
            reporter_hash: row.reporter_hash,
            note: row.note,
            at_ms: row.at_ms,
            spike: row.spike != 0,
        }
    }
}

impl StoredReport {
    /// When it was sent.
    pub fn at(&self) -> DateTime<Utc> {
        ms_to_time(self.at_ms)
    }
}

/// What became of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filed {
    /// The client sent its [`rule::PER_CLIENT`] reports this hour already.
    Limited,
    /// Stored; `spike` when it made one.
    Stored { spike: Option<Spike> },
}

/// A `reports.spike` (SPEC §10): distinct reporters in the window and the
/// latest notes written in it, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spike {
    pub count: u32,
    pub notes: Vec<String>,
}

impl Store {
    /// Files a report by `client` about `component` at `now`: refused when
    /// the client's hour is used up, else stored and checked for a spike
    /// (status::reports) in one write transaction, so two servers never
    /// count one spike twice; a spike's `reports.spike` event goes into the
    /// outbox (SPEC §8) in that same transaction. Committed before it returns; a stored report
    /// bumps the revision only when `rules.public` (the page shows counts).
    #[tracing::instrument(skip(self, note), err(level = "warn"))]
    pub async fn file_report(
        &self,
        component: &str,
        client: IpAddr,
        note: &str,
        rules: &Reports,
        now: DateTime<Utc>,
    ) -> Result<Filed, StoreError> {
        let reporter = self.reporter_hash(client).await?;
        let now_ms = now.timestamp_millis();
        let hour_ago = now_ms - i64::try_from(RATE_WINDOW.as_millis()).unwrap_or(i64::MAX);
        let window = i64::try_from(rules.window.as_millis()).unwrap_or(i64::MAX);
        self.write(async {
            let mut tx = self.begin_write().await?;
            // The limit's count and the spike's (and the insert between
            // them) see every other process's reports of this component.
            self.backend
                .serialize(&mut tx, &format!("reports:{component}"))
                .await?;
            let sent: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM reports
                 WHERE reporter_hash = $1 AND component_id = $2 AND at_ms > $3",
            )
            .bind(&reporter)
            .bind(component)
            .bind(hour_ago)
            .fetch_one(&mut *tx)
            .await?;
            if !rule::allowed(u32::try_from(sent).unwrap_or(u32::MAX)) {
                return Ok(Filed::Limited);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO reports (component_id, reporter_hash, note, at_ms) VALUES ($1, $2, $3, $4)
                 RETURNING report_id",
            )
            .bind(component)
            .bind(&reporter)
            .bind(note)
            .bind(now_ms)
            .fetch_one(&mut *tx)
            .await?;
            let recent: Vec<(String, i64)> = sqlx::query_as(
                "SELECT reporter_hash, at_ms FROM reports WHERE component_id = $1 AND at_ms > $2",
            )
            .bind(component)
            .bind(now_ms.saturating_sub(window))
            .fetch_all(&mut *tx)
            .await?;
            let last_spike: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(at_ms) FROM reports WHERE component_id = $1 AND spike = 1",
            )
            .bind(component)
            .fetch_one(&mut *tx)
            .await?;
            let sightings: Vec<Sighting> = recent
                .iter()
                .map(|(reporter, at)| Sighting {
                    reporter,
                    at: ms_to_time(*at),
                })
                .collect();
            let count = rule::spike(
                &sightings,
                last_spike.map(ms_to_time),
                rules.threshold,
                rules.window,
                now,
            );
            let spike = match count {
                None => None,
                Some(count) => {
                    sqlx::query("UPDATE reports SET spike = 1 WHERE report_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let notes: Vec<String> = sqlx::query_scalar(
                        "SELECT note FROM reports WHERE component_id = $1 AND at_ms > $2 AND note <> ''
                         ORDER BY report_id DESC LIMIT $3",
                    )
                    .bind(component)
                    .bind(now_ms.saturating_sub(window))
                    .bind(SPIKE_NOTES)
                    .fetch_all(&mut *tx)
                    .await?;
                    let detail = serde_json::json!({
                        "count": count,
                        "window_seconds": rules.window.as_secs(),
                        "notes": notes,
                    })
                    .to_string();
                    let event = NewEvent {
                        component: Some(component),
                        detail: Some(&detail),
                        ..NewEvent::default()
                    };
                    emit(&mut tx, EventKind::ReportsSpike, now, event).await?;
                    Some(Spike { count, notes })
                }
            };
            if rules.public {
                commit_change(tx).await?;
            } else {
                tx.commit().await?;
            }
            Ok(Filed::Stored { spike })
        })
        .await
    }

    /// Reports newest first, of one component or all, `per_page` from
    /// `offset`, and how many there are in all.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn reports(
        &self,
        component: Option<&str>,
        offset: i64,
        per_page: i64,
    ) -> Result<(Vec<StoredReport>, i64), StoreError> {
        let rows: Vec<ReportRow> = sqlx::query_as(
            "SELECT report_id, component_id, reporter_hash, note, at_ms, spike
             FROM reports WHERE $1 IS NULL OR component_id = $1
             ORDER BY report_id DESC LIMIT $2 OFFSET $3",
        )
        .bind(component)
        .bind(per_page)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let total = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reports WHERE $1 IS NULL OR component_id = $1",
        )
        .bind(component)
        .fetch_one(&self.pool)
        .await?;
        Ok((rows.into_iter().map(StoredReport::from).collect(), total))
    }

    /// Distinct reporters per component since `since` (the page's count).
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn reporters_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<HashMap<String, u32>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT component_id, COUNT(DISTINCT reporter_hash) FROM reports
             WHERE at_ms > $1 GROUP BY component_id",
        )
        .bind(since.timestamp_millis())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(component, n)| (component, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }

    /// Deletes reports older than `before` and all but the newest
    /// [`MAX_REPORTS`]; returns rows deleted. Reports are few (three per
    /// client, component and hour), so one statement each is short.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn prune_reports(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.write(async {
            let old = sqlx::query("DELETE FROM reports WHERE at_ms < $1")
                .bind(before.timestamp_millis())
                .execute(&self.pool)
                .await?;
            let over = sqlx::query(
                "DELETE FROM reports WHERE report_id <= (
                     SELECT report_id FROM reports ORDER BY report_id DESC LIMIT 1 OFFSET $1)",
            )
            .bind(MAX_REPORTS)
            .execute(&self.pool)
            .await?;
            Ok(old.rows_affected() + over.rows_affected())
        })
        .await
    }

    /// SHA-256 of the salt made once by the migration and `client`:
    /// the address itself is never stored.
    async fn reporter_hash(&self, client: IpAddr) -> Result<String, StoreError> {
        let salt: String = sqlx::query_scalar("SELECT value FROM secrets WHERE name = 'reports'")
            .fetch_one(&self.pool)
            .await?;
        Ok(hash_token(&format!("{salt}:{}", client.to_canonical())))
    }
}
