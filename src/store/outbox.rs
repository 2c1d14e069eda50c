//! The notification outbox (SPEC §8), read side: events (written by
//! [`super::events`] inside the transactions that cause them) fanned out
//! once into deliveries, and `remind_every` rounds of them. Their
//! attempts are [`super::attempts`].

use chrono::{DateTime, Utc};

use super::{Conn, Store, StoreError, ms_to_time, new_id};
use crate::domain::{ComponentId, EventKind, IncidentId, MaintenanceId};

/// One recorded event, as the sender reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub check: Option<String>,
    pub component: Option<ComponentId>,
    pub incident: Option<IncidentId>,
    pub maintenance: Option<MaintenanceId>,
    pub old_status: Option<String>,
    pub new_status: Option<String>,
    /// `check.down`: the failure reason (operator data: may name the target).
    pub reason: Option<String>,
    /// `reports.spike`: `{"count", "window_seconds", "notes"}` as JSON.
    pub detail: Option<String>,
    /// Whether subscribers get it (`notify` was not `false`).
    pub subscribers: bool,
}

/// One delivery to create at fan-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// The notifier id, or `subscriber:<id>`.
    pub target: String,
    /// One number of an sms notifier; empty otherwise.
    pub recipient: String,
    /// What to send (JSON), the same on every attempt.
    pub payload: String,
}

/// A fresh delivery id: 24 base36 characters (about 124 bits).
fn delivery_id() -> String {
    format!("{}{}", new_id(), new_id())
}

/// One row of `events`, as the sender reads it.
#[derive(sqlx::FromRow)]
struct EventRow {
    event_id: i64,
    kind: String,
    occurred_ms: i64,
    check_id: Option<String>,
    component_id: Option<String>,
    incident_id: Option<String>,
    maintenance_id: Option<String>,
    old_status: Option<String>,
    new_status: Option<String>,
    reason: Option<String>,
    detail: Option<String>,
    subscribers: i64,
}

impl EventRow {
    /// The event; `None` for a kind this build does not know.
    fn event(self) -> Option<Event> {
        Some(Event {
            id: self.event_id,
            kind: EventKind::parse_recorded(&self.kind)?,
            occurred_at: ms_to_time(self.occurred_ms),
            check: self.check_id,
            // Ids this store made always parse; one that does not names
            // no record, as if it had been deleted.
            component: self.component_id.and_then(|t| ComponentId::parse(&t).ok()),
            incident: self.incident_id.and_then(|t| IncidentId::parse(&t).ok()),
            maintenance: self
                .maintenance_id
                .and_then(|t| MaintenanceId::parse(&t).ok()),
            old_status: self.old_status,
            new_status: self.new_status,
            reason: self.reason,
            detail: self.detail,
            subscribers: self.subscribers != 0,
        })
    }
}

impl Store {
    /// Events not fanned out yet, oldest first, at most `limit`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn events_to_fan_out(&self, limit: u32) -> Result<Vec<Event>, StoreError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT event_id, kind, occurred_ms, check_id, component_id, incident_id, maintenance_id,
                    old_status, new_status, reason, detail, subscribers
             FROM events WHERE fanned_out = 0 ORDER BY event_id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut events = Vec::with_capacity(rows.len());
        for row in rows {
            let id = row.event_id;
            match row.event() {
                Some(event) => events.push(event),
                // A kind this build does not know (written by a newer one):
                // leave it, fanned out as nothing.
                None => self.fan_out(id, &[], Utc::now()).await?,
            }
        }
        Ok(events)
    }

    /// Creates `deliveries` for event `event` and marks it fanned out, in
    /// one transaction: an event is fanned out once, even after a crash,
    /// and by one of two senders at once (on PostgreSQL the second one's
    /// `UPDATE` waits for the first one's row lock, then finds the row
    /// fanned out and changes nothing).
    #[tracing::instrument(skip(self, deliveries), err(level = "warn"))]
    pub async fn fan_out(
        &self,
        event: i64,
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            let marked = sqlx::query(
                "UPDATE events SET fanned_out = 1 WHERE event_id = $1 AND fanned_out = 0",
            )
            .bind(event)
            .execute(&mut *tx)
            .await?;
            if marked.rows_affected() == 0 {
                return Ok(());
            }
            for d in deliveries {
                insert_delivery(&mut tx, event, d, 0, now).await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// `remind_every` (SPEC §8): for every check still down since its
    /// latest `check.down` (as announced: every region combined), a new round of that event's delivery to
    /// `target` when its last round is older than `every`. Returns how
    /// many reminders were queued.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn queue_reminders(
        &self,
        target: &str,
        every: std::time::Duration,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let every_ms = i64::try_from(every.as_millis()).unwrap_or(i64::MAX);
        let due: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT d.event_id, d.recipient, d.payload,
                    (SELECT MAX(r.round) FROM deliveries r WHERE r.event_id = d.event_id
                        AND r.target = d.target AND r.recipient = d.recipient) AS last_round
             FROM deliveries d
             JOIN events e ON e.event_id = d.event_id
             WHERE d.target = $1 AND d.round = 0 AND e.kind = 'check.down'
               AND EXISTS (SELECT 1 FROM announced_checks a WHERE a.check_id = e.check_id
                           AND a.state = 'down')
               AND NOT EXISTS (SELECT 1 FROM events l WHERE l.check_id = e.check_id
                               AND l.event_id > e.event_id AND l.kind IN ('check.down', 'check.up'))
               AND (SELECT MAX(r.created_ms) FROM deliveries r WHERE r.event_id = d.event_id
                        AND r.target = d.target AND r.recipient = d.recipient) <= $2",
        )
        .bind(target)
        .bind(now.timestamp_millis().saturating_sub(every_ms))
        .fetch_all(&self.pool)
        .await?;
        if due.is_empty() {
            return Ok(0);
        }
        self.write(async {
            let mut tx = self.begin_write().await?;
            let mut queued = 0;
            for (event, recipient, payload, last_round) in &due {
                let d = NewDelivery {
                    target: target.to_owned(),
                    recipient: recipient.clone(),
                    payload: payload.clone(),
                };
                queued += insert_delivery(&mut tx, *event, &d, last_round + 1, now).await?;
            }
            tx.commit().await?;
            Ok(queued)
        })
        .await
    }
}

/// Inserts one pending delivery due at once; 0 when that round exists.
pub(super) async fn insert_delivery(
    tx: &mut Conn,
    event: i64,
    d: &NewDelivery,
    round: i64,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let ms = now.timestamp_millis();
    let done = sqlx::query(
        "INSERT INTO deliveries (delivery_id, event_id, target, recipient, round, payload, status,
                                 next_ms, created_ms, updated_ms)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $7)
         ON CONFLICT (event_id, target, recipient, round) DO NOTHING",
    )
    .bind(delivery_id())
    .bind(event)
    .bind(&d.target)
    .bind(&d.recipient)
    .bind(round)
    .bind(&d.payload)
    .bind(ms)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected())
}
