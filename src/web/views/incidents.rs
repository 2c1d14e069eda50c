//! Page structs and view types of incidents and maintenances: the cards on
//! `/`, the history at `/incidents`, and the pages of one incident or one
//! maintenance. Like every view, everything is already formatted text;
//! operator Markdown arrives as [`SafeHtml`], the only thing printed `|safe`.

use askama::Template;

use super::common::{Layout, StatusView, TimeView};
use crate::web::markdown::SafeHtml;

/// An incident's impact, or "Maintenance": a coloured stripe plus words.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactView {
    /// One of: none, minor, major, critical, maintenance.
    pub class: &'static str,
    /// E.g. "Major impact" or "Maintenance".
    pub label: &'static str,
}

/// A planned window: start, end (date left out when on the same day), length.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowView {
    pub start: TimeView,
    pub end: TimeView,
    /// E.g. "2 hours 30 minutes".
    pub duration: String,
}

/// A component an update moved from one status to another.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeView {
    pub component: String,
    pub from: StatusView,
    pub to: StatusView,
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateView {
    /// The incident status this update set (Investigating, …, Resolved).
    pub status: StatusView,
    pub body: SafeHtml,
    pub at: TimeView,
    pub changes: Vec<ChangeView>,
}

/// An incident as a card on `/`.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentCard {
    /// `/incidents/{id}`.
    pub url: String,
    pub title: String,
    pub impact: ImpactView,
    pub status: StatusView,
    /// Names of the components it affects.
    pub components: Vec<String>,
    pub latest: Option<UpdateView>,
    pub created: TimeView,
    pub resolved: Option<TimeView>,
}

/// A maintenance as a card on `/` (and the head of its own page).
#[derive(Debug, Clone, PartialEq)]
pub struct MaintenanceCard {
    /// `/maintenances/{id}`.
    pub url: String,
    pub title: String,
    pub status: StatusView,
    pub window: WindowView,
    /// Names of the components it covers.
    pub components: Vec<String>,
    pub body: SafeHtml,
}

/// What explains a status now: open incidents, maintenance in progress and
/// upcoming (all from the snapshot). Shown on `/` right after the banner and
/// on `/components/{id}` for that component (SPEC §4).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurrentEvents {
    /// Open incidents, newest first.
    pub active: Vec<IncidentCard>,
    pub in_progress: Vec<MaintenanceCard>,
    /// Soonest first.
    pub upcoming: Vec<MaintenanceCard>,
}

/// Incidents and maintenance shown on `/` (all from the snapshot).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexEvents {
    pub current: CurrentEvents,
    /// Incidents resolved in the last 7 days, newest first.
    pub past: Vec<IncidentCard>,
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    pub url: String,
    pub title: String,
    pub impact: ImpactView,
    pub status: StatusView,
    /// When it began (incidents) or begins (maintenance).
    pub date: TimeView,
    pub components: Vec<String>,
}

/// History entries of one month in the site timezone.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthView {
    /// E.g. "November 2026".
    pub label: String,
    pub items: Vec<HistoryItem>,
}

/// Where the history's neighbouring pages are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    /// The page of newer entries, if any.
    pub newer: Option<String>,
    /// The page of older entries, if any.
    pub older: Option<String>,
}

/// `GET /incidents?page=N`.
#[derive(Debug, Template)]
#[template(path = "incidents.html")]
pub struct IncidentsPage {
    pub layout: Layout,
    pub months: Vec<MonthView>,
    pub pager: Pager,
}

/// An affected component with the status the incident sets for it.
#[derive(Debug, Clone, PartialEq)]
pub struct AffectedView {
    pub name: String,
    pub status: StatusView,
}

/// `GET /incidents/{id}`.
#[derive(Debug, Template)]
#[template(path = "incident.html")]
pub struct IncidentPage {
    pub layout: Layout,
    pub title: String,
    pub impact: ImpactView,
    pub status: StatusView,
    pub components: Vec<AffectedView>,
    /// Newest first.
    pub updates: Vec<UpdateView>,
    /// Opened by Beacon for a component's outage.
    pub automatic: bool,
    pub created: TimeView,
    pub resolved: Option<TimeView>,
    /// How long it lasted, once resolved, e.g. "1 hour 5 minutes".
    pub duration: Option<String>,
}

/// `GET /maintenances/{id}`.
#[derive(Debug, Template)]
#[template(path = "maintenance.html")]
pub struct MaintenancePage {
    pub layout: Layout,
    pub maintenance: MaintenanceCard,
    pub cancelled: Option<TimeView>,
    pub completed_early: Option<TimeView>,
}
