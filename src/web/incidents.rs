//! Handlers of the incident history (SPEC §4): `/incidents?page=N`,
//! `/incidents/{id}` and `/maintenances/{id}`.

use super::caching::Asked;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::error::PageError;
use super::state::AppState;
use super::{present, render};
use crate::domain::{IncidentId, MaintenanceId};
use crate::model::history;
use crate::store::StoreError;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(incidents))
        .route("/incidents/{id}", get(incident))
        .route("/maintenances/{id}", get(maintenance))
}

#[tracing::instrument(level = "debug", skip(state, asked))]
async fn incidents(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    asked: Asked,
) -> Result<Response, PageError> {
    let page = page_number(query.as_deref())?;
    // Only pages that exist reach the cache: a render error is not stored.
    let key = format!("/incidents?page={page}");
    let path = if page == 1 { "/incidents" } else { &key };
    let store = &state.store;
    state
        .serve(&asked, &key, |snap| async move {
            let found = history::page(store, page).await?;
            let found = found.ok_or(PageError::NotFound)?;
            let view =
                present::incidents::history_page(&snap.config, &found, page, path, snap.built_at);
            render::html(&view)
        })
        .await
}

#[tracing::instrument(level = "debug", skip(state, asked))]
async fn incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, PageError> {
    let id = IncidentId::parse(&id).map_err(|_| PageError::NotFound)?;
    let key = format!("/incidents/{id}");
    let (store, path) = (&state.store, key.as_str());
    state
        .serve(&asked, path, |snap| async move {
            let incident = found(store.incident(&id).await)?;
            render::html(&present::incidents::incident_page(
                &snap.config,
                &incident,
                path,
            ))
        })
        .await
}

#[tracing::instrument(level = "debug", skip(state, asked))]
async fn maintenance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, PageError> {
    let id = MaintenanceId::parse(&id).map_err(|_| PageError::NotFound)?;
    let key = format!("/maintenances/{id}");
    let (store, path) = (&state.store, key.as_str());
    state
        .serve(&asked, path, |snap| async move {
            let m = found(store.maintenance(&id).await)?;
            let view = present::incidents::maintenance_page(&snap.config, &m, path, snap.built_at);
            render::html(&view)
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
#[path = "incidents_tests.rs"]
mod tests;
