//! Handlers of the Statuspage-compatible public API v2 and the status
//! badges (SPEC §5). Same paths, field names and enum values as Atlassian
//! Statuspage (`shared/statuspage-v2.md`); the payloads are built in
//! [`super::present::statuspage`], the badges in [`super::present::badge`].
//! Responses go through the page cache, so they carry ETag and
//! Cache-Control and answer 304 like the HTML pages.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

use super::caching::Asked;
use super::error::PageError;
use super::present::badge;
use super::present::statuspage::{self, Builder, Endpoint, History};
use super::render;
use super::state::AppState;
use super::views::badge::Badge;
use crate::model::history;

/// Routes of this module: the API (with `Access-Control-Allow-Origin: *`,
/// as widgets poll it cross-origin) and the badges.
pub fn router() -> Router<AppState> {
    let mut api = Router::new();
    for endpoint in Endpoint::ALL {
        api = api.route(
            endpoint.path(),
            get(move |State(state): State<AppState>, asked: Asked| {
                serve_api(state, asked, endpoint)
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

#[tracing::instrument(level = "debug", skip(state, asked))]
async fn serve_api(
    state: AppState,
    asked: Asked,
    endpoint: Endpoint,
) -> Result<Response, PageError> {
    let (store, since, base) = (&state.store, state.started_at, state.base_url.as_str());
    state
        .serve(&asked, endpoint.path(), |snap| async move {
            let history = History {
                incidents: match endpoint {
                    Endpoint::Incidents => history::api_incidents(store).await?,
                    _ => Vec::new(),
                },
                maintenances: match endpoint {
                    Endpoint::Maintenances => {
                        history::api_maintenances(store, snap.built_at).await?
                    }
                    _ => Vec::new(),
                },
            };
            let first_days = store.first_result_days().await?;
            let builder = Builder::new(&snap, &first_days, since, base);
            render::json(&statuspage::envelope(&builder, endpoint, &history))
        })
        .await
}

/// `GET /badge/{component}.svg`: name and status words.
#[tracing::instrument(level = "debug", skip(state, asked))]
async fn status_badge(
    State(state): State<AppState>,
    Path(file): Path<String>,
    asked: Asked,
) -> Result<Response, PageError> {
    let id = file.strip_suffix(".svg").ok_or(PageError::NotFound)?;
    let key = format!("/badge/{id}.svg");
    state
        .serve(&asked, &key, |snap| async move {
            let model = snap.component(id).ok_or(PageError::NotFound)?;
            let (message, color) = badge::status_message(model.status, model.freshness);
            render::svg(&Badge::new(&model.spec.name, &message, color))
        })
        .await
}

/// `GET /badge/{component}/uptime.svg`: uptime of the last 30 days.
#[tracing::instrument(level = "debug", skip(state, asked))]
async fn uptime_badge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, PageError> {
    let key = format!("/badge/{id}/uptime.svg");
    state
        .serve(&asked, &key, |snap| async move {
            let model = snap.component(&id).ok_or(PageError::NotFound)?;
            let label = format!("{} uptime (30d)", model.spec.name);
            let (message, color) = badge::uptime_message(model.uptime_30d);
            render::svg(&Badge::new(&label, &message, color))
        })
        .await
}
