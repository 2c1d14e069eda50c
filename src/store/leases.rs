//! Leases (SPEC §9): which process runs the duties that must happen once.
//! A lease is one row; taking or renewing it is one statement, so two
//! processes asking at once never both get it. Expiry runs on the
//! database's clock, so the hosts' clocks need not agree.

use std::time::Duration;

use super::{Store, StoreError};

impl Store {
    /// Takes the lease `name` for `holder` for `ttl` (from the database's
    /// now), or renews it when `holder` has it: `true` when `holder` holds
    /// it now. Another holder's lease is taken over only once expired.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = self.backend.now_ms();
        // Only the backend's constant clock expression is spliced in.
        let sql = format!(
            "INSERT INTO leases AS l (name, holder, expires_ms) VALUES ($1, $2, {now} + $3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
             WHERE l.holder = excluded.holder OR l.expires_ms < {now}
             RETURNING holder"
        );
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
        self.write(async {
            let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(name)
                .bind(holder)
                .bind(ttl_ms)
                .fetch_optional(&self.pool)
                .await?;
            Ok(row.is_some())
        })
        .await
    }

    /// Gives the lease `name` up if `holder` has it, so another process
    /// takes it at its next try rather than after the expiry.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        self.write(async {
            sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
                .bind(name)
                .bind(holder)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_databases::TestDatabase;

    const LONG: Duration = Duration::from_secs(60);

    store_test! {
        /// Many holders in two processes (two pools) race for each of
        /// several leases: exactly one wins each, every time.
        async fn racing_holders_never_both_hold(store, url) {
            let other = Store::open(url).await.unwrap();
            for round in 0..10 {
                let name = format!("duty-{round}");
                let mut racers = tokio::task::JoinSet::new();
                for i in 0..8 {
                    let store = if i % 2 == 0 { store.clone() } else { other.clone() };
                    let name = name.clone();
                    racers.spawn(async move {
                        store.take_lease(&name, &format!("holder-{i}"), LONG).await.unwrap()
                    });
                }
                let won = racers.join_all().await.into_iter().filter(|&won| won).count();
                assert_eq!(won, 1, "round {round}");
            }
        }
    }

    store_test! {
        /// The holder renews; the others keep failing while it does; after
        /// a release the next one takes it at once.
        async fn the_holder_renews_and_releases(store, _url) {
            assert!(store.take_lease("duties", "a", LONG).await.unwrap());
            assert!(store.take_lease("duties", "a", LONG).await.unwrap());
            assert!(!store.take_lease("duties", "b", LONG).await.unwrap());
            assert!(store.take_lease("duties", "a", LONG).await.unwrap());
            // Another lease name is another lease.
            assert!(store.take_lease("notifications", "b", LONG).await.unwrap());
            store.release_lease("duties", "b").await.unwrap();
            assert!(!store.take_lease("duties", "b", LONG).await.unwrap(), "b never held it");
            store.release_lease("duties", "a").await.unwrap();
            assert!(store.take_lease("duties", "b", LONG).await.unwrap());
            assert!(!store.take_lease("duties", "a", LONG).await.unwrap());
        }
    }

    store_test! {
        /// A lease not renewed within its time-to-live is taken over, and
        /// its old holder does not get it back.
        async fn an_expired_lease_is_taken_over(store, _url) {
            let short = Duration::from_millis(300);
            assert!(store.take_lease("duties", "dead", short).await.unwrap());
            assert!(!store.take_lease("duties", "heir", LONG).await.unwrap());
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while !store.take_lease("duties", "heir", LONG).await.unwrap() {
                assert!(std::time::Instant::now() < deadline, "never taken over");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            assert!(!store.take_lease("duties", "dead", short).await.unwrap());
        }
    }
}
