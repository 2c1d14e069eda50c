//! `/feed.rss`, `/feed.atom`, `/feed.json`, their per-component twins and
//! the Statuspage paths `/history.rss` and `/history.atom`, and the
//! maintenance calendar `/maintenances.ics` (SPEC §5).

mod calendar;
mod entries;
mod formats;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use super::error::PageError;
use super::state::AppState;
use formats::Channel;

/// Maintenances considered for a feed (newest by start); with incidents
/// this comfortably covers the 50 newest entries.
const MAINTENANCES_READ: u32 = 100;

#[derive(Debug, Clone, Copy)]
enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }
}

/// Routes of this module.
pub fn router() -> Router<AppState> {
    let site = |format| {
        move |state: State<AppState>, headers: HeaderMap| feed(state, headers, None, format)
    };
    let component = |format| {
        move |state: State<AppState>, Path(id): Path<String>, headers: HeaderMap| {
            feed(state, headers, Some(id), format)
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
async fn maintenance_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let snap = state.snapshot.get();
    let path = "/maintenances.ics";
    state
        .pages
        .serve(path, snap.built_at, &headers, || async {
            let since = snap.built_at - chrono::Duration::days(calendar::KEEP_DAYS);
            let maintenances = state.store.maintenances_ending_after(since).await?;
            let body =
                calendar::calendar(&snap.config, &maintenances, snap.built_at, &state.base_url);
            Ok(("text/calendar; charset=utf-8", body))
        })
        .await
}

async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    component: Option<String>,
    format: Format,
) -> Result<Response, PageError> {
    let snap = state.snapshot.get();
    let config = &snap.config;
    let name = match &component {
        Some(id) => Some(
            snap.component(id)
                .map(|c| config.components[c.spec].name.clone())
                .ok_or(PageError::NotFound)?,
        ),
        None => None,
    };
    let ext = match format {
        Format::Rss => "rss",
        Format::Atom => "atom",
        Format::Json => "json",
    };
    let path = match &component {
        Some(id) => format!("/components/{id}/feed.{ext}"),
        None => format!("/feed.{ext}"),
    };
    state
        .pages
        .serve(&path, snap.built_at, &headers, || async {
            let base = &state.base_url;
            let incidents = state
                .store
                .incidents_by_activity(entries::MAX_ENTRIES as u32)
                .await?;
            let maintenances = state.store.maintenances(MAINTENANCES_READ, 0).await?;
            let list = entries::collect(
                base,
                config,
                &incidents,
                &maintenances,
                snap.built_at,
                component.as_deref(),
            );
            let (title, home) = match (&name, &component) {
                (Some(name), Some(id)) => (
                    format!("{} status history: {name}", config.site.title),
                    format!("{base}/components/{id}"),
                ),
                _ => (
                    format!("{} status history", config.site.title),
                    format!("{base}/"),
                ),
            };
            let channel = Channel {
                description: format!(
                    "Incidents and scheduled maintenance of {}",
                    config.site.title
                ),
                title,
                home,
                feed_url: format!("{base}{path}"),
                updated: list.first().map_or(snap.built_at, |e| e.updated),
            };
            let body = match format {
                Format::Rss => formats::rss(&channel, &list),
                Format::Atom => formats::atom(&channel, &list),
                Format::Json => formats::json(&channel, &list),
            };
            Ok((format.content_type(), body))
        })
        .await
}
