//! Subscribers (SPEC §8): visitors by e-mail with double opt-in, and
//! webhook subscribers added through the admin API.
//!
//! The opt-in token is stored as a SHA-256 only. Unsubscribe links carry
//! the subscriber id and a MAC of it under a key kept in the database
//! ([`Store::unsubscribe_token`]), so no unsubscribe token is stored and
//! every mail's link keeps working.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sqlx::Row;
use subtle::ConstantTimeEq;

use super::outbox::insert_delivery;
use super::{NewDelivery, Store, StoreError, hash_token, id_list, ms_to_time, new_id};

/// Unconfirmed sign-ups are forgotten after this long.
pub const CONFIRM_WITHIN: chrono::Duration = chrono::Duration::hours(48);

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

/// What a sign-up did; the visitor sees the same page either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUp {
    /// A confirmation mail was queued for this new or pending subscriber.
    Queued(String),
    /// The address is already confirmed: nothing is sent.
    AlreadyConfirmed,
}

fn subscriber(row: &sqlx::sqlite::SqliteRow) -> Result<Subscriber, sqlx::Error> {
    let components: String = row.try_get("components")?;
    Ok(Subscriber {
        id: row.try_get("subscriber_id")?,
        kind: row.try_get("kind")?,
        address: row.try_get("address")?,
        secret: row.try_get("secret")?,
        components: serde_json::from_str(&components).unwrap_or_default(),
        created_at: ms_to_time(row.try_get("created_ms")?),
        confirmed_at: row
            .try_get::<Option<i64>, _>("confirmed_ms")?
            .map(ms_to_time),
    })
}

/// The columns every query of this table selects.
macro_rules! subscriber_columns {
    () => {
        "subscriber_id, kind, address, secret, components, created_ms, confirmed_ms"
    };
}

impl Store {
    /// A visitor's sign-up: records (or refreshes) the pending subscriber
    /// with the hash of `confirm_token` and queues the confirmation mail
    /// built by `confirmation(subscriber id)` in the same transaction.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn sign_up(
        &self,
        address: &str,
        components: &[String],
        confirm_token: &str,
        confirmation: impl FnOnce(&str) -> String,
        now: DateTime<Utc>,
    ) -> Result<SignUp, StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            let found: Option<(String, Option<i64>)> = sqlx::query_as(
                "SELECT subscriber_id, confirmed_ms FROM subscribers WHERE kind = 'email' AND address = $1",
            )
            .bind(address)
            .fetch_optional(&mut *tx)
            .await?;
            let ms = now.timestamp_millis();
            let id = match found {
                Some((_, Some(_))) => return Ok(SignUp::AlreadyConfirmed),
                Some((id, None)) => {
                    sqlx::query(
                        "UPDATE subscribers SET confirm_hash = $2, components = $3, created_ms = $4
                         WHERE subscriber_id = $1",
                    )
                    .bind(&id)
                    .bind(hash_token(confirm_token))
                    .bind(id_list(components))
                    .bind(ms)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO subscribers (subscriber_id, kind, address, components, confirm_hash, created_ms)
                         VALUES ($1, 'email', $2, $3, $4, $5)",
                    )
                    .bind(&id)
                    .bind(address)
                    .bind(id_list(components))
                    .bind(hash_token(confirm_token))
                    .bind(ms)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            let event: i64 = sqlx::query_scalar(
                "INSERT INTO events (kind, occurred_ms, subscribers, fanned_out)
                 VALUES ('subscription.confirm', $1, 1, 1) RETURNING event_id",
            )
            .bind(ms)
            .fetch_one(&mut *tx)
            .await?;
            let delivery = NewDelivery {
                target: format!("subscriber:{id}"),
                recipient: String::new(),
                payload: confirmation(&id),
            };
            insert_delivery(&mut tx, event, &delivery, 0, now).await?;
            tx.commit().await?;
            Ok(SignUp::Queued(id))
        })
        .await
    }

    /// Confirms the pending sign-up whose opt-in token is `token` (within
    /// [`CONFIRM_WITHIN`]); the confirmed subscriber, or `NotFound`.
    #[tracing::instrument(skip_all, err(level = "debug"))]
    pub async fn confirm_subscriber(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Subscriber, StoreError> {
        let since = (now - CONFIRM_WITHIN).timestamp_millis();
        let id: Option<String> = self
            .write(async {
                Ok(sqlx::query_scalar(
                    "UPDATE subscribers SET confirmed_ms = $3, confirm_hash = NULL
                     WHERE confirm_hash = $1 AND confirmed_ms IS NULL AND created_ms >= $2
                     RETURNING subscriber_id",
                )
                .bind(hash_token(token))
                .bind(since)
                .bind(now.timestamp_millis())
                .fetch_optional(&self.pool)
                .await?)
            })
            .await?;
        self.subscriber(&id.ok_or(StoreError::NotFound)?).await
    }

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
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict);
            }
            Ok(())
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
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?;
        Ok(subscriber(&row.ok_or(StoreError::NotFound)?)?)
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
        let rows = sqlx::query(sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(subscriber).collect::<Result<_, _>>()?)
    }

    /// Confirmed subscribers who chose one of `components` or all of them
    /// (everyone, for an event about no component).
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn subscribers_for(
        &self,
        components: &[String],
    ) -> Result<Vec<Subscriber>, StoreError> {
        let sql = concat!(
            "SELECT ",
            subscriber_columns!(),
            " FROM subscribers s WHERE confirmed_ms IS NOT NULL AND (
                 $1 = '[]' OR components = '[]' OR EXISTS (SELECT 1 FROM json_each(s.components) c
                     WHERE c.value IN (SELECT value FROM json_each($1))))
             ORDER BY subscriber_id"
        );
        let rows = sqlx::query(sql)
            .bind(id_list(components))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(subscriber).collect::<Result<_, _>>()?)
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

    /// Forgets sign-ups not confirmed within [`CONFIRM_WITHIN`].
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn expire_sign_ups(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        self.write(async {
            let done = sqlx::query(
                "DELETE FROM subscribers WHERE confirmed_ms IS NULL AND created_ms < $1",
            )
            .bind((now - CONFIRM_WITHIN).timestamp_millis())
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected())
        })
        .await
    }

    /// The token of subscriber `id`'s unsubscribe link: `id.mac`.
    pub async fn unsubscribe_token(&self, id: &str) -> Result<String, StoreError> {
        let key = self.subscription_key().await?;
        let mac = mac(&key, id).ok_or(StoreError::NotFound)?;
        Ok(format!("{id}.{mac}"))
    }

    /// The subscriber an unsubscribe token names, if its MAC holds.
    pub async fn check_unsubscribe_token(&self, token: &str) -> Result<String, StoreError> {
        let (id, sent) = token.split_once('.').ok_or(StoreError::NotFound)?;
        let key = self.subscription_key().await?;
        let want = mac(&key, id).ok_or(StoreError::NotFound)?;
        let ok: bool = want.as_bytes().ct_eq(sent.as_bytes()).into();
        if ok {
            Ok(id.to_owned())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Counts one sign-up attempt by `client` at `now`; `false` when it
    /// already made `limit` in the hour before (the attempt is not counted
    /// then). Works across processes sharing the database.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn allow_sign_up(
        &self,
        client: std::net::IpAddr,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let key = self.subscription_key().await?;
        let client = hash_token(&format!("{key}:{client}"));
        let since = (now - chrono::Duration::hours(1)).timestamp_millis();
        self.write(async {
            let mut tx = self.begin_write().await?;
            sqlx::query("DELETE FROM sign_up_attempts WHERE at_ms < $1")
                .bind(since)
                .execute(&mut *tx)
                .await?;
            let made: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM sign_up_attempts WHERE client_hash = $1")
                    .bind(&client)
                    .fetch_one(&mut *tx)
                    .await?;
            if made >= i64::from(limit) {
                return Ok(false);
            }
            sqlx::query("INSERT INTO sign_up_attempts (client_hash, at_ms) VALUES ($1, $2)")
                .bind(&client)
                .bind(now.timestamp_millis())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    async fn subscription_key(&self) -> Result<String, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM secrets WHERE name = 'subscriptions'")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

/// 128 bits of HMAC-SHA256(key, id) as hex: the unsubscribe link's proof.
/// (`None` cannot happen: HMAC takes keys of any length.)
fn mac(key: &str, id: &str) -> Option<String> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()).ok()?;
    mac.update(b"beacon-unsubscribe:");
    mac.update(id.as_bytes());
    let digest = mac.finalize().into_bytes();
    Some(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
}
