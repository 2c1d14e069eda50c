//! Subscribers (SPEC §8): visitors by e-mail (signed up through
//! [`super::sign_ups`]) and webhook subscribers added through the admin
//! API; who gets an event.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, id_list, inserted, ms_to_time, new_id, typed};
use crate::domain::ComponentId;

/// One subscriber as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: String,
    /// `email` or `webhook`.
    pub kind: String,
    /// The e-mail address or the webhook URL.
    pub address: String,
    /// Webhook subscribers: the HMAC key, if any.
    pub secret: Option<String>,
    /// Component ids; empty: all.
    pub components: Vec<ComponentId>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// One row of `subscribers`, as every query of it selects.
#[derive(sqlx::FromRow)]
struct SubscriberRow {
    subscriber_id: String,
    kind: String,
    address: String,
    secret: Option<String>,
    components: String,
    created_ms: i64,
    confirmed_ms: Option<i64>,
}

impl TryFrom<SubscriberRow> for Subscriber {
    type Error = StoreError;

    /// A `components` column that is not a JSON array of component ids is
    /// a decode error, never a panic nor a silent "all components".
    fn try_from(row: SubscriberRow) -> Result<Subscriber, StoreError> {
        let texts: Vec<String> = serde_json::from_str(&row.components)
            .map_err(|e| StoreError::from(sqlx::Error::Decode(Box::new(e))))?;
        let components = texts
            .iter()
            .map(|t| typed(ComponentId::parse, t))
            .collect::<Result<_, _>>()?;
        Ok(Subscriber {
            id: row.subscriber_id,
            kind: row.kind,
            address: row.address,
            secret: row.secret,
            components,
            created_at: ms_to_time(row.created_ms),
            confirmed_at: row.confirmed_ms.map(ms_to_time),
        })
    }
}

/// The columns of [`SubscriberRow`].
macro_rules! subscriber_columns {
    () => {
        "subscriber_id, kind, address, secret, components, created_ms, confirmed_ms"
    };
}

impl Store {
    /// Adds a webhook subscriber (confirmed at once: an operator added it).
    #[tracing::instrument(skip_all, err(level = "debug"))]
    pub async fn add_webhook_subscriber(
        &self,
        url: &str,
        secret: Option<&str>,
        components: &[ComponentId],
        now: DateTime<Utc>,
    ) -> Result<Subscriber, StoreError> {
        let id = new_id();
        self.write(async {
            let done = sqlx::query(
                "INSERT INTO subscribers (subscriber_id, kind, address, secret, components, created_ms, confirmed_ms)
                 VALUES ($1, 'webhook', $2, $3, $4, $5, $5) ON CONFLICT (kind, address) DO NOTHING",
            )
            .bind(&id)
            .bind(url)
            .bind(secret)
            .bind(id_list(components))
            .bind(now.timestamp_millis())
            .execute(&self.pool)
            .await?;
            inserted(&done)
        })
        .await?;
        self.subscriber(&id).await
    }

    /// One subscriber.
    pub async fn subscriber(&self, id: &str) -> Result<Subscriber, StoreError> {
        let sql = concat!(
            "SELECT ",
            subscriber_columns!(),
            " FROM subscribers WHERE subscriber_id = $1"
        );
        let row: Option<SubscriberRow> = sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Subscribers newest first (pending ones too), `limit` from `offset`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn subscribers(
        &self,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<Subscriber>, StoreError> {
        let sql = concat!(
            "SELECT ",
            subscriber_columns!(),
            " FROM subscribers ORDER BY created_ms DESC, subscriber_id LIMIT $1 OFFSET $2"
        );
        let rows: Vec<SubscriberRow> = sqlx::query_as(sql)
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Subscriber::try_from).collect()
    }

    /// Confirmed subscribers who chose one of `components` or all of them
    /// (everyone, for an event about no component).
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn subscribers_for(
        &self,
        components: &[ComponentId],
    ) -> Result<Vec<Subscriber>, StoreError> {
        // `{chosen}`: the subscriber's own JSON array of components.
        let chosen = self.backend.json_texts_in("s.components");
        let sql = format!(
            concat!(
                "SELECT ",
                subscriber_columns!(),
                " FROM subscribers s WHERE confirmed_ms IS NOT NULL AND (
                     $1 = '[]' OR components = '[]' OR EXISTS (SELECT 1 FROM {chosen} AS c
                         WHERE c.value IN (SELECT value FROM {wanted})))
                 ORDER BY subscriber_id"
            ),
            chosen = chosen,
            wanted = self.backend.json_texts(),
        );
        let rows: Vec<SubscriberRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id_list(components))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Subscriber::try_from).collect()
    }

    /// Removes a subscriber (admin `DELETE`, or an unsubscribe).
    #[tracing::instrument(skip(self), err(level = "debug"))]
    pub async fn delete_subscriber(&self, id: &str) -> Result<(), StoreError> {
        self.write(async {
            let done = sqlx::query("DELETE FROM subscribers WHERE subscriber_id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?;
            super::found(&done)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::test_databases::TestDatabase;

    store_test! {
        /// A subscriber's choice in the database that is not a list of
        /// component ids (written by hand, say) makes reading it a decode
        /// error: never a panic, and never read as "every component".
        async fn a_malformed_stored_choice_is_a_decode_error(store, _url) {
            let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
            let api = ComponentId::parse("api").unwrap();
            let hook = store
                .add_webhook_subscriber("https://h.example/x", None, std::slice::from_ref(&api), now)
                .await
                .unwrap();
            assert_eq!(hook.components, std::slice::from_ref(&api));
            for bad in [r#"["Not A Slug"]"#, "not json"] {
                sqlx::query("UPDATE subscribers SET components = $1")
                    .bind(bad)
                    .execute(&store.pool)
                    .await
                    .unwrap();
                let read = store.subscriber(&hook.id).await;
                assert!(
                    matches!(&read, Err(StoreError::Sqlx(sqlx::Error::Decode(_)))),
                    "{bad}: {read:?}"
                );
                // Fan-out skips it (it chose no valid component) or fails
                // the round (retried later); it never reaches it as "all".
                let fanned = store.subscribers_for(std::slice::from_ref(&api)).await;
                let reached = matches!(&fanned, Ok(s) if s.iter().any(|s| s.id == hook.id));
                assert!(!reached, "{bad}: {fanned:?}");
            }
        }
    }
}
