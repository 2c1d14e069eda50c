//! Operational endpoints: liveness and readiness (SPEC §7).

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use super::state::AppState;

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

/// The database answers and every check's results are fresh (written by
/// this process or by a separate `beacon probe`).
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.store.ping().await;
    let snap = state.snapshot.get();
    let overdue = snap.overdue_checks(state.started_at);
    let ready = database.is_ok() && overdue.is_empty();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "ready": ready,
        "database": database.map_or_else(|e| e.to_string(), |()| "ok".to_owned()),
        "stale_checks": overdue,
        "snapshot_built_at": snap.built_at.to_rfc3339(),
    });
    (status, Json(body))
}
