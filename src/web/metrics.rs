//! `GET /metrics` (SPEC §7): the handler, and the middleware that counts
//! responses by route for it; the text is written in
//! [`present::metrics`](super::present::metrics).

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;

use super::api_error::ApiError;
use super::present;
use super::state::AppState;
use crate::model::regions;

/// Middleware: counts every response by its route pattern (not the raw
/// path, so unknown paths cannot grow the map) and status.
pub async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // The pattern is shared (an `Arc<str>` inside), not copied.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    state.http_counts.add(route, response.status().as_u16());
    response
}

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let snap = state.model.get();
    let totals = state.store.result_totals().await?;
    let now = Utc::now();
    let stored = state.store.check_states().await?;
    let process = present::metrics::Process {
        rebuilds: state.model.rebuilds(),
        schedule_lag: &state.schedule_lag,
        http_counts: state.http_counts.snapshot(),
        health: state.store.health(),
        auth_failures: state.auth_failures.total(),
        connections_open: state.connections.open(),
        connections_refused: state.connections.refused_total(),
        deliveries: state.store.delivery_counts().await?,
        regions: regions::health(&snap.config, &stored, now),
        leases: state.leases.iter().map(|l| (l.name(), l.held())).collect(),
    };
    let out = present::metrics::text(&snap, &totals, &process, now);
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    Ok(([(header::CONTENT_TYPE, content_type)], out).into_response())
}
