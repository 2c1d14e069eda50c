//! Attempts on the outbox's deliveries (SPEC §8): which are due, taking
//! one for an attempt (once, whatever the number of senders), and how it
//! ended.

use chrono::{DateTime, Utc};

use super::{Store, StoreError};

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

impl Store {
    /// Pending deliveries due at `now`, soonest first, at most `limit`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, StoreError> {
        let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT delivery_id, target, recipient, payload, attempts FROM deliveries
             WHERE status = 'pending' AND next_ms <= $1 ORDER BY next_ms, delivery_id LIMIT $2",
        )
        .bind(now.timestamp_millis())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, target, recipient, payload, attempts)| DueDelivery {
                id,
                target,
                recipient,
                payload,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            })
            .collect())
    }

    /// Takes `delivery` for one attempt: counts the attempt and pushes its
    /// next due time to `hold_until`, so that a crash during the attempt
    /// leads to a retry (with the same id) then, not to a lost delivery.
    /// `false` when another sender took it first: the `UPDATE` is a
    /// compare-and-set on the attempt count, and PostgreSQL re-checks its
    /// `WHERE` on the row as committed by a sender that held its lock
    /// first, so under READ COMMITTED too no attempt is taken twice.
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
}
