//! Subscribers (SPEC §8): visitors by e-mail (signed up through
//! [`super::sign_ups`]) and webhook subscribers added through the admin
//! API; who gets an event.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, id_list, inserted, ms_to_time, new_id};

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
    pub components: Vec<String>,
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

impl From<SubscriberRow> for Subscriber {
    fn from(row: SubscriberRow) -> Subscriber {
        Subscriber {
            id: row.subscriber_id,
            kind: row.kind,
            address: row.address,
            secret: row.secret,
            components: serde_json::from_str(&row.components).unwrap_or_default(),
            created_at: ms_to_time(row.created_ms),
            confirmed_at: row.confirmed_ms.map(ms_to_time),
        }
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
        components: &[String],
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
        Ok(row.ok_or(StoreError::NotFound)?.into())
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
        Ok(rows.into_iter().map(Subscriber::from).collect())
    }

    /// Confirmed subscribers who chose one of `components` or all of them
    /// (everyone, for an event about no component).
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn subscribers_for(
        &self,
        components: &[String],
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
        Ok(rows.into_iter().map(Subscriber::from).collect())
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
