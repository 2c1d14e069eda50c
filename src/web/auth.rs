//! The admin bearer token as an extractor (SPEC §6, STYLE §3.14).
//!
//! The store looks the token up by its SHA-256 and compares hashes in
//! constant time; the token itself is never logged or stored. Checking a
//! token only reads the database, so the admin API authenticates while
//! another process holds the write lock; when each token was last used is
//! noted in memory and written by [`record_uses_until_stopped`], coalesced,
//! off the request path and best-effort (a lost `last_used` is harmless).
//! Wrong tokens are throttled per client ([`throttle`]).

pub mod throttle;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::api_error::ApiError;
use super::state::AppState;
use crate::store::Store;
use throttle::Verdict;

/// Noted token uses are written this often.
pub const RECORD_USES_EVERY: Duration = Duration::from_secs(2);

/// Proof that the request carried a valid admin token; holds the token's name.
#[derive(Debug, Clone)]
pub struct AdminToken {
    pub name: String,
}

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The peer address of the connection (unspecified when the router is
/// driven without one, as `oneshot` tests do).
fn client(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

impl FromRequestParts<AppState> for AdminToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        if let Some(name) = state.store.authenticate(token).await? {
            tracing::debug!(token.name = %name, "admin request authenticated");
            state.token_uses.note(&name, Utc::now());
            return Ok(AdminToken { name });
        }
        let client = client(parts);
        match state.auth_failures.fail(client, Instant::now()) {
            Verdict::Unauthorized { first_of_burst } => {
                if first_of_burst {
                    tracing::warn!(
                        %client,
                        "failed admin authentication; further failures from this client in the next {} s are counted in beacon_admin_auth_failures_total, not logged, and answered 429 after {}",
                        throttle::WINDOW.as_secs(),
                        throttle::ALLOWED
                    );
                }
                Err(ApiError::Unauthorized)
            }
            Verdict::Throttled { retry_after_secs } => Err(ApiError::RateLimited {
                message: "too many failed authentications from this client".to_owned(),
                retry_after_secs,
            }),
        }
    }
}

/// When each token was last used, waiting to be written.
#[derive(Debug, Default)]
pub struct TokenUses(Mutex<HashMap<String, DateTime<Utc>>>);

impl TokenUses {
    fn note(&self, name: &str, at: DateTime<Utc>) {
        let mut uses = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let latest = uses.entry(name.to_owned()).or_insert(at);
        *latest = (*latest).max(at);
    }

    fn take(&self) -> Vec<(String, DateTime<Utc>)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
            .into_iter()
            .collect()
    }

    /// Puts back uses that could not be written (newer notes win).
    fn put_back(&self, uses: Vec<(String, DateTime<Utc>)>) {
        for (name, at) in uses {
            self.note(&name, at);
        }
    }

    /// Writes what was noted; on failure keeps it for the next try.
    async fn record(&self, store: &Store) {
        let uses = self.take();
        if uses.is_empty() {
            return;
        }
        if let Err(e) = store.record_token_uses(&uses).await {
            tracing::debug!(error = %e, "token last-use times not written yet; will retry");
            self.put_back(uses);
        }
    }
}

/// Writes noted token uses every [`RECORD_USES_EVERY`] until `stopped`, then once more.
pub async fn record_uses_until_stopped(
    store: Store,
    uses: std::sync::Arc<TokenUses>,
    mut stopped: watch::Receiver<bool>,
) {
    while !*stopped.borrow() {
        tokio::select! {
            _ = tokio::time::sleep(RECORD_USES_EVERY) => uses.record(&store).await,
            _ = stopped.changed() => {}
        }
    }
    uses.record(&store).await;
}
