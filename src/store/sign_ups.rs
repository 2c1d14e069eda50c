//! Visitors' e-mail sign-ups (SPEC §8): double opt-in, the per-client
//! limit, expiry, and unsubscribe links.
//!
//! The opt-in token is stored as a SHA-256 only. Unsubscribe links carry
//! the subscriber id and a MAC of it under a key kept in the database
//! ([`Store::unsubscribe_token`]), so no unsubscribe token is stored and
//! every mail's link keeps working.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::outbox::insert_delivery;
use super::{NewDelivery, Store, StoreError, Subscriber, hash_token, id_list, new_id};
use crate::domain::ComponentId;

/// Unconfirmed sign-ups are forgotten after this long.
pub const CONFIRM_WITHIN: chrono::Duration = chrono::Duration::hours(48);

/// What a sign-up did; the visitor sees the same page either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUp {
    /// A confirmation mail was queued for this new or pending subscriber.
    Queued(String),
    /// The address is already confirmed: nothing is sent.
    AlreadyConfirmed,
}

impl Store {
    /// A visitor's sign-up: records (or refreshes) the pending subscriber
    /// with the hash of `confirm_token` and queues the confirmation mail
    /// built by `confirmation(subscriber id)` in the same transaction.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn sign_up(
        &self,
        address: &str,
        components: &[ComponentId],
        confirm_token: &str,
        confirmation: impl FnOnce(&str) -> String,
        now: DateTime<Utc>,
    ) -> Result<SignUp, StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            // One address signing up twice at once: the second waits and
            // refreshes the first one's row rather than inserting a twin.
            self.backend
                .serialize(&mut tx, &format!("sign-up:{address}"))
                .await?;
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
            // The count and the insert below see each other's processes.
            self.backend
                .serialize(&mut tx, &format!("sign-up-limit:{client}"))
                .await?;
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
