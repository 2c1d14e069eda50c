//! Statuses as pages show them: class, label and icon, never colour alone
//! (components, checks, incidents, maintenances), impacts as stripe and
//! words, and the overall banner.

use crate::domain::{Impact, IncidentStatus, MaintenanceStatus};
use crate::status::overall::Headline;
use crate::status::{CheckState, ComponentStatus, Freshness, Indicator};
use crate::web::views::{BannerView, ImpactView, StatusView};

/// The overall banner for the snapshot's headline, which says when data
/// is missing rather than showing a green it cannot vouch for.
pub fn banner(headline: Headline) -> BannerView {
    let indicator = match headline {
        Headline::Stale => {
            return BannerView {
                class: "unknown",
                icon: "?",
                text: "Monitoring Data Is Stale",
            };
        }
        Headline::NoData => {
            return BannerView {
                class: "unknown",
                icon: "?",
                text: "Waiting for the First Check Results",
            };
        }
        Headline::Indicator(indicator) => indicator,
    };
    let icon = match indicator {
        Indicator::None => "✓",
        Indicator::Maintenance => "⚒",
        Indicator::Minor => "!",
        Indicator::Major | Indicator::Critical => "✕",
    };
    BannerView {
        class: indicator.as_str(),
        icon,
        text: indicator.description(),
    }
}

/// A component's status, or "No Data" / "Stale Data" when the monitor cannot vouch for it.
pub fn component(status: ComponentStatus, freshness: Freshness) -> StatusView {
    match freshness {
        Freshness::NoData => {
            return StatusView {
                class: "nodata",
                label: "No Data",
                icon: "?",
            };
        }
        Freshness::Stale => {
            return StatusView {
                class: "stale",
                label: "Stale Data",
                icon: "?",
            };
        }
        Freshness::Fresh => {}
    }
    let (class, icon) = match status {
        ComponentStatus::Operational => ("operational", "✓"),
        ComponentStatus::UnderMaintenance => ("maintenance", "⚒"),
        ComponentStatus::DegradedPerformance => ("degraded", "!"),
        ComponentStatus::PartialOutage => ("partial", "✕"),
        ComponentStatus::MajorOutage => ("major", "✕"),
    };
    StatusView {
        class,
        label: status.label(),
        icon,
    }
}

/// A check's state, or "No Data" / "Stale Data".
pub fn check(state: Option<CheckState>, freshness: Freshness) -> StatusView {
    match (freshness, state) {
        (Freshness::NoData, _) | (_, None) => StatusView {
            class: "nodata",
            label: "No Data",
            icon: "?",
        },
        (Freshness::Stale, _) => StatusView {
            class: "stale",
            label: "Stale Data",
            icon: "?",
        },
        (Freshness::Fresh, Some(CheckState::Up)) => StatusView {
            class: "operational",
            label: "Up",
            icon: "✓",
        },
        (Freshness::Fresh, Some(CheckState::Degraded)) => StatusView {
            class: "degraded",
            label: "Degraded",
            icon: "!",
        },
        (Freshness::Fresh, Some(CheckState::Down)) => StatusView {
            class: "major",
            label: "Down",
            icon: "✕",
        },
    }
}

/// The impact stripe of a maintenance in the history list.
pub const MAINTENANCE: ImpactView = ImpactView {
    class: "maintenance",
    label: "Maintenance",
};

/// An incident's impact stripe.
pub fn impact(impact: Impact) -> ImpactView {
    match impact {
        Impact::None => ImpactView {
            class: "none",
            label: "No impact",
        },
        Impact::Minor => ImpactView {
            class: "minor",
            label: "Minor impact",
        },
        Impact::Major => ImpactView {
            class: "major",
            label: "Major impact",
        },
        Impact::Critical => ImpactView {
            class: "critical",
            label: "Critical impact",
        },
    }
}

/// An incident's status.
pub fn incident(s: IncidentStatus) -> StatusView {
    let (class, icon) = match s {
        IncidentStatus::Investigating => ("investigating", "?"),
        IncidentStatus::Identified => ("identified", "!"),
        IncidentStatus::Monitoring => ("monitoring", "…"),
        IncidentStatus::Resolved => ("resolved", "✓"),
    };
    StatusView {
        class,
        label: s.label(),
        icon,
    }
}

/// A maintenance's status.
pub fn maintenance(s: MaintenanceStatus) -> StatusView {
    let (class, icon) = match s {
        MaintenanceStatus::Scheduled => ("scheduled", "→"),
        MaintenanceStatus::InProgress => ("maintenance", "⚒"),
        MaintenanceStatus::Completed => ("resolved", "✓"),
        MaintenanceStatus::Cancelled => ("cancelled", "✕"),
    };
    StatusView {
        class,
        label: s.label(),
        icon,
    }
}
