//! Incidents and their updates (SPEC §6), with Statuspage's enum values.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::component::ComponentStatus;
use super::ids::{ComponentId, IncidentId};

/// Incident `status` (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

/// Incident `impact` (SPEC §6), mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    None,
    Minor,
    Major,
    Critical,
}

macro_rules! str_enum {
    ($ty:ty { $($variant:ident => $text:literal,)* } $label:ident { $($lv:ident => $ltext:literal,)* }) => {
        impl $ty {
            /// The enum value as text, e.g. for storage.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text,)* }
            }

            /// Inverse of `as_str`.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)* _ => None }
            }

            /// Words for visitors.
            pub fn $label(self) -> &'static str {
                match self { $(Self::$lv => $ltext,)* }
            }
        }
    };
}

str_enum!(IncidentStatus {
    Investigating => "investigating",
    Identified => "identified",
    Monitoring => "monitoring",
    Resolved => "resolved",
} label {
    Investigating => "Investigating",
    Identified => "Identified",
    Monitoring => "Monitoring",
    Resolved => "Resolved",
});

str_enum!(Impact {
    None => "none",
    Minor => "minor",
    Major => "major",
    Critical => "critical",
} label {
    None => "None",
    Minor => "Minor",
    Major => "Major",
    Critical => "Critical",
});

/// A component whose status an update changed (Statuspage `affected_components`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedComponent {
    pub component: ComponentId,
    pub old_status: ComponentStatus,
    pub new_status: ComponentStatus,
}

/// One entry in an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentUpdate {
    pub id: String,
    pub status: IncidentStatus,
    /// Operator Markdown.
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub affected: Vec<AffectedComponent>,
}

/// An incident with its timeline, newest update first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: IncidentId,
    pub title: String,
    pub status: IncidentStatus,
    pub impact: Impact,
    /// The status it currently sets for each affected component, in id order.
    pub components: Vec<(ComponentId, ComponentStatus)>,
    /// Set when Beacon opened it for this component's outage.
    pub auto_component: Option<ComponentId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub monitoring_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub updates: Vec<IncidentUpdate>,
}

impl Incident {
    /// Not yet resolved.
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }

    /// The latest update, if any.
    pub fn latest_update(&self) -> Option<&IncidentUpdate> {
        self.updates.first()
    }
}

/// A new incident, validated (SPEC §6 `POST /api/admin/incidents`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub title: String,
    pub status: IncidentStatus,
    pub impact: Impact,
    pub body: String,
    pub components: Vec<(ComponentId, ComponentStatus)>,
    pub auto_component: Option<ComponentId>,
    /// `false`: posted without notifying subscribers (SPEC §6 `notify`).
    pub notify: bool,
}

/// A new update, validated (SPEC §6 `POST /api/admin/incidents/{id}/updates`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpdate {
    pub status: IncidentStatus,
    pub body: String,
    /// Components whose status this update sets (merged into the incident's).
    pub components: Vec<(ComponentId, ComponentStatus)>,
    /// A new impact, if the update changes it.
    pub impact: Option<Impact>,
    /// `false`: posted without notifying subscribers (SPEC §6 `notify`).
    pub notify: bool,
}

/// Fields an edit changes; `None` leaves a field as it is (SPEC §6 `PATCH`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentEdit {
    pub title: Option<String>,
    pub impact: Option<Impact>,
    pub components: Option<Vec<(ComponentId, ComponentStatus)>>,
}
