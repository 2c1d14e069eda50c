//! Incident and maintenance pages of SPEC §4: `/incidents?page=N`,
//! `/incidents/{id}`, `/maintenances/{id}`, and the incident and maintenance
//! cards of `/` (built from the snapshot only).

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};

use super::error::PageError;
use super::incident_views::{
    AffectedView, ChangeView, HistoryItem, ImpactView, IncidentCard, IncidentPage, IncidentsPage,
    IndexEvents, MaintenanceCard, MaintenancePage, MonthView, Pager, UpdateView, WindowView,
};
use super::markdown;
use super::pages::{component_status_view, layout};
use super::snapshot::Snapshot;
use super::state::AppState;
use super::views::{StatusView, TimeView};
use crate::config::Config;
use crate::domain::{
    Impact, Incident, IncidentStatus, IncidentUpdate, Maintenance, MaintenanceStatus,
};
use crate::status::{self, Freshness};
use crate::store::{HistoryEntry, StoreError};

const HTML: &str = "text/html; charset=utf-8";

/// Entries on one page of `/incidents` (SPEC §4).
pub const PER_PAGE: u64 = 20;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(incidents))
        .route("/incidents/{id}", get(incident))
        .route("/maintenances/{id}", get(maintenance))
}

#[tracing::instrument(skip(state, headers))]
async fn incidents(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let page = page_number(query.as_deref())?;
    let snap = state.snapshot.get();
    // Only pages that exist reach the cache: a render error is not stored.
    let key = format!("/incidents?page={page}");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let total = state.store.history_count().await?;
            let pages = total.div_ceil(PER_PAGE).max(1);
            if page > pages {
                return Err(PageError::NotFound);
            }
            let offset = u32::try_from((page - 1) * PER_PAGE).map_err(|_| PageError::NotFound)?;
            let entries = state.store.history(PER_PAGE as u32, offset).await?;
            let config = &snap.config;
            let path = if page == 1 {
                "/incidents".to_owned()
            } else {
                key.clone()
            };
            let page = IncidentsPage {
                layout: layout(
                    config,
                    format!("Incident history · {}", config.site.title),
                    &path,
                ),
                months: months(config, &entries, snap.built_at),
                pager: Pager {
                    page,
                    pages,
                    newer: (page > 1).then(|| page_url(page - 1)),
                    older: (page < pages).then(|| page_url(page + 1)),
                },
            };
            Ok((HTML, askama::Template::render(&page)?))
        })
        .await
}

#[tracing::instrument(skip(state, headers))]
async fn incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let snap = state.snapshot.get();
    let key = format!("/incidents/{id}");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let incident = found(state.store.incident(&id).await)?;
            let config = &snap.config;
            let page = IncidentPage {
                layout: layout(
                    config,
                    format!("{} · {}", incident.title, config.site.title),
                    &key,
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
            };
            Ok((HTML, askama::Template::render(&page)?))
        })
        .await
}

#[tracing::instrument(skip(state, headers))]
async fn maintenance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let snap = state.snapshot.get();
    let key = format!("/maintenances/{id}");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let m = found(state.store.maintenance(&id).await)?;
            let config = &snap.config;
            let page = MaintenancePage {
                layout: layout(config, format!("{} · {}", m.title, config.site.title), &key),
                maintenance: maintenance_card(config, &m, snap.built_at),
                cancelled: m.cancelled_at.map(|t| minute_view(config, t)),
                completed_early: m
                    .completed_early_at
                    .filter(|t| *t < m.ends_at && m.cancelled_at.is_none())
                    .map(|t| minute_view(config, t)),
            };
            Ok((HTML, askama::Template::render(&page)?))
        })
        .await
}

/// Incidents and maintenance for `/`, from the snapshot alone.
pub fn index_events(snap: &Snapshot) -> IndexEvents {
    let config = &snap.config;
    let now = snap.built_at;
    IndexEvents {
        active: snap
            .open_incidents()
            .map(|i| incident_card(config, i))
            .collect(),
        in_progress: snap
            .maintenances_in(MaintenanceStatus::InProgress)
            .map(|m| maintenance_card(config, m, now))
            .collect(),
        upcoming: snap
            .maintenances_in(MaintenanceStatus::Scheduled)
            .map(|m| maintenance_card(config, m, now))
            .collect(),
        past: snap
            .incidents
            .iter()
            .filter(|i| !i.is_open())
            .map(|i| incident_card(config, i))
            .collect(),
    }
}

/// `?page=N`: absent means 1; not a whole number, or 0, is a bad request; a
/// number too large for any page is simply not found.
fn page_number(query: Option<&str>) -> Result<u64, PageError> {
    let raw = query.and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "page")
            .map(|(_, v)| v.into_owned())
    });
    let Some(raw) = raw else {
        return Ok(1);
    };
    let digits = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
    match raw.parse::<u64>() {
        Ok(n) if digits && n >= 1 => Ok(n),
        Err(_) if digits => Err(PageError::NotFound),
        _ => Err(PageError::BadRequest(
            "The page number must be a whole number, 1 or more.".to_owned(),
        )),
    }
}

fn page_url(page: u64) -> String {
    if page == 1 {
        "/incidents".to_owned()
    } else {
        format!("/incidents?page={page}")
    }
}

/// A missing row is the visitor's 404, not our 500.
fn found<T>(result: Result<T, StoreError>) -> Result<T, PageError> {
    result.map_err(|e| match e {
        StoreError::NotFound => PageError::NotFound,
        other => PageError::Store(other),
    })
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

const MAINTENANCE: ImpactView = ImpactView {
    class: "maintenance",
    label: "Maintenance",
};

fn impact_view(impact: Impact) -> ImpactView {
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

fn incident_status_view(s: IncidentStatus) -> StatusView {
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

fn maintenance_status_view(s: MaintenanceStatus) -> StatusView {
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

/// A time to the minute in the site timezone, e.g. "2026-11-24 14:05 CET".
fn minute_view(config: &Config, at: DateTime<Utc>) -> TimeView {
    TimeView {
        iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        text: at
            .with_timezone(&config.site.timezone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
    }
}

/// "2026-11-24 14:00 – 16:00 CET", or both dates when it spans days.
fn window_view(config: &Config, start: DateTime<Utc>, end: DateTime<Utc>) -> WindowView {
    let tz = &config.site.timezone;
    let (s, e) = (start.with_timezone(tz), end.with_timezone(tz));
    let end_format = if s.date_naive() == e.date_naive() {
        "%H:%M %Z"
    } else {
        "%Y-%m-%d %H:%M %Z"
    };
    WindowView {
        start: TimeView {
            iso: start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: s.format("%Y-%m-%d %H:%M").to_string(),
        },
        end: TimeView {
            iso: end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: e.format(end_format).to_string(),
        },
        duration: duration_words(end - start),
    }
}

/// "1 day 2 hours", "45 minutes", "less than a minute" (to the nearest minute).
fn duration_words(d: chrono::Duration) -> String {
    let minutes = (d.num_seconds().max(0) + 30) / 60;
    let parts = [
        (minutes / 1440, "day"),
        (minutes / 60 % 24, "hour"),
        (minutes % 60, "minute"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        "less than a minute".to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
