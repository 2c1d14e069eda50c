//! Scheduled maintenance (SPEC §3, §6).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ComponentId, MaintenanceId};

/// Maintenance `status` (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceStatus {
    Scheduled,
    InProgress,
    Completed,
    Cancelled,
}

impl MaintenanceStatus {
    /// The enum value as text.
    pub fn as_str(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "scheduled",
            MaintenanceStatus::InProgress => "in_progress",
            MaintenanceStatus::Completed => "completed",
            MaintenanceStatus::Cancelled => "cancelled",
        }
    }

    /// Words for visitors.
    pub fn label(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "Scheduled",
            MaintenanceStatus::InProgress => "In progress",
            MaintenanceStatus::Completed => "Completed",
            MaintenanceStatus::Cancelled => "Cancelled",
        }
    }
}

/// A maintenance window as stored. Its status is derived from the window
/// and `now` (see [`crate::status::maintenance`]), so it moves
/// `scheduled → in_progress → completed` without any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    pub id: MaintenanceId,
    pub title: String,
    /// Operator Markdown.
    pub body: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Component ids, in id order.
    pub components: Vec<ComponentId>,
    /// Set when an operator completed it before `ends_at`.
    pub completed_early_at: Option<DateTime<Utc>>,
    /// Set when an operator cancelled it (kept in history as cancelled).
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new maintenance, validated (SPEC §6 `POST /api/admin/maintenances`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMaintenance {
    pub title: String,
    pub body: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub components: Vec<ComponentId>,
    /// `false`: posted without notifying subscribers (SPEC §6 `notify`).
    pub notify: bool,
}

/// Fields a `PATCH` changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaintenanceEdit {
    pub title: Option<String>,
    pub body: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub components: Option<Vec<ComponentId>>,
    /// `{status: "completed"}`: end it now.
    pub complete: bool,
}
