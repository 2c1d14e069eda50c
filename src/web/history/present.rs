//! Domain → view for the history pages: incidents, maintenances and history
//! entries become the page structs and cards of [`crate::web::incident_views`]
//! (single values, such as times and statuses, are worded by [`super::format`]).
//! No I/O: the handlers in [`super`] load the data and render what these build.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{Incident, IncidentUpdate, Maintenance, MaintenanceStatus};
use crate::model::Snapshot;
use crate::status::{self, Freshness};
use crate::store::HistoryEntry;
use crate::web::incident_views::{
    AffectedView, ChangeView, CurrentEvents, HistoryItem, IncidentCard, IncidentPage,
    IncidentsPage, IndexEvents, MaintenanceCard, MaintenancePage, MonthView, Pager, UpdateView,
};
use crate::web::markdown;
use crate::web::pages::{component_status_view, layout};

use super::format::{
    MAINTENANCE, duration_words, impact_view, incident_status_view, maintenance_status_view,
    minute_view, window_view,
};

/// `/incidents?page=N`: one page of history, `path` being its canonical URL.
pub(super) fn incidents_page(
    config: &Config,
    entries: &[HistoryEntry],
    page: u64,
    pages: u64,
    path: &str,
    now: DateTime<Utc>,
) -> IncidentsPage {
    IncidentsPage {
        layout: layout(
            config,
            format!("Incident history · {}", config.site.title),
            path,
        ),
        months: months(config, entries, now),
        pager: Pager {
            page,
            pages,
            newer: (page > 1).then(|| page_url(page - 1)),
            older: (page < pages).then(|| page_url(page + 1)),
        },
    }
}

/// `/incidents/{id}`.
pub(super) fn incident_page(config: &Config, incident: &Incident, path: &str) -> IncidentPage {
    IncidentPage {
        layout: layout(
            config,
            format!("{} · {}", incident.title, config.site.title),
            path,
        ),
        title: incident.title.clone(),
        impact: impact_view(incident.impact),
        status: incident_status_view(incident.status),
        components: incident
            .components
            .iter()
            .map(|(c, s)| AffectedView {
                name: component_name(config, c),
                status: component_status_view(*s, Freshness::Fresh),
            })
            .collect(),
        updates: incident
            .updates
            .iter()
            .map(|u| update_view(config, u))
            .collect(),
        automatic: incident.auto_component.is_some(),
        created: minute_view(config, incident.created_at),
        resolved: incident.resolved_at.map(|t| minute_view(config, t)),
        duration: incident
            .resolved_at
            .map(|t| duration_words(t - incident.created_at)),
    }
}

/// `/maintenances/{id}`, its status as of `now`.
pub(super) fn maintenance_page(
    config: &Config,
    m: &Maintenance,
    path: &str,
    now: DateTime<Utc>,
) -> MaintenancePage {
    MaintenancePage {
        layout: layout(config, format!("{} · {}", m.title, config.site.title), path),
        maintenance: maintenance_card(config, m, now),
        cancelled: m.cancelled_at.map(|t| minute_view(config, t)),
        completed_early: m
            .completed_early_at
            .filter(|t| *t < m.ends_at && m.cancelled_at.is_none())
            .map(|t| minute_view(config, t)),
    }
}

/// Incidents and maintenance for `/`, from the snapshot alone.
pub fn index_events(snap: &Snapshot) -> IndexEvents {
    IndexEvents {
        current: current_events(snap, None),
        past: snap
            .incidents
            .iter()
            .filter(|i| !i.is_open())
            .map(|i| incident_card(&snap.config, i))
            .collect(),
    }
}

/// Open incidents and in-progress and upcoming maintenance, from the
/// snapshot alone: all of them, or those concerning `component`.
pub fn current_events(snap: &Snapshot, component: Option<&str>) -> CurrentEvents {
    let (config, now) = (&snap.config, snap.built_at);
    let maintenances = |status| -> Vec<MaintenanceCard> {
        snap.maintenances_in(status)
            .filter(|m| component.is_none_or(|w| m.components.iter().any(|c| c == w)))
            .map(|m| maintenance_card(config, m, now))
            .collect()
    };
    CurrentEvents {
        active: snap
            .open_incidents()
            .filter(|i| component.is_none_or(|w| i.components.iter().any(|(c, _)| c == w)))
            .map(|i| incident_card(config, i))
            .collect(),
        in_progress: maintenances(MaintenanceStatus::InProgress),
        upcoming: maintenances(MaintenanceStatus::Scheduled),
    }
}

fn page_url(page: u64) -> String {
    if page == 1 {
        "/incidents".to_owned()
    } else {
        format!("/incidents?page={page}")
    }
}

/// History entries grouped by month (site timezone), keeping their order.
fn months(config: &Config, entries: &[HistoryEntry], now: DateTime<Utc>) -> Vec<MonthView> {
    let mut months: Vec<MonthView> = Vec::new();
    for entry in entries {
        let (item, at) = match entry {
            HistoryEntry::Incident(i) => (
                HistoryItem {
                    url: format!("/incidents/{}", i.id),
                    title: i.title.clone(),
                    impact: impact_view(i.impact),
                    status: incident_status_view(i.status),
                    date: minute_view(config, i.created_at),
                    components: i
                        .components
                        .iter()
                        .map(|(c, _)| component_name(config, c))
                        .collect(),
                },
                i.created_at,
            ),
            HistoryEntry::Maintenance(m) => (
                HistoryItem {
                    url: format!("/maintenances/{}", m.id),
                    title: m.title.clone(),
                    impact: MAINTENANCE,
                    status: maintenance_status_view(status::maintenance::status(m, now)),
                    date: minute_view(config, m.starts_at),
                    components: m
                        .components
                        .iter()
                        .map(|c| component_name(config, c))
                        .collect(),
                },
                m.starts_at,
            ),
        };
        let label = at
            .with_timezone(&config.site.timezone)
            .format("%B %Y")
            .to_string();
        match months.last_mut() {
            Some(month) if month.label == label => month.items.push(item),
            _ => months.push(MonthView {
                label,
                items: vec![item],
            }),
        }
    }
    months
}

/// The card of an incident on `/`.
pub fn incident_card(config: &Config, i: &Incident) -> IncidentCard {
    IncidentCard {
        url: format!("/incidents/{}", i.id),
        title: i.title.clone(),
        impact: impact_view(i.impact),
        status: incident_status_view(i.status),
        components: i
            .components
            .iter()
            .map(|(c, _)| component_name(config, c))
            .collect(),
        latest: i.latest_update().map(|u| update_view(config, u)),
        created: minute_view(config, i.created_at),
        resolved: i.resolved_at.map(|t| minute_view(config, t)),
    }
}

/// The card of a maintenance, its status as of `now`.
pub fn maintenance_card(config: &Config, m: &Maintenance, now: DateTime<Utc>) -> MaintenanceCard {
    MaintenanceCard {
        url: format!("/maintenances/{}", m.id),
        title: m.title.clone(),
        status: maintenance_status_view(status::maintenance::status(m, now)),
        window: window_view(config, m.starts_at, m.ends_at),
        components: m
            .components
            .iter()
            .map(|c| component_name(config, c))
            .collect(),
        body: markdown::render(&m.body),
    }
}

fn update_view(config: &Config, u: &IncidentUpdate) -> UpdateView {
    UpdateView {
        status: incident_status_view(u.status),
        body: markdown::render(&u.body),
        at: minute_view(config, u.created_at),
        changes: u
            .affected
            .iter()
            .map(|a| ChangeView {
                component: component_name(config, &a.component),
                from: component_status_view(a.old_status, Freshness::Fresh),
                to: component_status_view(a.new_status, Freshness::Fresh),
            })
            .collect(),
    }
}

/// The configured name of a component, or its id if it left the config.
fn component_name(config: &Config, id: &str) -> String {
    config
        .components
        .iter()
        .find(|c| c.id.as_str() == id)
        .map_or_else(|| id.to_owned(), |c| c.name.clone())
}
