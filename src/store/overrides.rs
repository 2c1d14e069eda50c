//! Admin overrides that pin a component's status (SPEC §6).

use chrono::{DateTime, Utc};

use super::{Store, StoreError, commit_change, ms_to_time};
use crate::domain::ComponentStatus;

/// A pinned status, optionally until a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub component: String,
    pub status: ComponentStatus,
    pub until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Override {
    /// Whether it is in force at `now`.
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.until.is_none_or(|until| now < until)
    }
}

impl Store {
    /// Pins `component` to `status` (replacing any pin). Committed before it returns.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn set_override(
        &self,
        component: &str,
        status: ComponentStatus,
        until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Override, StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            sqlx::query(
                "INSERT INTO component_overrides (component_id, status, until_ms, created_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (component_id) DO UPDATE
                 SET status = excluded.status, until_ms = excluded.until_ms, created_ms = excluded.created_ms",
            )
            .bind(component)
            .bind(status.as_str())
            .bind(until.map(|t| t.timestamp_millis()))
            .bind(now.timestamp_millis())
            .execute(&mut *tx)
            .await?;
            commit_change(tx).await?;
            // What was stored, at the column's millisecond precision, so this
            // answer equals what `overrides()` reads back later.
            Ok(Override {
                component: component.to_owned(),
                status,
                until: until.map(|t| ms_to_time(t.timestamp_millis())),
                created_at: ms_to_time(now.timestamp_millis()),
            })
        })
        .await
    }

    /// Releases a pin; `NotFound` when there was none.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn clear_override(&self, component: &str) -> Result<(), StoreError> {
        self.delete_one(
            "DELETE FROM component_overrides WHERE component_id = $1",
            component,
        )
        .await
    }

    /// Every pin, expired ones included (callers check [`Override::in_force`]).
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn overrides(&self) -> Result<Vec<Override>, StoreError> {
        let rows: Vec<(String, String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT component_id, status, until_ms, created_ms FROM component_overrides ORDER BY component_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(component, status, until, created)| {
                Some(Override {
                    component,
                    status: ComponentStatus::parse(&status)?,
                    until: until.map(ms_to_time),
                    created_at: ms_to_time(created),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::test_databases::TestDatabase;

    store_test!(async fn a_pin_reads_back_as_it_was_returned(store, _url) {
        // Sub-millisecond parts cannot be stored; the answer must not claim them.
        let now = Utc.timestamp_opt(1_800_000_000, 123_456_789).unwrap();
        let until = Utc.timestamp_opt(1_800_003_600, 987_654_321).unwrap();
        let pinned = store
            .set_override("api", ComponentStatus::MajorOutage, Some(until), now)
            .await
            .unwrap();
        assert_eq!(store.overrides().await.unwrap(), vec![pinned.clone()]);
        assert_eq!(pinned.created_at.timestamp_subsec_nanos(), 123_000_000);

        store.clear_override("api").await.unwrap();
        assert!(matches!(
            store.clear_override("api").await,
            Err(StoreError::NotFound)
        ));
        assert!(store.overrides().await.unwrap().is_empty());
    });
}
