//! The notification outbox (SPEC §8), read side: events (written by
//! [`super::events`] inside the transactions that cause them) fanned out
//! once into deliveries, and the deliveries' attempts.
//!
//! Placeholders are `$n` so that the SQL ports to PostgreSQL unchanged
//! where SQLite's dialect allows it.

use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::{Store, StoreError, ms_to_time, new_id};
use crate::domain::EventKind;

/// One recorded event, as the sender reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub check: Option<String>,
    pub component: Option<String>,
    pub incident: Option<String>,
    pub maintenance: Option<String>,
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

/// A delivery the sender may attempt now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: String,
    pub target: String,
    pub recipient: String,
    pub payload: String,
    /// Attempts made so far.
    pub attempts: u32,
}

/// How one attempt ended, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempted {
    Delivered,
    /// Try again at this time.
    RetryAt(DateTime<Utc>, String),
    /// Give up: failed for good.
    Failed(String),
}

/// A fresh delivery id: 24 base36 characters (about 124 bits).
fn delivery_id() -> String {
    format!("{}{}", new_id(), new_id())
}

fn event_from(row: &sqlx::sqlite::SqliteRow) -> Result<Option<Event>, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let Some(kind) = EventKind::parse_recorded(&kind) else {
        return Ok(None);
    };
    Ok(Some(Event {
        id: row.try_get("event_id")?,
        kind,
        occurred_at: ms_to_time(row.try_get("occurred_ms")?),
        check: row.try_get("check_id")?,
        component: row.try_get("component_id")?,
        incident: row.try_get("incident_id")?,
        maintenance: row.try_get("maintenance_id")?,
        old_status: row.try_get("old_status")?,
        new_status: row.try_get("new_status")?,
        reason: row.try_get("reason")?,
        detail: row.try_get("detail")?,
        subscribers: row.try_get("subscribers")?,
    }))
}

impl Store {
    /// Events not fanned out yet, oldest first, at most `limit`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn events_to_fan_out(&self, limit: u32) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query(
            "SELECT event_id, kind, occurred_ms, check_id, component_id, incident_id, maintenance_id,
                    old_status, new_status, reason, detail, subscribers
             FROM events WHERE fanned_out = 0 ORDER BY event_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            match event_from(row)? {
                Some(event) => events.push(event),
                // A kind this build does not know (written by a newer one):
                // leave it, fanned out as nothing.
                None => {
                    self.fan_out(row.try_get("event_id")?, &[], Utc::now())
                        .await?
                }
            }
        }
        Ok(events)
    }

    /// Creates `deliveries` for event `event` and marks it fanned out, in
    /// one transaction: an event is fanned out once, even after a crash.
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

    /// Pending deliveries due at `now`, soonest first, at most `limit`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, StoreError> {
        let rows = sqlx::query(
            "SELECT delivery_id, target, recipient, payload, attempts FROM deliveries
             WHERE status = 'pending' AND next_ms <= $1 ORDER BY next_ms, delivery_id LIMIT $2",
        )
        .bind(now.timestamp_millis())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let attempts: i64 = row.try_get("attempts")?;
                Ok(DueDelivery {
                    id: row.try_get("delivery_id")?,
                    target: row.try_get("target")?,
                    recipient: row.try_get("recipient")?,
                    payload: row.try_get("payload")?,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// Takes `delivery` for one attempt: counts the attempt and pushes its
    /// next due time to `hold_until`, so that a crash during the attempt
    /// leads to a retry (with the same id) then, not to a lost delivery.
    /// `false` when another sender took it first.
    #[tracing::instrument(skip(self, delivery), fields(delivery = delivery.id), err(level = "warn"))]
    pub async fn claim_delivery(
        &self,
        delivery: &DueDelivery,
        hold_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(async {
            let done = sqlx::query(
                "UPDATE deliveries SET attempts = attempts + 1, next_ms = $3
                 WHERE delivery_id = $1 AND status = 'pending' AND attempts = $2",
            )
            .bind(&delivery.id)
            .bind(i64::from(delivery.attempts))
            .bind(hold_until.timestamp_millis())
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
        .await
    }

    /// Records how the attempt on delivery `id` ended.
    #[tracing::instrument(skip(self, attempted), err(level = "warn"))]
    pub async fn finish_attempt(
        &self,
        id: &str,
        attempted: &Attempted,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (status, next, error) = match attempted {
            Attempted::Delivered => ("delivered", None, None),
            Attempted::RetryAt(at, why) => ("pending", Some(at.timestamp_millis()), Some(why)),
            Attempted::Failed(why) => ("failed", None, Some(why)),
        };
        self.write(async {
            sqlx::query(
                // A finished opt-in mail forgets its payload: it holds the
                // token, which is otherwise kept only as a hash.
                "UPDATE deliveries SET status = $2, next_ms = COALESCE($3, next_ms),
                     last_error = COALESCE($4, last_error), updated_ms = $5,
                     payload = CASE WHEN $2 <> 'pending' AND event_id IN (
                         SELECT event_id FROM events WHERE kind = 'subscription.confirm')
                         THEN '' ELSE payload END
                 WHERE delivery_id = $1",
            )
            .bind(id)
            .bind(status)
            .bind(next)
            .bind(error)
            .bind(now.timestamp_millis())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    /// `remind_every` (SPEC §8): for every check still down since its
    /// latest `check.down`, a new round of that event's delivery to
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
             JOIN check_states s ON s.check_id = e.check_id AND s.state = 'down'
             WHERE d.target = $1 AND d.round = 0 AND e.kind = 'check.down'
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
    tx: &mut SqliteConnection,
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
