//! Incidents and maintenances → the history at `/incidents`, the pages of
//! one incident or maintenance, and the cards of `/` and `/components/{id}`
//! (single values are worded by [`super::status`] and [`super::time`]).

use chrono::{DateTime, Utc};

use super::time::{duration_words, minutes, window};
use super::{component_name, layout, status};
use crate::config::Config;
use crate::domain::{Incident, IncidentUpdate, Maintenance, MaintenanceStatus};
use crate::model::Snapshot;
use crate::model::history::HistoryPage;
use crate::status::Freshness;
use crate::status::maintenance::status as maintenance_status;
use crate::store::HistoryEntry;
use crate::web::markdown;
use crate::web::views::{
    AffectedView, ChangeView, CurrentEvents, HistoryItem, IncidentCard, IncidentPage,
    IncidentsPage, IndexEvents, MaintenanceCard, MaintenancePage, MonthView, Pager, UpdateView,
};

/// `/incidents?page=N`: one page of history, `path` being its canonical URL.
pub fn history_page(
    config: &Config,
    found: &HistoryPage,
    page: u64,
    path: &str,
    now: DateTime<Utc>,
) -> IncidentsPage {
    let pages = found.pages;
    IncidentsPage {
        layout: layout(
            config,
            format!("Incident history · {}", config.site.title),
            path,
        ),
        months: months(config, &found.entries, now),
        pager: Pager {
            page,
            pages,
            newer: (page > 1).then(|| page_url(page - 1)),
            older: (page < pages).then(|| page_url(page + 1)),
        },
    }
}

/// `/incidents/{id}`.
pub fn incident_page(config: &Config, incident: &Incident, path: &str) -> IncidentPage {
    IncidentPage {
        layout: layout(
            config,
            format!("{} · {}", incident.title, config.site.title),
            path,
        ),
        title: incident.title.clone(),
        impact: status::impact(incident.impact),
        status: status::incident(incident.status),
        components: incident
            .components
            .iter()
            .map(|(c, s)| AffectedView {
                name: component_name(config, c.as_str()).to_owned(),
                status: status::component(*s, Freshness::Fresh),
            })
            .collect(),
        updates: incident
            .updates
            .iter()
            .map(|u| update_view(config, u))
            .collect(),
        automatic: incident.auto_component.is_some(),
        created: minutes(config, incident.created_at),
        resolved: incident.resolved_at.map(|t| minutes(config, t)),
        duration: incident
            .resolved_at
            .map(|t| duration_words(t - incident.created_at)),
    }
}

/// `/maintenances/{id}`, its status as of `now`.
pub fn maintenance_page(
    config: &Config,
    m: &Maintenance,
    path: &str,
    now: DateTime<Utc>,
) -> MaintenancePage {
    MaintenancePage {
        layout: layout(config, format!("{} · {}", m.title, config.site.title), path),
        maintenance: maintenance_card(config, m, now),
        cancelled: m.cancelled_at.map(|t| minutes(config, t)),
        completed_early: m
            .completed_early_at
            .filter(|t| *t < m.ends_at && m.cancelled_at.is_none())
            .map(|t| minutes(config, t)),
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
            .filter(|m| component.is_none_or(|w| m.components.iter().any(|c| c.as_str() == w)))
            .map(|m| maintenance_card(config, m, now))
            .collect()
    };
    CurrentEvents {
        active: snap
            .open_incidents()
            .filter(|i| component.is_none_or(|w| i.components.iter().any(|(c, _)| c.as_str() == w)))
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
                    impact: status::impact(i.impact),
                    status: status::incident(i.status),
                    date: minutes(config, i.created_at),
                    components: i
                        .components
                        .iter()
                        .map(|(c, _)| component_name(config, c.as_str()).to_owned())
                        .collect(),
                },
                i.created_at,
            ),
            HistoryEntry::Maintenance(m) => (
                HistoryItem {
                    url: format!("/maintenances/{}", m.id),
                    title: m.title.clone(),
                    impact: status::MAINTENANCE,
                    status: status::maintenance(maintenance_status(m, now)),
                    date: minutes(config, m.starts_at),
                    components: m
                        .components
                        .iter()
                        .map(|c| component_name(config, c.as_str()).to_owned())
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
        impact: status::impact(i.impact),
        status: status::incident(i.status),
        components: i
            .components
            .iter()
            .map(|(c, _)| component_name(config, c.as_str()).to_owned())
            .collect(),
        latest: i.latest_update().map(|u| update_view(config, u)),
        created: minutes(config, i.created_at),
        resolved: i.resolved_at.map(|t| minutes(config, t)),
    }
}

/// The card of a maintenance, its status as of `now`.
pub fn maintenance_card(config: &Config, m: &Maintenance, now: DateTime<Utc>) -> MaintenanceCard {
    MaintenanceCard {
        url: format!("/maintenances/{}", m.id),
        title: m.title.clone(),
        status: status::maintenance(maintenance_status(m, now)),
        window: window(config, m.starts_at, m.ends_at),
        components: m
            .components
            .iter()
            .map(|c| component_name(config, c.as_str()).to_owned())
            .collect(),
        body: markdown::render(&m.body),
    }
}

fn update_view(config: &Config, u: &IncidentUpdate) -> UpdateView {
    UpdateView {
        status: status::incident(u.status),
        body: markdown::render(&u.body),
        at: minutes(config, u.created_at),
        changes: u
            .affected
            .iter()
            .map(|a| ChangeView {
                component: component_name(config, a.component.as_str()).to_owned(),
                from: status::component(a.old_status, Freshness::Fresh),
                to: status::component(a.new_status, Freshness::Fresh),
            })
            .collect(),
    }
}
