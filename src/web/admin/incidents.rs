//! `/api/admin/incidents`: open, list, read, post updates, edit, delete (SPEC §6).
//!
//! This file holds the handlers; the request and response bodies, and the
//! parsing of requests into domain values, are in [`wire`].

mod wire;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::Utc;

use super::{ListParams, by_id, path_id};
use crate::domain::IncidentId;
use crate::web::api_error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use crate::web::state::AppState;

use self::wire::{
    CreateIncident, CreateUpdate, EditIncident, IncidentJson, IncidentList, parse_edit, parse_new,
    parse_update,
};

/// Open an incident with its first update.
#[utoipa::path(post, path = "/api/admin/incidents", tag = "incidents",
    request_body = CreateIncident,
    responses(
        (status = 201, description = "Created", body = IncidentJson,
            headers(("Location" = String, description = "/api/admin/incidents/{id}"))),
        (status = "4XX", description = "400, 401, 413, 415 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<CreateIncident>,
) -> Result<impl IntoResponse, ApiError> {
    let new = parse_new(req, &state)?;
    let incident = state.store.create_incident(&new, Utc::now()).await?;
    let location = format!("/api/admin/incidents/{}", incident.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(IncidentJson::from(incident)),
    ))
}

/// List incidents, newest first.
#[utoipa::path(get, path = "/api/admin/incidents", tag = "incidents",
    params(ListParams),
    responses(
        (status = 200, body = IncidentList),
        (status = "4XX", description = "401 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<IncidentList>, ApiError> {
    let (limit, offset) = params.parse()?;
    let incidents = state.store.incidents(limit, offset).await?;
    Ok(Json(IncidentList {
        incidents: incidents.into_iter().map(IncidentJson::from).collect(),
    }))
}

/// Read one incident with its timeline.
#[utoipa::path(get, path = "/api/admin/incidents/{id}", tag = "incidents",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = IncidentJson),
        (status = "4XX", description = "401 or 404", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn read(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<IncidentJson>, ApiError> {
    let id = path_id("incident", &id, IncidentId::parse)?;
    let incident = by_id("incident", id.as_str(), state.store.incident(&id)).await?;
    Ok(Json(incident.into()))
}

/// Post an update; `resolved` closes the incident, any other status reopens it.
#[utoipa::path(post, path = "/api/admin/incidents/{id}/updates", tag = "incidents",
    params(("id" = String, Path)),
    request_body = CreateUpdate,
    responses(
        (status = 200, description = "The incident with its new update", body = IncidentJson),
        (status = "4XX", description = "400, 401, 404, 413, 415 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn add_update(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<CreateUpdate>,
) -> Result<Json<IncidentJson>, ApiError> {
    let update = parse_update(req, &state)?;
    let id = path_id("incident", &id, IncidentId::parse)?;
    let incident = by_id(
        "incident",
        id.as_str(),
        state.store.add_incident_update(&id, &update, Utc::now()),
    )
    .await?;
    Ok(Json(incident.into()))
}

/// Edit the title, impact or component statuses.
#[utoipa::path(patch, path = "/api/admin/incidents/{id}", tag = "incidents",
    params(("id" = String, Path)),
    request_body = EditIncident,
    responses(
        (status = 200, body = IncidentJson),
        (status = "4XX", description = "400, 401, 404, 413, 415 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn edit(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<EditIncident>,
) -> Result<Json<IncidentJson>, ApiError> {
    let edit = parse_edit(req, &state)?;
    let id = path_id("incident", &id, IncidentId::parse)?;
    let incident = by_id(
        "incident",
        id.as_str(),
        state.store.edit_incident(&id, &edit, Utc::now()),
    )
    .await?;
    Ok(Json(incident.into()))
}

/// Delete an incident and its timeline.
#[utoipa::path(delete, path = "/api/admin/incidents/{id}", tag = "incidents",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = "4XX", description = "401 or 404", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn delete(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id("incident", &id, IncidentId::parse)?;
    by_id("incident", id.as_str(), state.store.delete_incident(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
