//! A component: one service visitors see on the page (SPEC §2 `[[components]]`).

use super::ids::ComponentId;

/// One `[[components]]` entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub id: ComponentId,
    pub name: String,
    /// Optional group; components render grouped, in file order.
    pub group: Option<String>,
    pub description: Option<String>,
    /// When false, outages of this component open no automatic incident.
    pub auto_incidents: bool,
}

/// Statuspage's component statuses (SPEC §3), in serde's snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Operational,
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl ComponentStatus {
    /// Every value, mildest first.
    pub const ALL: [ComponentStatus; 5] = [
        ComponentStatus::Operational,
        ComponentStatus::UnderMaintenance,
        ComponentStatus::DegradedPerformance,
        ComponentStatus::PartialOutage,
        ComponentStatus::MajorOutage,
    ];

    /// The Statuspage enum value, e.g. `partial_outage`.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::UnderMaintenance => "under_maintenance",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
        }
    }

    /// Inverse of [`ComponentStatus::as_str`].
    pub fn parse(s: &str) -> Option<ComponentStatus> {
        ComponentStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Words for visitors, e.g. "Partial Outage".
    pub fn label(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "Operational",
            ComponentStatus::UnderMaintenance => "Under Maintenance",
            ComponentStatus::DegradedPerformance => "Degraded Performance",
            ComponentStatus::PartialOutage => "Partial Outage",
            ComponentStatus::MajorOutage => "Major Outage",
        }
    }

    /// How bad it is, for "the worse of two" (maintenance ranks just above operational).
    fn severity(self) -> u8 {
        match self {
            ComponentStatus::Operational => 0,
            ComponentStatus::UnderMaintenance => 1,
            ComponentStatus::DegradedPerformance => 2,
            ComponentStatus::PartialOutage => 3,
            ComponentStatus::MajorOutage => 4,
        }
    }

    /// The worse of two statuses.
    pub fn worst(self, other: ComponentStatus) -> ComponentStatus {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }
}
