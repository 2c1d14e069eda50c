//! Admin API tokens: only a SHA-256 of each token is stored (SPEC §1, §6).

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Store, StoreError, found, inserted, ms_to_time};

/// A token as listed: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Lowercase hex SHA-256 of a token.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new random token: `bcn_` and 43 URL-safe characters (256 bits).
pub fn generate_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes: [u8; 43] = rand::random();
    let body: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % 64] as char)
        .collect();
    format!("bcn_{body}")
}

impl Store {
    /// Stores the hash of `token` under `name`; `Conflict` when the name is taken.
    /// (A taken name is the caller's to report, so it is logged at debug only.)
    #[tracing::instrument(skip(self, token), err(level = "debug"))]
    pub async fn create_token(
        &self,
        name: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO admin_tokens (name, token_hash, created_ms) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(hash_token(token))
        .bind(now.timestamp_millis())
        .execute(&self.pool)
        .await?;
        inserted(&done)
    }

    /// All tokens by name.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let rows: Vec<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT name, created_ms, last_used_ms FROM admin_tokens ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(name, created, used)| TokenInfo {
                name,
                created_at: ms_to_time(created),
                last_used_at: used.map(ms_to_time),
            })
            .collect())
    }

    /// Deletes a token; `NotFound` when no token has that name.
    #[tracing::instrument(skip(self), err(level = "debug"))]
    pub async fn revoke_token(&self, name: &str) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM admin_tokens WHERE name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        found(&done)?;
        Ok(())
    }

    /// The name of the token `token`, if it is valid. Only reads: a request
    /// must authenticate even while another process holds the write lock,
    /// so callers record the use later with [`Store::record_token_uses`].
    /// Looked up by hash, then the hashes are compared in constant time.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn authenticate(&self, token: &str) -> Result<Option<String>, StoreError> {
        let hash = hash_token(token);
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, token_hash FROM admin_tokens WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?;
        let Some((name, stored)) = row else {
            return Ok(None);
        };
        if !bool::from(stored.as_bytes().ct_eq(hash.as_bytes())) {
            return Ok(None);
        }
        Ok(Some(name))
    }

    /// Records when tokens were last used, `(name, at)`, in one transaction;
    /// a time never moves back, and a revoked token's use is ignored.
    #[tracing::instrument(skip_all, fields(tokens = uses.len()), err(level = "warn"))]
    pub async fn record_token_uses(
        &self,
        uses: &[(String, DateTime<Utc>)],
    ) -> Result<(), StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            for (name, at) in uses {
                sqlx::query(
                    "UPDATE admin_tokens SET last_used_ms = $1
                     WHERE name = $2 AND (last_used_ms IS NULL OR last_used_ms < $1)",
                )
                .bind(at.timestamp_millis())
                .bind(name)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }
}
