//! Operational endpoints: liveness and readiness (SPEC §7).

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::state::AppState;
use crate::domain::CheckKind;
use crate::model::regions;
use crate::status::freshness;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is alive.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and takes writes, every check's results are fresh
/// at this moment (written by this process or by a separate `beacon
/// probe`), and, with several probe regions, none is stale (SPEC §9:
/// `stale_regions` names them). `database` names the cause when it is not
/// "ok".
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let now = Utc::now();
    let mut database = match state.store.ping().await {
        Err(e) => Some(e.to_string()),
        Ok(()) => state.store.health().failing().map(|f| f.to_string()),
    };
    let snap = state.model.get();
    // Judged from the store at this moment, not from the snapshot, so
    // staleness shows as soon as it happens, whatever the snapshot's age.
    let stored = match state.store.check_states().await {
        Ok(stored) => stored,
        Err(e) => {
            database.get_or_insert(e.to_string());
            Vec::new()
        }
    };
    let last_results: HashMap<String, DateTime<Utc>> = regions::shown(&snap.config, &stored, now)
        .into_iter()
        .map(|(check, s)| (check, s.last_result_at))
        .collect();
    let health = regions::health(&snap.config, &stored, now);
    let stale_regions = regions::stale_regions(&health);
    let overdue: Vec<&str> = snap
        .config
        .checks
        .iter()
        .filter(|spec| {
            let last = last_results.get(spec.id.as_str()).copied();
            let push = matches!(spec.kind, CheckKind::Push(_));
            freshness::overdue(last, spec.interval, push, state.started_at, now)
        })
        .map(|spec| spec.id.as_str())
        .collect();
    let ready = database.is_none() && overdue.is_empty() && stale_regions.is_empty();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "ready": ready,
        "database": database.as_deref().unwrap_or("ok"),
        "stale_checks": overdue,
        "stale_regions": stale_regions,
        "snapshot_built_at": snap.built_at.to_rfc3339(),
    });
    (status, Json(body))
}
