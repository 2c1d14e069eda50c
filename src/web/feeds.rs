//! Handlers of the feeds (SPEC §5): `/feed.rss`, `/feed.atom`, `/feed.json`,
//! their per-component twins and the Statuspage paths `/history.rss` and
//! `/history.atom`, and the maintenance calendar `/maintenances.ics`.

use super::caching::Asked;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use super::error::PageError;
use super::present::feeds::{self, Feed, Format, calendar};
use super::state::AppState;
use crate::model::history;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    let site =
        |format| move |state: State<AppState>, asked: Asked| feed(state, asked, None, format);
    let component = |format| {
        move |state: State<AppState>, Path(id): Path<String>, asked: Asked| {
            feed(state, asked, Some(id), format)
        }
    };
    Router::new()
        .route("/feed.rss", get(site(Format::Rss)))
        .route("/feed.atom", get(site(Format::Atom)))
        .route("/feed.json", get(site(Format::Json)))
        .route("/history.rss", get(site(Format::Rss)))
        .route("/history.atom", get(site(Format::Atom)))
        .route("/components/{id}/feed.rss", get(component(Format::Rss)))
        .route("/components/{id}/feed.atom", get(component(Format::Atom)))
        .route("/components/{id}/feed.json", get(component(Format::Json)))
        .route("/maintenances.ics", get(maintenance_calendar))
}

/// `/maintenances.ics`: rendered once per snapshot like the feeds.
#[tracing::instrument(level = "debug", skip_all)]
async fn maintenance_calendar(
    State(state): State<AppState>,
    asked: Asked,
) -> Result<Response, PageError> {
    let (store, base) = (&state.store, state.base_url.as_str());
    state
        .serve(&asked, "/maintenances.ics", |snap| async move {
            let since = snap.built_at - chrono::Duration::days(calendar::KEEP_DAYS);
            let maintenances = store.maintenances_ending_after(since).await?;
            let body = calendar::calendar(&snap.config, &maintenances, snap.built_at, base);
            Ok(("text/calendar; charset=utf-8", body))
        })
        .await
}

#[tracing::instrument(level = "debug", skip(state, asked))]
async fn feed(
    State(state): State<AppState>,
    asked: Asked,
    component: Option<String>,
    format: Format,
) -> Result<Response, PageError> {
    let ext = format.extension();
    let key = match &component {
        Some(id) => format!("/components/{id}/feed.{ext}"),
        None => format!("/feed.{ext}"),
    };
    let (store, base, path) = (&state.store, state.base_url.as_str(), key.as_str());
    state
        .serve(&asked, path, |snap| async move {
            let component = match &component {
                Some(id) => Some(snap.component(id).ok_or(PageError::NotFound)?),
                None => None,
            };
            let (incidents, maintenances) = history::feed(store).await?;
            let feed = Feed {
                snap: &snap,
                base,
                path,
                component,
                incidents: &incidents,
                maintenances: &maintenances,
            };
            Ok((format.content_type(), feeds::render(&feed, format)))
        })
        .await
}
