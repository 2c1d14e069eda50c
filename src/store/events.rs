//! Writing events into the outbox (SPEC §8), always inside the transaction
//! of the change that caused them: the change and its event commit or roll
//! back together. The store's write functions call these; their callers
//! need not know.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Backend, Conn, Recorded, Store, StoreError, commit_change, id_list, ms_to_time};
use crate::domain::{ComponentStatus, EventKind, IncidentStatus};
use crate::status::CheckState;

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

/// A batch of results about to be recorded: `check.down` / `check.up`
/// for each check whose state in `region` crosses `down`, `component.status`
/// for each component whose check-derived status changes, in result order.
/// The states are read as stored (one query for the batch), so two probe
/// processes of one region never announce one change twice.
pub(super) async fn on_results(
    tx: &mut Conn,
    backend: Backend,
    region: &str,
    batch: &[Recorded],
) -> Result<(), StoreError> {
    // Two probe processes recording at once on PostgreSQL would otherwise
    // both read the state before either change and announce it twice.
    backend.serialize(tx, "check_states").await?;
    let checks: Vec<String> = batch
        .iter()
        .map(|r| r.result.check.as_str().to_owned())
        .collect();
    let sql = format!(
        "SELECT check_id, state FROM check_states
         WHERE check_id IN (SELECT value FROM {}) AND region = $2",
        backend.json_texts()
    );
    let stored: Vec<(String, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id_list(&checks))
        .bind(region)
        .fetch_all(&mut *tx)
        .await?;
    let mut down: HashMap<&str, bool> = stored
        .iter()
        .map(|(check, state)| {
            let state = state.as_deref().and_then(CheckState::parse);
            (check.as_str(), state == Some(CheckState::Down))
        })
        .collect();
    for r in batch {
        let check = r.result.check.as_str();
        let was_down = down.get(check).copied().unwrap_or(false);
        let is_down = r.tracker.state == Some(CheckState::Down);
        down.insert(check, is_down);
        let component = r.component.as_ref().map(|(id, _)| id.as_str());
        if was_down != is_down {
            let (kind, reason) = if is_down {
                (EventKind::CheckDown, r.result.reason.as_deref())
            } else {
                (EventKind::CheckUp, None)
            };
            let event = NewEvent {
                check: Some(check),
                component,
                reason,
                ..NewEvent::default()
            };
            emit(tx, kind, r.result.at, event).await?;
        }
        if let Some((component, status)) = &r.component {
            on_component(tx, component, *status, r.result.at).await?;
        }
    }
    Ok(())
}

/// `component.status` when `component`'s check-derived status is not the
/// one stored (operational when none is).
async fn on_component(
    tx: &mut Conn,
    component: &str,
    status: ComponentStatus,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let old: Option<String> =
        sqlx::query_scalar("SELECT status FROM component_states WHERE component_id = $1")
            .bind(component)
            .fetch_optional(&mut *tx)
            .await?;
    let old = old.unwrap_or_else(|| ComponentStatus::Operational.as_str().to_owned());
    if old == status.as_str() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO component_states (component_id, status) VALUES ($1, $2)
         ON CONFLICT (component_id) DO UPDATE SET status = excluded.status",
    )
    .bind(component)
    .bind(status.as_str())
    .execute(&mut *tx)
    .await?;
    let event = NewEvent {
        component: Some(component),
        old_status: Some(&old),
        new_status: Some(status.as_str()),
        ..NewEvent::default()
    };
    emit(tx, EventKind::ComponentStatus, at, event).await
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
