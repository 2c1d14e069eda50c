//! `GET /metrics` in the Prometheus text format (SPEC §7), names prefixed
//! `beacon_`. The format is a few lines of text, so it is written here
//! directly rather than through a metrics registry crate: check figures come
//! from the snapshot and the store (so a separate `beacon probe` process is
//! covered too), request counts from a middleware in this process.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;

use super::api_error::ApiError;
use super::state::AppState;
use crate::domain::ComponentStatus;

/// Requests served by this process, by route pattern and status.
#[derive(Debug, Default)]
pub struct HttpCounts(Mutex<BTreeMap<(String, u16), u64>>);

impl HttpCounts {
    fn add(&self, route: &str, status: u16) {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry((route.to_owned(), status)).or_default() += 1;
    }

    fn snapshot(&self) -> BTreeMap<(String, u16), u64> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Connections of this process's HTTP server (see `app::server`).
#[derive(Debug, Default)]
pub struct ConnectionStats {
    open: AtomicU64,
    closed_since_take: AtomicU64,
    refused: AtomicU64,
    last_refusal_logged: Mutex<Option<Instant>>,
}

/// A refused connection is logged at most this often.
const REFUSAL_LOG_EVERY: Duration = Duration::from_secs(10);

impl ConnectionStats {
    /// A connection was accepted.
    pub fn opened(&self) {
        self.open.fetch_add(1, Ordering::Relaxed);
    }

    /// An accepted connection ended.
    pub fn closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
        self.closed_since_take.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections closed since the last call.
    pub fn take_closed(&self) -> u64 {
        self.closed_since_take.swap(0, Ordering::Relaxed)
    }

    /// Counts a connection refused over the limit; true when it is time to
    /// log (once per [`REFUSAL_LOG_EVERY`], not once per connection).
    pub fn refused(&self) -> bool {
        self.refused.fetch_add(1, Ordering::Relaxed);
        let mut last = self
            .last_refusal_logged
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|at| at.elapsed() >= REFUSAL_LOG_EVERY);
        if due {
            *last = Some(Instant::now());
        }
        due
    }

    /// Connections open now.
    pub fn open(&self) -> u64 {
        self.open.load(Ordering::Relaxed)
    }

    /// Connections refused since start-up.
    pub fn refused_total(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

/// Middleware: counts every response by its route pattern (not the raw
/// path, so unknown paths cannot grow the map) and status.
pub async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    state.http_counts.add(&route, response.status().as_u16());
    response
}

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// A label value with Prometheus escaping.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let snap = state.snapshot.get();
    let config = &snap.config;
    let totals = state.store.result_totals().await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP beacon_check_results_total Check results counted toward uptime, by outcome."
    );
    let _ = writeln!(out, "# TYPE beacon_check_results_total counter");
    for (check, good, total) in &totals {
        let check = label(check);
        let _ = writeln!(
            out,
            "beacon_check_results_total{{check=\"{check}\",result=\"ok\"}} {good}"
        );
        let failed = total.saturating_sub(*good);
        let _ = writeln!(
            out,
            "beacon_check_results_total{{check=\"{check}\",result=\"failed\"}} {failed}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP beacon_check_latency_seconds Latency of each check's latest answer."
    );
    let _ = writeln!(out, "# TYPE beacon_check_latency_seconds gauge");
    let checks = snap.components.iter().flat_map(|c| &c.checks);
    for check in checks.clone() {
        if let Some(ms) = check.last_latency_ms {
            let id = label(config.checks[check.spec].id.as_str());
            let _ = writeln!(
                out,
                "beacon_check_latency_seconds{{check=\"{id}\"}} {}",
                ms as f64 / 1000.0
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP beacon_check_up Whether each check is up (1), degraded (0.5) or down (0)."
    );
    let _ = writeln!(out, "# TYPE beacon_check_up gauge");
    for check in checks {
        if let Some(state) = check.state {
            let value = match state {
                crate::status::CheckState::Up => "1",
                crate::status::CheckState::Degraded => "0.5",
                crate::status::CheckState::Down => "0",
            };
            let id = label(config.checks[check.spec].id.as_str());
            let _ = writeln!(out, "beacon_check_up{{check=\"{id}\"}} {value}");
        }
    }
    let _ = writeln!(
        out,
        "# HELP beacon_component_status 1 for each component's current status."
    );
    let _ = writeln!(out, "# TYPE beacon_component_status gauge");
    for component in &snap.components {
        let id = label(config.components[component.spec].id.as_str());
        for status in ComponentStatus::ALL {
            let value = u8::from(component.status == status);
            let _ = writeln!(
                out,
                "beacon_component_status{{component=\"{id}\",status=\"{}\"}} {value}",
                status.as_str()
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP beacon_snapshot_age_seconds Age of the status model the pages are served from."
    );
    let _ = writeln!(out, "# TYPE beacon_snapshot_age_seconds gauge");
    let age = (Utc::now() - snap.built_at).num_milliseconds().max(0) as f64 / 1000.0;
    let _ = writeln!(out, "beacon_snapshot_age_seconds {age}");
    let _ = writeln!(
        out,
        "# HELP beacon_snapshot_rebuilds_total Status snapshots built by this process."
    );
    let _ = writeln!(out, "# TYPE beacon_snapshot_rebuilds_total counter");
    let _ = writeln!(
        out,
        "beacon_snapshot_rebuilds_total {}",
        state.snapshot.rebuilds()
    );
    state.schedule_lag.write_prometheus(&mut out);
    let _ = writeln!(
        out,
        "# HELP beacon_http_requests_total HTTP responses of this process, by route and status."
    );
    let _ = writeln!(out, "# TYPE beacon_http_requests_total counter");
    for ((route, status), n) in state.http_counts.snapshot() {
        let _ = writeln!(
            out,
            "beacon_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
            label(&route)
        );
    }
    reliability(&mut out, &state);
    deliveries(&mut out, &state.store.delivery_counts().await?);
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    Ok(([(header::CONTENT_TYPE, content_type)], out).into_response())
}

/// The outbox by notifier (subscribers together): finished deliveries by
/// outcome (a counter: deliveries are never deleted) and those pending.
fn deliveries(out: &mut String, counts: &[(String, String, u64)]) {
    let _ = writeln!(
        out,
        "# HELP beacon_notification_deliveries_total Notification deliveries finished, by notifier and outcome."
    );
    let _ = writeln!(out, "# TYPE beacon_notification_deliveries_total counter");
    for (notifier, status, n) in counts.iter().filter(|(_, s, _)| s != "pending") {
        let _ = writeln!(
            out,
            "beacon_notification_deliveries_total{{notifier=\"{}\",outcome=\"{status}\"}} {n}",
            label(notifier)
        );
    }
    let _ = writeln!(
        out,
        "# HELP beacon_notification_deliveries_pending Notification deliveries not yet made, by notifier."
    );
    let _ = writeln!(out, "# TYPE beacon_notification_deliveries_pending gauge");
    for (notifier, _, n) in counts.iter().filter(|(_, s, _)| s == "pending") {
        let _ = writeln!(
            out,
            "beacon_notification_deliveries_pending{{notifier=\"{}\"}} {n}",
            label(notifier)
        );
    }
}

/// Write health, held-back and dropped results, failed admin
/// authentications and connections: what an operator alerts on when the
/// disk fills up or someone hammers the server.
fn reliability(out: &mut String, state: &AppState) {
    let health = state.store.health();
    let families: [(&str, &str, &str, u64); 7] = [
        (
            "beacon_database_write_ok",
            "gauge",
            "1 while this process's latest database write succeeded (or none failed in the last minute), else 0.",
            u64::from(health.failing().is_none()),
        ),
        (
            "beacon_database_write_failures_total",
            "counter",
            "Database writes of this process that failed.",
            health.failures_total(),
        ),
        (
            "beacon_results_pending",
            "gauge",
            "Probe results held in memory, waiting for the database to take them.",
            health.pending_results(),
        ),
        (
            "beacon_results_dropped_total",
            "counter",
            "Probe results given up on: the pending queue overflowed, or shutdown came while writes failed.",
            health.dropped_results_total(),
        ),
        (
            "beacon_admin_auth_failures_total",
            "counter",
            "Admin API requests with a token that is not valid.",
            state.auth_failures.total(),
        ),
        (
            "beacon_http_connections_open",
            "gauge",
            "HTTP connections open now.",
            state.connections.open(),
        ),
        (
            "beacon_http_connections_refused_total",
            "counter",
            "HTTP connections answered 503 because max_connections were open.",
            state.connections.refused_total(),
        ),
    ];
    for (name, kind, help, value) in families {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        let _ = writeln!(out, "{name} {value}");
    }
}
