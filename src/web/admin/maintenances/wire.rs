//! Request and response bodies of `/api/admin/maintenances`, their OpenAPI
//! schemas, and the parsing of requests into domain values (every bad field
//! named, via [`Problems`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{ComponentId, Maintenance, MaintenanceEdit, MaintenanceStatus, NewMaintenance};
use crate::status;
use crate::web::admin::schema::MaintenanceStatusDoc;
use crate::web::admin::validate::Problems;
use crate::web::api_error::ApiError;
use crate::web::state::AppState;

/// `POST /api/admin/maintenances`. A window may start (and end) in the past.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMaintenance {
    /// 1–200 characters, one line.
    #[schema(example = "Database upgrade", value_type = String, required = true, min_length = 1)]
    pub title: Option<String>,
    /// Markdown, at most 20,000 characters.
    pub body: Option<String>,
    #[schema(format = DateTime, example = "2026-11-24T22:00:00Z", value_type = String, required = true)]
    pub starts_at: Option<String>,
    /// Must be after `starts_at`.
    #[schema(format = DateTime, example = "2026-11-24T23:00:00Z", value_type = String, required = true)]
    pub ends_at: Option<String>,
    /// Ids of configured components, at most 100.
    #[schema(example = json!(["api"]))]
    pub components: Option<Vec<String>>,
    /// `false`: announce it to nobody (no subscriber hears of its
    /// schedule, start, end or cancellation; default `true`).
    #[schema(default = true)]
    pub notify: Option<bool>,
}

/// `PATCH /api/admin/maintenances/{id}`: any field; `status: "completed"` ends it now.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditMaintenance {
    #[schema(min_length = 1)]
    pub title: Option<String>,
    pub body: Option<String>,
    #[schema(format = DateTime)]
    pub starts_at: Option<String>,
    #[schema(format = DateTime)]
    pub ends_at: Option<String>,
    pub components: Option<Vec<String>>,
    /// Only `completed` (end it now); cancel with `DELETE`.
    #[schema(example = "completed")]
    pub status: Option<String>,
}

/// A maintenance as the API returns it; `status` is derived from the window and now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaintenanceJson {
    #[schema(example = "k3v9x0a1b2c3")]
    pub id: String,
    pub title: String,
    pub body: String,
    #[schema(value_type = MaintenanceStatusDoc)]
    pub status: &'static str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Component ids.
    pub components: Vec<String>,
    /// Set when an operator ended it before `ends_at`.
    pub completed_early_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MaintenanceJson {
    pub fn new(m: Maintenance, now: DateTime<Utc>) -> MaintenanceJson {
        MaintenanceJson {
            status: status::maintenance::status(&m, now).as_str(),
            id: m.id.to_string(),
            title: m.title,
            body: m.body,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            components: m.components.iter().map(ComponentId::to_string).collect(),
            completed_early_at: m.completed_early_at,
            cancelled_at: m.cancelled_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// `{"maintenances": [...]}`, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaintenanceList {
    pub maintenances: Vec<MaintenanceJson>,
}

pub(super) fn parse_new(
    req: CreateMaintenance,
    state: &AppState,
) -> Result<NewMaintenance, ApiError> {
    let config = &state.config;
    let mut p = Problems::default();
    let title = p
        .required("title", req.title)
        .and_then(|t| p.title("title", t));
    let body = p.body("body", req.body.unwrap_or_default(), false);
    let starts_at = p
        .required("starts_at", req.starts_at)
        .and_then(|t| p.time("starts_at", &t));
    let ends_at = p
        .required("ends_at", req.ends_at)
        .and_then(|t| p.time("ends_at", &t));
    let components = p.component_ids("components", req.components.unwrap_or_default(), config);
    let window = match (starts_at, ends_at) {
        (Some(start), Some(end)) => p.window(start, end, true),
        _ => None,
    };
    p.finish()?;
    match (title, body, window, components) {
        (Some(title), Some(body), Some(window), Some(components)) => Ok(NewMaintenance {
            title: title.into(),
            body: body.into(),
            starts_at: window.starts_at(),
            ends_at: window.ends_at(),
            components,
            notify: req.notify.unwrap_or(true),
        }),
        _ => Err(ApiError::invalid("body", "invalid maintenance")),
    }
}

pub(super) fn parse_edit(
    req: EditMaintenance,
    current: &Maintenance,
    state: &AppState,
) -> Result<MaintenanceEdit, ApiError> {
    let config = &state.config;
    let mut p = Problems::default();
    let mut edit = MaintenanceEdit {
        title: req
            .title
            .and_then(|t| p.title("title", t))
            .map(String::from),
        body: req
            .body
            .and_then(|b| p.body("body", b, false))
            .map(String::from),
        starts_at: req.starts_at.and_then(|t| p.time("starts_at", &t)),
        ends_at: req.ends_at.and_then(|t| p.time("ends_at", &t)),
        components: req
            .components
            .and_then(|c| p.component_ids("components", c, config)),
        complete: false,
    };
    if let Some(status) = req.status {
        if status == MaintenanceStatus::Completed.as_str() {
            if current.cancelled_at.is_some() {
                p.push("status", "the maintenance is cancelled");
            }
            edit.complete = true;
        } else {
            p.push(
                "status",
                format!(
                    "{:?} cannot be set: only \"completed\" (end it now); DELETE cancels",
                    status.chars().take(40).collect::<String>()
                ),
            );
        }
    }
    p.window(
        edit.starts_at.unwrap_or(current.starts_at),
        edit.ends_at.unwrap_or(current.ends_at),
        edit.ends_at.is_some(),
    );
    p.finish()?;
    Ok(edit)
}
