//! The admin bearer token as an extractor (SPEC §6, STYLE §3.14).
//!
//! The store looks the token up by its SHA-256 and compares hashes in
//! constant time; the token itself is never logged or stored.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use chrono::Utc;

use super::api_error::ApiError;
use super::state::AppState;

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

impl FromRequestParts<AppState> for AdminToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        match state.store.authenticate(token, Utc::now()).await? {
            Some(name) => {
                tracing::debug!(token.name = %name, "admin request authenticated");
                Ok(AdminToken { name })
            }
            None => Err(ApiError::Unauthorized),
        }
    }
}
