//! `/api/admin/components/{id}/override`: pin a component's status, or release it (SPEC §6).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::ComponentStatusDoc;
use super::validate::{Problems, is_component};
use crate::store::Override;
use crate::web::api_error::{ApiError, ApiJson, ApiPath, ErrorBody};
use crate::web::state::AppState;

/// `PUT /api/admin/components/{id}/override`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinOverride {
    #[schema(value_type = ComponentStatusDoc, required = true)]
    pub status: Option<String>,
    /// Until when it holds (must be in the future); without it, until released.
    #[schema(format = DateTime)]
    pub until: Option<String>,
}

/// A pinned status; it beats every other source of a component's status.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverrideJson {
    pub component: String,
    #[schema(value_type = ComponentStatusDoc)]
    pub status: &'static str,
    pub until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<Override> for OverrideJson {
    fn from(o: Override) -> OverrideJson {
        OverrideJson {
            component: o.component,
            status: o.status.as_str(),
            until: o.until,
            created_at: o.created_at,
        }
    }
}

fn known_component(state: &AppState, id: &str) -> Result<(), ApiError> {
    if is_component(&state.config, id) {
        Ok(())
    } else {
        Err(ApiError::not_found("component", id))
    }
}

/// Pin a component's status (replacing any pin).
#[utoipa::path(put, path = "/api/admin/components/{id}/override", tag = "overrides",
    params(("id" = String, Path, description = "A configured component id")),
    request_body = PinOverride,
    responses(
        (status = 200, body = OverrideJson),
        (status = "4XX", description = "400, 401, 404, 413, 415 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(component = %id))]
pub async fn pin(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PinOverride>,
) -> Result<Json<OverrideJson>, ApiError> {
    known_component(&state, &id)?;
    let now = Utc::now();
    let mut p = Problems::default();
    let status = p
        .required("status", req.status)
        .and_then(|s| p.component_status("status", &s));
    let until = req.until.and_then(|t| p.time("until", &t));
    if until.is_some_and(|until| until <= now) {
        p.push("until", "must be in the future");
    }
    p.finish()?;
    let Some(status) = status else {
        return Err(ApiError::invalid("status", "is required"));
    };
    let pinned = state.store.set_override(&id, status, until, now).await?;
    Ok(Json(pinned.into()))
}

/// Release a pin.
#[utoipa::path(delete, path = "/api/admin/components/{id}/override", tag = "overrides",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Released"),
        (status = "4XX", description = "401, or 404 when there was no pin", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(component = %id))]
pub async fn release(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    known_component(&state, &id)?;
    state.store.clear_override(&id).await.map_err(|e| match e {
        crate::store::StoreError::NotFound => {
            ApiError::NotFound(format!("component {id:?} has no override"))
        }
        other => other.into(),
    })?;
    Ok(StatusCode::NO_CONTENT)
}
