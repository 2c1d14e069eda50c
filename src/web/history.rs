//! Incident and maintenance pages of SPEC §4: `/incidents?page=N`,
//! `/incidents/{id}`, `/maintenances/{id}`, and the incident and maintenance
//! cards of `/` (built from the snapshot only).
//!
//! This file holds the handlers: the page number, the store reads, 404s and
//! the page cache. Turning incidents and maintenances into view structs is in
//! [`present`].

mod format;
mod present;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use super::error::PageError;
use super::state::AppState;
use crate::store::StoreError;

pub use present::{current_events, index_events};

const HTML: &str = "text/html; charset=utf-8";

/// Entries on one page of `/incidents` (SPEC §4).
pub const PER_PAGE: u64 = 20;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(incidents))
        .route("/incidents/{id}", get(incident))
        .route("/maintenances/{id}", get(maintenance))
}

#[tracing::instrument(skip(state, headers))]
async fn incidents(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let page = page_number(query.as_deref())?;
    let snap = state.model.get();
    // Only pages that exist reach the cache: a render error is not stored.
    let key = format!("/incidents?page={page}");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let total = state.store.history_count().await?;
            let pages = total.div_ceil(PER_PAGE).max(1);
            if page > pages {
                return Err(PageError::NotFound);
            }
            let offset = u32::try_from((page - 1) * PER_PAGE).map_err(|_| PageError::NotFound)?;
            let entries = state.store.history(PER_PAGE as u32, offset).await?;
            let path = if page == 1 {
                "/incidents".to_owned()
            } else {
                key.clone()
            };
            let page =
                present::incidents_page(&snap.config, &entries, page, pages, &path, snap.built_at);
            Ok((HTML, askama::Template::render(&page)?))
        })
        .await
}

#[tracing::instrument(skip(state, headers))]
async fn incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let snap = state.model.get();
    let key = format!("/incidents/{id}");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let incident = found(state.store.incident(&id).await)?;
            let page = present::incident_page(&snap.config, &incident, &key);
            Ok((HTML, askama::Template::render(&page)?))
        })
        .await
}

#[tracing::instrument(skip(state, headers))]
async fn maintenance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let snap = state.model.get();
    let key = format!("/maintenances/{id}");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let m = found(state.store.maintenance(&id).await)?;
            let page = present::maintenance_page(&snap.config, &m, &key, snap.built_at);
            Ok((HTML, askama::Template::render(&page)?))
        })
        .await
}

/// `?page=N`: absent means 1; not a whole number, or 0, is a bad request; a
/// number too large for any page is simply not found.
fn page_number(query: Option<&str>) -> Result<u64, PageError> {
    let raw = query.and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "page")
            .map(|(_, v)| v.into_owned())
    });
    let Some(raw) = raw else {
        return Ok(1);
    };
    let digits = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
    match raw.parse::<u64>() {
        Ok(n) if digits && n >= 1 => Ok(n),
        Err(_) if digits => Err(PageError::NotFound),
        _ => Err(PageError::BadRequest(
            "The page number must be a whole number, 1 or more.".to_owned(),
        )),
    }
}

/// A missing row is the visitor's 404, not our 500.
fn found<T>(result: Result<T, StoreError>) -> Result<T, PageError> {
    result.map_err(|e| match e {
        StoreError::NotFound => PageError::NotFound,
        other => PageError::Store(other),
    })
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
