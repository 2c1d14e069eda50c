//! OpenAPI schemas of the enum values the admin API takes and returns
//! (documentation only: requests parse strings into domain values).

use serde::Serialize;
use utoipa::ToSchema;

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
