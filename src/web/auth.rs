//! The admin bearer token as an extractor (SPEC §6, STYLE §3.14).
//!
//! The store looks the token up by its SHA-256 and compares hashes in
//! constant time; the token itself is never logged or stored. Checking a
//! token only reads the database, so the admin API authenticates while
//! another process holds the write lock; when each token was last used is
//! noted in memory and written by [`uses`].
//! Wrong tokens are throttled per client ([`throttle`]).

pub mod throttle;
pub mod uses;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use chrono::Utc;

use super::api_error::ApiError;
use super::state::AppState;
use throttle::Verdict;

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
