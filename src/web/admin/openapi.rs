//! The OpenAPI 3 description of the admin API (`GET /api/admin/openapi.json`),
//! generated from the handlers' annotations and the request and response types.

use axum::response::IntoResponse;
use utoipa::openapi::header::Header;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, ResponseBuilder, Type};
use utoipa::{Modify, OpenApi};

use super::{incidents, maintenances, overrides, reports, subscribers};
use crate::web::api_error::{ErrorBody, ErrorDetail};

/// Where this document is served (no token needed).
pub const OPENAPI_PATH: &str = "/api/admin/openapi.json";

/// The OpenAPI 3 description, generated from the handlers and types above.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Beacon admin API",
        description = "Schedule maintenance, run incidents, pin component statuses and read visitors' reports. \
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
        reports::list,
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
        for (path, item) in openapi.paths.paths.iter_mut() {
            // Every route but this document wants the token.
            let protected = path != OPENAPI_PATH;
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten().filter(|_| protected) {
                operation.security = Some(vec![SecurityRequirement::new("bearer", [""; 0])]);
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
#[utoipa::path(get, path = OPENAPI_PATH, tag = "meta",
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")))]
#[tracing::instrument(skip_all)]
pub async fn openapi() -> impl IntoResponse {
    axum::Json(AdminApiDoc::openapi())
}
