//! The endpoints of Statuspage's public API v2: which objects each path
//! returns (statuspage-v2.md §1). The objects' shapes are in
//! [`crate::statuspage`], shared with the webhook bodies of SPEC §8.

use serde::Serialize;

use crate::domain::{Incident, Maintenance, MaintenanceStatus};
use crate::status;

pub use crate::statuspage::{
    AffectedJson, Builder, ComponentJson, IncidentJson, MaintenanceJson, PageJson, StatusJson,
    UpdateJson, page_id,
};

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
    let snap = builder.snapshot();
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
