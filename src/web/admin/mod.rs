//! The admin API of SPEC §6 under `/api/admin`: JSON in, JSON out, bearer
//! token required (except `openapi.json`).
//!
//! Every route but the OpenAPI document sits behind the
//! [`AdminToken`] extractor, run as a route layer before any handler. Each
//! handler: `ApiJson` of a permissive request struct (every field optional,
//! unknown fields refused) → [`validate`] into a domain value, naming every
//! bad field → store (which commits before returning) → JSON. Errors are
//! [`ApiError`]s. Every 2xx write waits in [`show_writes`] until the status
//! model shows it.

mod incidents;
mod maintenances;
pub mod openapi;
mod overrides;
mod reports;
pub mod schema;
mod subscribers;
pub mod validate;

use std::future::Future;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_extractor_with_state};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use serde::Deserialize;
use utoipa::IntoParams;

use super::api_error::{ApiError, BODY_LIMIT};
use super::auth::AdminToken;
use super::state::AppState;
use crate::domain::InvalidRecordId;
use crate::store::StoreError;

/// Routes of the admin API, mounted at `/api/admin`; `state` checks tokens.
pub fn router(state: &AppState) -> Router<AppState> {
    let token = from_extractor_with_state::<AdminToken, AppState>(state.clone());
    let api = Router::new()
        .route(
            "/maintenances",
            get(maintenances::list).post(maintenances::create),
        )
        .route(
            "/maintenances/{id}",
            get(maintenances::read)
                .patch(maintenances::edit)
                .delete(maintenances::cancel),
        )
        .route("/incidents", get(incidents::list).post(incidents::create))
        .route(
            "/incidents/{id}",
            get(incidents::read)
                .patch(incidents::edit)
                .delete(incidents::delete),
        )
        .route("/incidents/{id}/updates", post(incidents::add_update))
        .route(
            "/components/{id}/override",
            put(overrides::pin).delete(overrides::release),
        )
        .route("/reports", get(reports::list))
        .route(
            "/subscribers",
            get(subscribers::list).post(subscribers::create),
        )
        .route("/subscribers/{id}", delete(subscribers::delete))
        .route("/deliveries", get(subscribers::deliveries))
        .route_layer(token)
        .route("/openapi.json", get(openapi::openapi))
        .fallback(unknown_path)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    Router::new().nest("/api/admin", api)
}

/// Middleware: once a write has succeeded, waits for a snapshot rebuilt
/// after it, so the client's next read of any public route or of the v2
/// API sees it (read-your-writes, SPEC §6). Concurrent writers share one
/// rebuild. Should the rebuild fail, the write is still durable and the
/// answer stays a success (a retry would duplicate it); the revision poll
/// shows it within a second, and the failure is logged.
pub async fn show_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let write = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let response = next.run(request).await;
    if write
        && response.status().is_success()
        && let Err(e) = state.model.refresh_now().await
    {
        tracing::error!(error = %e, "write committed, but the status model could not be rebuilt");
    }
    response
}

#[tracing::instrument(skip_all)]
async fn unknown_path() -> ApiError {
    ApiError::NotFound("no such admin API route; see /api/admin/openapi.json".to_owned())
}

#[tracing::instrument(skip_all)]
async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// `?limit=&offset=` of the list routes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// At most this many (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// Skip this many (default 0).
    #[param(minimum = 0, maximum = 4_294_967_295_u64, format = Int64)]
    offset: Option<u32>,
}

impl ListParams {
    fn parse(&self) -> Result<(u32, u32), ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(ApiError::invalid("limit", "must be between 1 and 1000"));
        }
        Ok((limit, self.offset.unwrap_or(0)))
    }
}

/// The `{id}` of a path as a typed id; text no record could have gets the
/// same 404 as an id that names none.
pub(super) fn path_id<T>(
    what: &'static str,
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, InvalidRecordId>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|_| ApiError::not_found(what, raw))
}

/// Awaits a store read or write of the object `id` names; `NotFound`
/// becomes this API's 404 naming `what` and the id.
pub(super) async fn by_id<T>(
    what: &'static str,
    id: &str,
    op: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, ApiError> {
    op.await.map_err(ApiError::from_lookup(what, id))
}
