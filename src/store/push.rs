//! Pings of push checks: written by the web server, read by the probe worker.

use chrono::{DateTime, Utc};

use super::{Store, StoreError};

impl Store {
    /// Records a ping of push check `check_id` at `at`, committed before
    /// this returns. A ping older than the latest one recorded (clocks of
    /// two processes) never moves the latest one back.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn record_ping(&self, check_id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(async {
            sqlx::query(
                "INSERT INTO push_pings (check_id, last_ping_ms, pings) VALUES ($1, $2, 1)
                 ON CONFLICT (check_id) DO UPDATE
                 SET last_ping_ms = CASE WHEN excluded.last_ping_ms > push_pings.last_ping_ms
                                         THEN excluded.last_ping_ms ELSE push_pings.last_ping_ms END,
                     pings = push_pings.pings + 1",
            )
            .bind(check_id)
            .bind(at.timestamp_millis())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    /// When push check `check_id` was last pinged, if ever.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn last_ping(&self, check_id: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let ms: Option<i64> =
            sqlx::query_scalar("SELECT last_ping_ms FROM push_pings WHERE check_id = $1")
                .bind(check_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(ms.and_then(DateTime::from_timestamp_millis))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::store::test_databases::TestDatabase;

    store_test!(async fn pings_are_recorded_per_check_and_survive_a_reopen(store, url) {
        let t0 = DateTime::from_timestamp_millis(1_800_000_000_123).expect("time");
        assert_eq!(store.last_ping("cron").await.expect("read"), None);

        store.record_ping("cron", t0).await.expect("ping");
        store
            .record_ping("other", t0 + TimeDelta::hours(1))
            .await
            .expect("ping");
        assert_eq!(store.last_ping("cron").await.expect("read"), Some(t0));

        let later = t0 + TimeDelta::seconds(30);
        store.record_ping("cron", later).await.expect("ping");
        store
            .record_ping("cron", t0)
            .await
            .expect("a late, older ping");
        assert_eq!(store.last_ping("cron").await.expect("read"), Some(later));
        store.close().await;

        let reopened = Store::open(url).await.expect("reopens");
        assert_eq!(reopened.last_ping("cron").await.expect("read"), Some(later));
        reopened.close().await;
    });
}
