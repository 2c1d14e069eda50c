//! The admin API of SPEC §6 under `/api/admin`: JSON in, JSON out, bearer
//! token required (except `openapi.json`).
//!
//! Each handler: [`AdminToken`](super::auth::AdminToken) → `ApiJson` of a
//! permissive request struct (every field optional, unknown fields refused)
//! → [`validate`] into a domain value, naming every bad field → store (which
//! commits before returning) → JSON. Errors are [`ApiError`]s. Every 2xx
//! write waits in [`show_writes`] until the status model shows it.

mod incidents;
mod maintenances;
mod overrides;
mod subscribers;
pub mod validate;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::openapi::header::Header;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, ResponseBuilder, Type};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

use super::api_error::{ApiError, BODY_LIMIT, ErrorBody, ErrorDetail};
use super::state::AppState;

/// Routes of the admin API, mounted at `/api/admin`.
pub fn router() -> Router<AppState> {
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
        .route(
            "/subscribers",
            get(subscribers::list).post(subscribers::create),
        )
        .route("/subscribers/{id}", delete(subscribers::delete))
        .route("/deliveries", get(subscribers::deliveries))
        .route("/openapi.json", get(openapi))
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
        && let Err(e) = state.snapshot.refresh_now().await
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

/// Incident `status` values (documentation only; requests parse strings).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = IncidentStatus)]
pub enum IncidentStatusDoc {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

/// Incident `impact` values (Statuspage's).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Impact)]
pub enum ImpactDoc {
    None,
    Minor,
    Major,
    Critical,
}

/// Component status values (Statuspage's).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ComponentStatus)]
pub enum ComponentStatusDoc {
    Operational,
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

/// Maintenance `status`, derived from the window and the clock.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = MaintenanceStatus)]
pub enum MaintenanceStatusDoc {
    Scheduled,
    InProgress,
    Completed,
    Cancelled,
}

/// The OpenAPI 3 description, generated from the handlers and types above.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Beacon admin API",
        description = "Schedule maintenance, run incidents and pin component statuses. \
                       Send `Authorization: Bearer <token>` (create one with `beacon token create NAME`). \
                       Errors are `{\"error\": {\"code\", \"message\"}}`; a 422's message names the field. \
                       Unknown JSON fields are refused with 422."
    ),
    paths(
        maintenances::create,
        maintenances::list,
        maintenances::read,
        maintenances::edit,
        maintenances::cancel,
        incidents::create,
        incidents::list,
        incidents::read,
        incidents::add_update,
        incidents::edit,
        incidents::delete,
        overrides::pin,
        overrides::release,
        subscribers::list,
        subscribers::create,
        subscribers::delete,
        subscribers::deliveries,
        openapi,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth),
)]
pub struct AdminApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    /// Adds the bearer scheme, and to every operation that needs it the
    /// answers any of them can give: 429 after too many wrong tokens from
    /// one client, 503 while the database cannot take the request (another
    /// process holds its lock, the disk is full), both with `Retry-After`.
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        let retry_later = [
            (
                "429",
                "Too many wrong tokens from this client; retry after `Retry-After` seconds",
            ),
            (
                "503",
                "The database cannot take this request now; retry after `Retry-After` seconds",
            ),
        ];
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                if operation.security.is_none() {
                    continue;
                }
                for (code, description) in retry_later {
                    let response = ResponseBuilder::new()
                        .description(description)
                        .header(
                            "Retry-After",
                            Header::new(ObjectBuilder::new().schema_type(Type::Integer)),
                        )
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorBody")))
                                .build(),
                        )
                        .build();
                    operation
                        .responses
                        .responses
                        .insert(code.to_owned(), response.into());
                }
            }
        }
    }
}

/// This document (no token needed).
#[utoipa::path(get, path = "/api/admin/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")))]
#[tracing::instrument(skip_all)]
pub async fn openapi() -> impl IntoResponse {
    axum::Json(AdminApiDoc::openapi())
}
