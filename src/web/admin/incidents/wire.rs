//! Request and response bodies of `/api/admin/incidents`, their OpenAPI
//! schemas, and the parsing of requests into domain values (every bad field
//! named, via [`Problems`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Incident, IncidentEdit, IncidentUpdate, NewIncident, NewUpdate};
use crate::web::admin::schema::{ComponentStatusDoc, ImpactDoc, IncidentStatusDoc};
use crate::web::admin::validate::Problems;
use crate::web::api_error::ApiError;
use crate::web::state::AppState;

/// `POST /api/admin/incidents`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateIncident {
    /// 1–200 characters, one line.
    #[schema(example = "Elevated API errors", value_type = String, required = true, min_length = 1)]
    pub title: Option<String>,
    #[schema(value_type = IncidentStatusDoc, required = true)]
    pub status: Option<String>,
    #[schema(value_type = ImpactDoc, required = true)]
    pub impact: Option<String>,
    /// Markdown of the first update, 1–20,000 characters.
    #[schema(value_type = String, required = true, min_length = 1)]
    pub body: Option<String>,
    /// Status this incident sets for each affected component (at most 100).
    #[schema(value_type = Option<BTreeMap<String, ComponentStatusDoc>>, example = json!({"api": "partial_outage"}))]
    pub components: Option<BTreeMap<String, String>>,
    /// `false`: post it without notifying subscribers (default `true`).
    #[schema(default = true)]
    pub notify: Option<bool>,
}

/// `POST /api/admin/incidents/{id}/updates`; `resolved` closes the incident.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUpdate {
    #[schema(value_type = IncidentStatusDoc, required = true)]
    pub status: Option<String>,
    /// Markdown, 1–20,000 characters.
    #[schema(value_type = String, required = true, min_length = 1)]
    pub body: Option<String>,
    /// Component statuses to change (merged into the incident's).
    #[schema(value_type = Option<BTreeMap<String, ComponentStatusDoc>>)]
    pub components: Option<BTreeMap<String, String>>,
    /// A new impact, if it changes.
    #[schema(value_type = Option<ImpactDoc>)]
    pub impact: Option<String>,
    /// `false`: post it without notifying subscribers (default `true`).
    #[schema(default = true)]
    pub notify: Option<bool>,
}

/// `PATCH /api/admin/incidents/{id}`: change the title, impact or component
/// statuses (`components` replaces the whole map). Status moves by updates.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditIncident {
    #[schema(min_length = 1)]
    pub title: Option<String>,
    #[schema(value_type = Option<ImpactDoc>)]
    pub impact: Option<String>,
    #[schema(value_type = Option<BTreeMap<String, ComponentStatusDoc>>)]
    pub components: Option<BTreeMap<String, String>>,
}

/// A component an update changed (Statuspage `affected_components`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AffectedJson {
    pub component: String,
    #[schema(value_type = ComponentStatusDoc)]
    pub old_status: &'static str,
    #[schema(value_type = ComponentStatusDoc)]
    pub new_status: &'static str,
}

/// One entry of an incident's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateJson {
    pub id: String,
    #[schema(value_type = IncidentStatusDoc)]
    pub status: &'static str,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub affected_components: Vec<AffectedJson>,
}

/// An incident as the API returns it; `updates` newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentJson {
    pub id: String,
    pub title: String,
    #[schema(value_type = IncidentStatusDoc)]
    pub status: &'static str,
    #[schema(value_type = ImpactDoc)]
    pub impact: &'static str,
    /// The status it currently sets for each affected component.
    #[schema(value_type = BTreeMap<String, ComponentStatusDoc>)]
    pub components: BTreeMap<String, &'static str>,
    /// The component whose outage made Beacon open it, if Beacon did.
    pub auto_component: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub monitoring_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub updates: Vec<UpdateJson>,
}

impl From<IncidentUpdate> for UpdateJson {
    fn from(u: IncidentUpdate) -> UpdateJson {
        UpdateJson {
            id: u.id,
            status: u.status.as_str(),
            body: u.body,
            created_at: u.created_at,
            affected_components: u
                .affected
                .into_iter()
                .map(|a| AffectedJson {
                    component: a.component.to_string(),
                    old_status: a.old_status.as_str(),
                    new_status: a.new_status.as_str(),
                })
                .collect(),
        }
    }
}

impl From<Incident> for IncidentJson {
    fn from(i: Incident) -> IncidentJson {
        IncidentJson {
            id: i.id.to_string(),
            title: i.title,
            status: i.status.as_str(),
            impact: i.impact.as_str(),
            components: i
                .components
                .into_iter()
                .map(|(c, s)| (c.to_string(), s.as_str()))
                .collect(),
            auto_component: i.auto_component.map(|c| c.to_string()),
            created_at: i.created_at,
            updated_at: i.updated_at,
            monitoring_at: i.monitoring_at,
            resolved_at: i.resolved_at,
            updates: i.updates.into_iter().map(UpdateJson::from).collect(),
        }
    }
}

/// `{"incidents": [...]}`, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentList {
    pub incidents: Vec<IncidentJson>,
}

pub(super) fn parse_new(req: CreateIncident, state: &AppState) -> Result<NewIncident, ApiError> {
    let config = &state.config;
    let mut p = Problems::default();
    let title = p
        .required("title", req.title)
        .and_then(|t| p.title("title", t));
    let status = p
        .required("status", req.status)
        .and_then(|s| p.incident_status("status", &s));
    let impact = p
        .required("impact", req.impact)
        .and_then(|s| p.impact("impact", &s));
    let body = p
        .required("body", req.body)
        .and_then(|b| p.body("body", b, true));
    let components = p.component_statuses("components", req.components.unwrap_or_default(), config);
    p.finish()?;
    match (title, status, impact, body, components) {
        (Some(title), Some(status), Some(impact), Some(body), Some(components)) => {
            Ok(NewIncident {
                title: title.into(),
                status,
                impact,
                body: body.into(),
                components,
                auto_component: None,
                notify: req.notify.unwrap_or(true),
            })
        }
        _ => Err(ApiError::invalid("body", "invalid incident")),
    }
}

pub(super) fn parse_update(req: CreateUpdate, state: &AppState) -> Result<NewUpdate, ApiError> {
    let config = &state.config;
    let mut p = Problems::default();
    let status = p
        .required("status", req.status)
        .and_then(|s| p.incident_status("status", &s));
    let body = p
        .required("body", req.body)
        .and_then(|b| p.body("body", b, true));
    let components = p.component_statuses("components", req.components.unwrap_or_default(), config);
    let impact = req.impact.map(|s| p.impact("impact", &s));
    p.finish()?;
    match (status, body, components, impact) {
        (Some(status), Some(body), Some(components), impact) => Ok(NewUpdate {
            status,
            body: body.into(),
            components,
            impact: impact.flatten(),
            notify: req.notify.unwrap_or(true),
        }),
        _ => Err(ApiError::invalid("body", "invalid update")),
    }
}

pub(super) fn parse_edit(req: EditIncident, state: &AppState) -> Result<IncidentEdit, ApiError> {
    let config = &state.config;
    let mut p = Problems::default();
    let edit = IncidentEdit {
        title: req
            .title
            .and_then(|t| p.title("title", t))
            .map(String::from),
        impact: req.impact.and_then(|s| p.impact("impact", &s)),
        components: req
            .components
            .and_then(|c| p.component_statuses("components", c, config)),
    };
    p.finish()?;
    Ok(edit)
}
