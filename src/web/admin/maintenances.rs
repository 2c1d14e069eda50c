//! `/api/admin/maintenances`: schedule, list, read, edit, end early, cancel (SPEC §6).
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
use crate::domain::MaintenanceId;
use crate::web::api_error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use crate::web::state::AppState;

use self::wire::{
    CreateMaintenance, EditMaintenance, MaintenanceJson, MaintenanceList, parse_edit, parse_new,
};

/// Schedule a maintenance.
#[utoipa::path(post, path = "/api/admin/maintenances", tag = "maintenances",
    request_body = CreateMaintenance,
    responses(
        (status = 201, description = "Created", body = MaintenanceJson,
            headers(("Location" = String, description = "/api/admin/maintenances/{id}"))),
        (status = "4XX", description = "400, 401, 413, 415 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<CreateMaintenance>,
) -> Result<impl IntoResponse, ApiError> {
    let new = parse_new(req, &state)?;
    let now = Utc::now();
    let m = state.store.create_maintenance(&new, now).await?;
    let location = format!("/api/admin/maintenances/{}", m.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(MaintenanceJson::new(m, now)),
    ))
}

/// List maintenances, newest start first.
#[utoipa::path(get, path = "/api/admin/maintenances", tag = "maintenances",
    params(ListParams),
    responses(
        (status = 200, body = MaintenanceList),
        (status = "4XX", description = "401 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<MaintenanceList>, ApiError> {
    let (limit, offset) = params.parse()?;
    let now = Utc::now();
    let maintenances = state
        .store
        .maintenances(limit, offset)
        .await?
        .into_iter()
        .map(|m| MaintenanceJson::new(m, now))
        .collect();
    Ok(Json(MaintenanceList { maintenances }))
}

/// Read one maintenance.
#[utoipa::path(get, path = "/api/admin/maintenances/{id}", tag = "maintenances",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = MaintenanceJson),
        (status = "4XX", description = "401 or 404", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn read(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<MaintenanceJson>, ApiError> {
    let id = path_id("maintenance", &id, MaintenanceId::parse)?;
    let m = by_id("maintenance", id.as_str(), state.store.maintenance(&id)).await?;
    Ok(Json(MaintenanceJson::new(m, Utc::now())))
}

/// Change any field, or end it now with `{"status": "completed"}`.
#[utoipa::path(patch, path = "/api/admin/maintenances/{id}", tag = "maintenances",
    params(("id" = String, Path)),
    request_body = EditMaintenance,
    responses(
        (status = 200, body = MaintenanceJson),
        (status = "4XX", description = "400, 401, 404, 413, 415 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn edit(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<EditMaintenance>,
) -> Result<Json<MaintenanceJson>, ApiError> {
    let id = path_id("maintenance", &id, MaintenanceId::parse)?;
    let current = by_id("maintenance", id.as_str(), state.store.maintenance(&id)).await?;
    let edit = parse_edit(req, &current, &state)?;
    let now = Utc::now();
    let m = by_id(
        "maintenance",
        id.as_str(),
        state.store.edit_maintenance(&id, &edit, now),
    )
    .await?;
    Ok(Json(MaintenanceJson::new(m, now)))
}

/// Cancel: kept in history and feeds as cancelled.
#[utoipa::path(delete, path = "/api/admin/maintenances/{id}", tag = "maintenances",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Cancelled"),
        (status = "4XX", description = "401 or 404", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id("maintenance", &id, MaintenanceId::parse)?;
    by_id(
        "maintenance",
        id.as_str(),
        state.store.cancel_maintenance(&id, Utc::now()),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
