//! The payloads of Statuspage's public API v2, field for field
//! (`shared/statuspage-v2.md`), built from the snapshot.
//!
//! Values Beacon has no source for are fixed so that bytes (and ETags)
//! change only when data does:
//! - `page.id`: 12 base36 characters of a SHA-256 of `site.url` (or of
//!   `site.title` when no URL is set); `page.url` and `shortlink`s are
//!   absolute: under `site.url`, else under the bound address (as in feeds).
//! - Group rows: id `group-{slug of the name}` (a `-2`, `-3`… suffix if two
//!   groups or a component share it), `description` null, `showcase` false,
//!   `start_date` null, status the worst of their children.
//! - `position`: 1-based order within its level (top level: groups and
//!   ungrouped components in page order; inside a group: file order).
//! - `showcase` true (every component has an uptime bar), `only_show_if_degraded` false.
//! - `start_date`: the first day with a check result (rollups are kept
//!   forever); `created_at`: that day's start in the site timezone;
//!   `updated_at`: the latest check result. Before any result, both are the
//!   time the server process started and `start_date` is null.
//! - Components with no data report `operational` (Statuspage has no unknown).
//!
//! This file holds the endpoints and the envelope; `page`, `status` and the
//! [`Builder`] are in [`builder`], the component rows in [`components`],
//! incidents and maintenances in [`incidents`]. The serde shapes live beside their builder.

mod builder;
mod components;
mod incidents;

use serde::Serialize;

use crate::domain::{Incident, Maintenance, MaintenanceStatus};
use crate::status;

pub use self::builder::{Builder, PageJson, StatusJson, page_id};
pub use self::components::ComponentJson;
pub use self::incidents::{AffectedJson, IncidentJson, MaintenanceJson, UpdateJson};

/// The eight API v2 paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Summary,
    Status,
    Components,
    Incidents,
    Unresolved,
    Maintenances,
    Upcoming,
    Active,
}

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Endpoint; 8] = [
        Endpoint::Summary,
        Endpoint::Status,
        Endpoint::Components,
        Endpoint::Incidents,
        Endpoint::Unresolved,
        Endpoint::Maintenances,
        Endpoint::Upcoming,
        Endpoint::Active,
    ];

    /// Its path.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Summary => "/api/v2/summary.json",
            Endpoint::Status => "/api/v2/status.json",
            Endpoint::Components => "/api/v2/components.json",
            Endpoint::Incidents => "/api/v2/incidents.json",
            Endpoint::Unresolved => "/api/v2/incidents/unresolved.json",
            Endpoint::Maintenances => "/api/v2/scheduled-maintenances.json",
            Endpoint::Upcoming => "/api/v2/scheduled-maintenances/upcoming.json",
            Endpoint::Active => "/api/v2/scheduled-maintenances/active.json",
        }
    }
}

/// The history lists behind two endpoints, loaded from the store.
#[derive(Debug, Default)]
pub struct History {
    /// For [`Endpoint::Incidents`]: the 50 newest incidents.
    pub incidents: Vec<Incident>,
    /// For [`Endpoint::Maintenances`]: the 50 most recent, not cancelled.
    pub maintenances: Vec<Maintenance>,
}

/// The payload of `endpoint` (selection rules of statuspage-v2.md §1).
pub fn envelope(builder: &Builder<'_>, endpoint: Endpoint, history: &History) -> Envelope {
    let snap = builder.snap;
    let mut envelope = Envelope {
        page: builder.page(),
        status: None,
        components: None,
        incidents: None,
        scheduled_maintenances: None,
    };
    let maintenances = |wanted: &[MaintenanceStatus]| {
        snap.maintenances
            .iter()
            .filter(|m| wanted.contains(&status::maintenance::status(m, snap.built_at)))
            .map(|m| builder.maintenance(m))
            .collect()
    };
    let unresolved = || snap.open_incidents().map(|i| builder.incident(i)).collect();
    match endpoint {
        Endpoint::Summary => {
            envelope.status = Some(builder.status());
            envelope.components = Some(builder.components());
            envelope.incidents = Some(unresolved());
            envelope.scheduled_maintenances = Some(maintenances(&[
                MaintenanceStatus::InProgress,
                MaintenanceStatus::Scheduled,
            ]));
        }
        Endpoint::Status => envelope.status = Some(builder.status()),
        Endpoint::Components => envelope.components = Some(builder.components()),
        Endpoint::Unresolved => envelope.incidents = Some(unresolved()),
        Endpoint::Incidents => {
            let all = history.incidents.iter().map(|i| builder.incident(i));
            envelope.incidents = Some(all.collect());
        }
        Endpoint::Maintenances => {
            let all = history.maintenances.iter().map(|m| builder.maintenance(m));
            envelope.scheduled_maintenances = Some(all.collect());
        }
        Endpoint::Upcoming => {
            envelope.scheduled_maintenances = Some(maintenances(&[MaintenanceStatus::Scheduled]));
        }
        Endpoint::Active => {
            envelope.scheduled_maintenances = Some(maintenances(&[MaintenanceStatus::InProgress]));
        }
    }
    envelope
}

/// Every response: a `page` and whichever lists the endpoint returns.
#[derive(Debug, Serialize)]
pub struct Envelope {
    pub page: PageJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<ComponentJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incidents: Option<Vec<IncidentJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_maintenances: Option<Vec<MaintenanceJson>>,
}
