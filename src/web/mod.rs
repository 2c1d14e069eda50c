//! The web layer: extract → read the model → serve its bytes. No status
//! rules; public responses are rendered once per snapshot change (the only
//! SQL left, for history pages and feeds, runs then) and served from the
//! model's response store in the client's coding. Their handlers open
//! debug-level spans: an info span per visitor request cost two allocations.

pub mod admin;
pub mod api_error;
mod assets;
pub mod auth;
pub mod caching;
pub mod charts;
mod client;
pub mod counters;
pub mod error;
mod error_pages;
mod feeds;
mod incidents;
pub mod markdown;
pub mod metrics;
mod ops;
mod pages;
pub mod present;
mod push;
pub mod render;
mod reports;
pub mod state;
mod statuspage;
mod subscribe;
pub mod views;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// Requests that take longer than this are answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Content-Security-Policy of every response: no scripts, no third parties.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub use render::index as render_index;

/// The whole application, ready to serve or to test with `oneshot`.
pub fn router(state: AppState) -> Router {
    let written = axum::middleware::from_fn_with_state(state.clone(), admin::show_writes);
    // A public report count is on the page: the reporter sees their report.
    let reports = reports::router(&state.config);
    let reports = if state.config.reports.public {
        reports.layer(written.clone())
    } else {
        reports
    };
    // Compressed per response: everything not served from the page cache.
    let dynamic = Router::new()
        .merge(ops::router())
        .merge(admin::router(&state).layer(written))
        .merge(push::router())
        .merge(reports)
        .merge(subscribe::router())
        .merge(metrics::router())
        .merge(assets::router())
        .fallback(error_pages::not_found)
        .layer(CompressionLayer::new());
    // Public responses carry their own precompressed codings (caching.rs).
    let routes = Router::new()
        .merge(pages::router())
        .merge(incidents::router())
        .merge(feeds::router())
        .merge(statuspage::router())
        .merge(dynamic)
        // On each route: the count needs the route pattern it matched.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count_requests,
        ))
        .with_state(state.clone());
    // The rest wraps the whole router once. `Router::layer` wraps each
    // route in its own boxed service per layer, and every request cloned
    // that chain box by box: about 100 allocations per cached response.
    let around = ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(security_header(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(axum::middleware::from_fn_with_state(
            state,
            error_pages::render_error_pages,
        ))
        .service(routes);
    Router::new().fallback_service(around)
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
