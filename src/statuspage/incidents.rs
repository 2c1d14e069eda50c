//! Incident and scheduled-maintenance objects of API v2: `incidents[]`,
//! `scheduled_maintenances[]`, their `incident_updates[]` and
//! `affected_components[]`.
//!
//! A maintenance has no updates of its own in Beacon; its updates are its
//! lifecycle (scheduled, in progress, completed), derived from its window.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::builder::Builder;
use super::components::ComponentJson;
use super::time::api_time as api;
use crate::domain::{
    ComponentId, ComponentStatus, Incident, IncidentUpdate, Maintenance, MaintenanceStatus,
};
use crate::status;

/// An incident, or the incident part of a scheduled maintenance.
#[derive(Debug, Serialize)]
pub struct IncidentJson {
    pub id: String,
    pub page_id: String,
    pub name: String,
    pub status: &'static str,
    pub impact: &'static str,
    pub shortlink: String,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: String,
    pub monitoring_at: Option<String>,
    pub resolved_at: Option<String>,
    pub incident_updates: Vec<UpdateJson>,
    pub components: Vec<ComponentJson>,
}

/// A scheduled maintenance: the incident shape plus its window.
#[derive(Debug, Serialize)]
pub struct MaintenanceJson {
    #[serde(flatten)]
    pub incident: IncidentJson,
    pub scheduled_for: String,
    pub scheduled_until: String,
}

/// `incident_updates[]`.
#[derive(Debug, Serialize)]
pub struct UpdateJson {
    pub id: String,
    pub incident_id: String,
    pub status: &'static str,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub display_at: String,
    pub affected_components: Option<Vec<AffectedJson>>,
    /// Beacon notifies nobody itself (feeds are pulled), so always false.
    pub deliver_notifications: bool,
    pub custom_tweet: Option<String>,
    pub tweet_id: Option<String>,
}

/// `affected_components[]` of an update.
#[derive(Debug, Serialize)]
pub struct AffectedJson {
    pub code: String,
    pub name: String,
    pub old_status: &'static str,
    pub new_status: &'static str,
}

impl Builder<'_> {
    /// One incident with its updates, newest first.
    pub fn incident(&self, incident: &Incident) -> IncidentJson {
        let config = &self.snap.config;
        IncidentJson {
            id: incident.id.to_string(),
            page_id: self.page_id.clone(),
            name: incident.title.clone(),
            status: incident.status.as_str(),
            impact: incident.impact.as_str(),
            shortlink: self.link(&format!("/incidents/{}", incident.id)),
            created_at: api(config, incident.created_at),
            updated_at: api(config, incident.updated_at),
            started_at: api(config, incident.created_at),
            monitoring_at: incident.monitoring_at.map(|at| api(config, at)),
            resolved_at: incident.resolved_at.map(|at| api(config, at)),
            incident_updates: incident
                .updates
                .iter()
                .map(|u| self.update(incident.id.as_str(), u))
                .collect(),
            components: self.components_of(incident.components.iter().map(|(c, _)| c.as_str())),
        }
    }

    fn update(&self, incident_id: &str, update: &IncidentUpdate) -> UpdateJson {
        let affected = update
            .affected
            .iter()
            .map(|a| AffectedJson {
                code: a.component.to_string(),
                name: self
                    .snap
                    .config
                    .component_name(a.component.as_str())
                    .to_owned(),
                old_status: a.old_status.as_str(),
                new_status: a.new_status.as_str(),
            })
            .collect();
        self.update_json(
            update.id.clone(),
            incident_id,
            update.status.as_str(),
            update.body.clone(),
            update.created_at,
            affected,
        )
    }

    fn update_json(
        &self,
        id: String,
        incident_id: &str,
        status: &'static str,
        body: String,
        at: DateTime<Utc>,
        affected: Vec<AffectedJson>,
    ) -> UpdateJson {
        let at = api(&self.snap.config, at);
        UpdateJson {
            id,
            incident_id: incident_id.to_owned(),
            status,
            body,
            created_at: at.clone(),
            updated_at: at.clone(),
            display_at: at,
            affected_components: (!affected.is_empty()).then_some(affected),
            deliver_notifications: false,
            custom_tweet: None,
            tweet_id: None,
        }
    }

    /// One maintenance (not cancelled) in the incident shape; its updates
    /// are its lifecycle: scheduled at creation (when created before its
    /// start), in progress at its start, completed at its end.
    pub fn maintenance(&self, m: &Maintenance) -> MaintenanceJson {
        let config = &self.snap.config;
        let now = self.snap.built_at;
        let state = status::maintenance::status(m, now);
        let completed = status::maintenance::completed_at(m, now);
        let started = status::maintenance::started_at(m, now);
        let moved = |old: ComponentStatus, new: ComponentStatus| -> Vec<AffectedJson> {
            m.components
                .iter()
                .map(|c| AffectedJson {
                    code: c.to_string(),
                    name: config.component_name(c.as_str()).to_owned(),
                    old_status: old.as_str(),
                    new_status: new.as_str(),
                })
                .collect()
        };
        let body = if m.body.trim().is_empty() {
            m.title.clone()
        } else {
            m.body.clone()
        };
        let mut updates = Vec::new();
        if let Some(end) = completed {
            updates.push(self.update_json(
                format!("{}-completed", m.id),
                m.id.as_str(),
                "completed",
                "The scheduled maintenance has been completed.".to_owned(),
                end,
                moved(
                    ComponentStatus::UnderMaintenance,
                    ComponentStatus::Operational,
                ),
            ));
        }
        if started.is_some() {
            let text = if m.created_at >= m.starts_at {
                body.clone()
            } else {
                "Scheduled maintenance is currently in progress.".to_owned()
            };
            updates.push(self.update_json(
                format!("{}-in_progress", m.id),
                m.id.as_str(),
                "in_progress",
                text,
                m.starts_at,
                moved(
                    ComponentStatus::Operational,
                    ComponentStatus::UnderMaintenance,
                ),
            ));
        }
        if m.created_at < m.starts_at || started.is_none() {
            updates.push(self.update_json(
                format!("{}-scheduled", m.id),
                m.id.as_str(),
                "scheduled",
                body,
                m.created_at.min(m.starts_at),
                Vec::new(),
            ));
        }
        let latest = [m.updated_at, m.created_at]
            .into_iter()
            .chain(completed)
            .chain(started)
            .max()
            .unwrap_or(m.updated_at);
        let maintenance_status = match state {
            MaintenanceStatus::Scheduled => "scheduled",
            MaintenanceStatus::InProgress => "in_progress",
            // Cancelled ones are filtered out before; should one slip
            // through, it has ended as far as a client can tell.
            MaintenanceStatus::Completed | MaintenanceStatus::Cancelled => "completed",
        };
        MaintenanceJson {
            incident: IncidentJson {
                id: m.id.to_string(),
                page_id: self.page_id.clone(),
                name: m.title.clone(),
                status: maintenance_status,
                impact: "maintenance",
                shortlink: self.link(&format!("/maintenances/{}", m.id)),
                created_at: api(config, m.created_at),
                updated_at: api(config, latest),
                started_at: api(config, m.starts_at),
                monitoring_at: None,
                resolved_at: completed.map(|end| api(config, end)),
                incident_updates: updates,
                components: self.components_of(m.components.iter().map(ComponentId::as_str)),
            },
            scheduled_for: api(config, m.starts_at),
            scheduled_until: api(config, m.ends_at),
        }
    }
}
