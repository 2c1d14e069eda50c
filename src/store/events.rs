//! Writing events into the outbox (SPEC §8), always inside the transaction
//! of the change that caused them: the change and its event commit or roll
//! back together. The store's write functions call these; their callers
//! need not know. Check and component changes are announced apart from the
//! results that cause them, from every region's state combined
//! ([`super::announced`]).

use chrono::{DateTime, Utc};

use super::{Conn, Store, StoreError, commit_change, ms_to_time};
use crate::domain::{EventKind, IncidentStatus};

/// An event about to be recorded, inside the caller's transaction.
#[derive(Debug, Clone, Default)]
pub(super) struct NewEvent<'a> {
    pub check: Option<&'a str>,
    pub component: Option<&'a str>,
    pub incident: Option<&'a str>,
    pub maintenance: Option<&'a str>,
    pub old_status: Option<&'a str>,
    pub new_status: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// `reports.spike`: its count, window and notes as JSON.
    pub detail: Option<&'a str>,
    /// `false` when posted with `notify: false`: operators only.
    pub quiet: bool,
}

/// Records `kind` at `at` in the open transaction `tx`: it commits or rolls
/// back with the change that caused it.
pub(super) async fn emit(
    tx: &mut Conn,
    kind: EventKind,
    at: DateTime<Utc>,
    event: NewEvent<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO events (kind, occurred_ms, check_id, component_id, incident_id, maintenance_id,
                             old_status, new_status, reason, detail, subscribers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(kind.as_str())
    .bind(at.timestamp_millis())
    .bind(event.check)
    .bind(event.component)
    .bind(event.incident)
    .bind(event.maintenance)
    .bind(event.old_status)
    .bind(event.new_status)
    .bind(event.reason)
    .bind(event.detail)
    .bind(i64::from(!event.quiet))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An incident opened (`opened`) or updated: `incident.opened`,
/// `incident.resolved` when the update resolves it, else `incident.updated`.
pub(super) async fn on_incident(
    tx: &mut Conn,
    incident: &str,
    opened: bool,
    status: IncidentStatus,
    notify: bool,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let kind = match (opened, status) {
        (true, _) => EventKind::IncidentOpened,
        (false, IncidentStatus::Resolved) => EventKind::IncidentResolved,
        (false, _) => EventKind::IncidentUpdated,
    };
    let event = NewEvent {
        incident: Some(incident),
        quiet: !notify,
        ..NewEvent::default()
    };
    emit(tx, kind, at, event).await
}

/// A maintenance edge (`started`, `completed`) is announced at most once:
/// `true` when this call recorded it.
async fn edge_once(tx: &mut Conn, maintenance: &str, edge: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO maintenance_edges (maintenance_id, edge) VALUES ($1, $2)
         ON CONFLICT (maintenance_id, edge) DO NOTHING",
    )
    .bind(maintenance)
    .bind(edge)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `starts_ms, ends_ms, completed_ms, cancelled_ms, notify` of one maintenance.
type WindowRow = (i64, i64, Option<i64>, Option<i64>, i64);

/// Records the maintenance events due for maintenance `id` at `now` (its
/// window's edges, once each) and, with `announce` (at creation), the one
/// that announces it: `maintenance.scheduled` for a future window,
/// `maintenance.started` for one in progress. A backfilled window (already
/// over) announces nothing; a cancelled one has no more edges.
pub(super) async fn on_maintenance(
    tx: &mut Conn,
    id: &str,
    announce: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row: Option<WindowRow> = sqlx::query_as(
        "SELECT starts_ms, ends_ms, completed_ms, cancelled_ms, notify FROM maintenances
         WHERE maintenance_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((starts, ends, completed, None, notify)) = row else {
        return Ok(());
    };
    let (starts, now_ms) = (ms_to_time(starts), now.timestamp_millis());
    let end = completed.map_or(ends, |c| c.min(ends));
    let event = NewEvent {
        maintenance: Some(id),
        quiet: notify == 0,
        ..NewEvent::default()
    };
    if starts > now {
        if announce {
            emit(tx, EventKind::MaintenanceScheduled, now, event).await?;
        }
        return Ok(());
    }
    let newly_started = edge_once(tx, id, "started").await?;
    if end <= now_ms {
        if edge_once(tx, id, "completed").await? && !(announce && newly_started) {
            emit(tx, EventKind::MaintenanceCompleted, ms_to_time(end), event).await?;
        }
    } else if newly_started {
        emit(tx, EventKind::MaintenanceStarted, starts, event).await?;
    }
    Ok(())
}

impl Store {
    /// The time-driven duty of SPEC §3/§8: records the `started` and
    /// `completed` edges maintenance windows crossed by `now`, each once
    /// (idempotent: run it as often as you like, from any process).
    /// Returns how many windows it looked at.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn record_maintenance_edges(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let due: Vec<String> = sqlx::query_scalar(
            "SELECT maintenance_id FROM maintenances m WHERE cancelled_ms IS NULL AND (
                 (starts_ms <= $1 AND NOT EXISTS (SELECT 1 FROM maintenance_edges e
                     WHERE e.maintenance_id = m.maintenance_id AND e.edge = 'started'))
              OR (CASE WHEN completed_ms < ends_ms THEN completed_ms ELSE ends_ms END <= $1 AND NOT EXISTS (
                     SELECT 1 FROM maintenance_edges e
                     WHERE e.maintenance_id = m.maintenance_id AND e.edge = 'completed')))",
        )
        .bind(now.timestamp_millis())
        .fetch_all(&self.pool)
        .await?;
        if due.is_empty() {
            return Ok(0);
        }
        self.write(async {
            let mut tx = self.begin_write().await?;
            for id in &due {
                on_maintenance(&mut tx, id, false, now).await?;
            }
            commit_change(tx).await?;
            Ok(due.len())
        })
        .await
    }
}

/// A maintenance cancelled by an operator (the caller makes sure it was
/// not cancelled before).
pub(super) async fn on_cancel(
    tx: &mut Conn,
    maintenance: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let notify: i64 =
        sqlx::query_scalar("SELECT notify FROM maintenances WHERE maintenance_id = $1")
            .bind(maintenance)
            .fetch_one(&mut *tx)
            .await?;
    let event = NewEvent {
        maintenance: Some(maintenance),
        quiet: notify == 0,
        ..NewEvent::default()
    };
    emit(tx, EventKind::MaintenanceCancelled, at, event).await
}
