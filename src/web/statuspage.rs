//! Statuspage-compatible public API v2 and status badges (SPEC §5).
//!
//! Same paths, field names and enum values as Atlassian Statuspage
//! (`shared/statuspage-v2.md`), so existing clients, bots and widgets work.
//! Everything is rendered from the status snapshot (the store is read only
//! for the 50-item history lists) through the page cache, so responses
//! carry ETag / Cache-Control and answer 304 like the HTML pages.

mod badge;
pub mod json;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

use self::badge::Badge;
use self::json::{Builder, Envelope};
use super::error::PageError;
use super::state::AppState;
use crate::domain::{Maintenance, MaintenanceStatus};
use crate::model::Snapshot;
use crate::status;

const JSON: &str = "application/json";
const SVG: &str = "image/svg+xml";

/// How many items the history lists return (Statuspage: the 50 most recent).
const HISTORY: usize = 50;

/// The eight API v2 paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Summary,
    Status,
    Components,
    Incidents,
    Unresolved,
    Maintenances,
    Upcoming,
    Active,
}

impl Endpoint {
    const ALL: [Endpoint; 8] = [
        Endpoint::Summary,
        Endpoint::Status,
        Endpoint::Components,
        Endpoint::Incidents,
        Endpoint::Unresolved,
        Endpoint::Maintenances,
        Endpoint::Upcoming,
        Endpoint::Active,
    ];

    fn path(self) -> &'static str {
        match self {
            Endpoint::Summary => "/api/v2/summary.json",
            Endpoint::Status => "/api/v2/status.json",
            Endpoint::Components => "/api/v2/components.json",
            Endpoint::Incidents => "/api/v2/incidents.json",
            Endpoint::Unresolved => "/api/v2/incidents/unresolved.json",
            Endpoint::Maintenances => "/api/v2/scheduled-maintenances.json",
            Endpoint::Upcoming => "/api/v2/scheduled-maintenances/upcoming.json",
            Endpoint::Active => "/api/v2/scheduled-maintenances/active.json",
        }
    }
}

/// Routes of this module: the API (with `Access-Control-Allow-Origin: *`,
/// as widgets poll it cross-origin) and the badges.
pub fn router() -> Router<AppState> {
    let mut api = Router::new();
    for endpoint in Endpoint::ALL {
        api = api.route(
            endpoint.path(),
            get(move |State(state): State<AppState>, headers: HeaderMap| {
                serve_api(state, headers, endpoint)
            }),
        );
    }
    let api = api.layer(SetResponseHeaderLayer::overriding(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    ));
    Router::new()
        .merge(api)
        .route("/badge/{file}", get(status_badge))
        .route("/badge/{component}/uptime.svg", get(uptime_badge))
}

#[tracing::instrument(skip(state, headers))]
async fn serve_api(
    state: AppState,
    headers: HeaderMap,
    endpoint: Endpoint,
) -> Result<Response, PageError> {
    let snap = state.model.get();
    state
        .pages
        .serve(endpoint.path(), snap.built_at, &headers, || async {
            let first_days = state.store.first_result_days().await?;
            let builder = Builder::new(&snap, &first_days, state.started_at, &state.base_url);
            let envelope = render(&state, &snap, &builder, endpoint).await?;
            let body = serde_json::to_string(&envelope)
                .map_err(|e| PageError::Render(askama::Error::Custom(Box::new(e))))?;
            Ok((JSON, body))
        })
        .await
}

/// The payload of `endpoint` (selection rules of statuspage-v2.md §1).
async fn render(
    state: &AppState,
    snap: &Snapshot,
    builder: &Builder<'_>,
    endpoint: Endpoint,
) -> Result<Envelope, PageError> {
    let mut envelope = Envelope {
        page: builder.page(),
        status: None,
        components: None,
        incidents: None,
        scheduled_maintenances: None,
    };
    let maintenances = |wanted: &[MaintenanceStatus]| {
        snap.maintenances
            .iter()
            .filter(|m| wanted.contains(&status::maintenance::status(m, snap.built_at)))
            .map(|m| builder.maintenance(m))
            .collect()
    };
    let unresolved = || snap.open_incidents().map(|i| builder.incident(i)).collect();
    match endpoint {
        Endpoint::Summary => {
            envelope.status = Some(builder.status());
            envelope.components = Some(builder.components());
            envelope.incidents = Some(unresolved());
            envelope.scheduled_maintenances = Some(maintenances(&[
                MaintenanceStatus::InProgress,
                MaintenanceStatus::Scheduled,
            ]));
        }
        Endpoint::Status => envelope.status = Some(builder.status()),
        Endpoint::Components => envelope.components = Some(builder.components()),
        Endpoint::Unresolved => envelope.incidents = Some(unresolved()),
        Endpoint::Incidents => {
            let limit = u32::try_from(HISTORY).unwrap_or(u32::MAX);
            let incidents = state.store.incidents(limit, 0).await?;
            envelope.incidents = Some(incidents.iter().map(|i| builder.incident(i)).collect());
        }
        Endpoint::Maintenances => {
            let recent = recent_maintenances(state, snap).await?;
            envelope.scheduled_maintenances =
                Some(recent.iter().map(|m| builder.maintenance(m)).collect());
        }
        Endpoint::Upcoming => {
            envelope.scheduled_maintenances = Some(maintenances(&[MaintenanceStatus::Scheduled]));
        }
        Endpoint::Active => {
            envelope.scheduled_maintenances = Some(maintenances(&[MaintenanceStatus::InProgress]));
        }
    }
    Ok(envelope)
}

/// The 50 most recent maintenances (by start), cancelled ones left out
/// (SPEC §6), paging past cancelled ones so the list is full when it can be.
async fn recent_maintenances(
    state: &AppState,
    snap: &Snapshot,
) -> Result<Vec<Maintenance>, PageError> {
    let page = u32::try_from(HISTORY).unwrap_or(u32::MAX);
    let mut kept = Vec::new();
    let mut offset = 0;
    loop {
        let batch = state.store.maintenances(page, offset).await?;
        let done = batch.len() < HISTORY;
        kept.extend(batch.into_iter().filter(|m| {
            status::maintenance::status(m, snap.built_at) != MaintenanceStatus::Cancelled
        }));
        if done || kept.len() >= HISTORY {
            kept.truncate(HISTORY);
            return Ok(kept);
        }
        offset = offset.saturating_add(page);
    }
}

/// `GET /badge/{component}.svg`: name and status words.
#[tracing::instrument(skip(state, headers))]
async fn status_badge(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let id = file.strip_suffix(".svg").ok_or(PageError::NotFound)?;
    let snap = state.model.get();
    let model = snap.component(id).ok_or(PageError::NotFound)?;
    let name = &model.spec.name;
    let key = format!("/badge/{id}.svg");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let (message, color) = badge::status_message(model.status, model.freshness);
            Ok((SVG, Badge::new(name, &message, color).render()?))
        })
        .await
}

/// `GET /badge/{component}/uptime.svg`: uptime of the last 30 days.
#[tracing::instrument(skip(state, headers))]
async fn uptime_badge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let snap = state.model.get();
    let model = snap.component(&id).ok_or(PageError::NotFound)?;
    let label = format!("{} uptime (30d)", model.spec.name);
    let key = format!("/badge/{id}/uptime.svg");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let (message, color) = badge::uptime_message(model.uptime_30d);
            Ok((SVG, Badge::new(&label, &message, color).render()?))
        })
        .await
}
