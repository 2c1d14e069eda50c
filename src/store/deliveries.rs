//! What the outbox did, for operators (SPEC §8): deliveries by status
//! for `GET /api/admin/deliveries`, and counts for `/metrics`.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, ms_to_time};

/// A delivery as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryInfo {
    pub id: String,
    pub event: String,
    pub target: String,
    pub recipient: String,
    pub status: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// One row of the admin listing.
#[derive(sqlx::FromRow)]
struct DeliveryRow {
    delivery_id: String,
    kind: String,
    target: String,
    recipient: String,
    status: String,
    attempts: i64,
    last_error: Option<String>,
    created_ms: i64,
    updated_ms: i64,
    next_ms: i64,
}

impl From<DeliveryRow> for DeliveryInfo {
    fn from(row: DeliveryRow) -> DeliveryInfo {
        DeliveryInfo {
            id: row.delivery_id,
            event: row.kind,
            target: row.target,
            recipient: row.recipient,
            attempts: u32::try_from(row.attempts).unwrap_or(u32::MAX),
            last_error: row.last_error,
            created_at: ms_to_time(row.created_ms),
            updated_at: ms_to_time(row.updated_ms),
            next_attempt_at: (row.status == "pending").then(|| ms_to_time(row.next_ms)),
            status: row.status,
        }
    }
}

impl Store {
    /// Deliveries newest first, of one status or all, `limit` from `offset`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn deliveries(
        &self,
        status: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<DeliveryInfo>, StoreError> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(
            "SELECT d.delivery_id, e.kind, d.target, d.recipient, d.status, d.attempts, d.last_error,
                    d.created_ms, d.updated_ms, d.next_ms
             FROM deliveries d JOIN events e ON e.event_id = d.event_id
             WHERE $1 IS NULL OR d.status = $1
             ORDER BY d.created_ms DESC, d.delivery_id LIMIT $2 OFFSET $3",
        )
        .bind(status)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(DeliveryInfo::from).collect())
    }

    /// Deliveries by notifier and status, `(notifier, status, count)`;
    /// subscribers count together as `subscribers`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn delivery_counts(&self) -> Result<Vec<(String, String, u64)>, StoreError> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT CASE WHEN target LIKE 'subscriber:%' THEN 'subscribers' ELSE target END AS notifier,
                    status, COUNT(*)
             FROM deliveries GROUP BY notifier, status ORDER BY notifier, status",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(n, s, c)| (n, s, c.max(0) as u64))
            .collect())
    }
}
