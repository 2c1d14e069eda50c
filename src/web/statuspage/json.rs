//! The payloads of Statuspage's public API v2, field for field
//! (`shared/statuspage-v2.md`), built from the snapshot.
//!
//! Values Beacon has no source for are fixed so that bytes (and ETags)
//! change only when data does:
//! - `page.id`: 12 base36 characters of a SHA-256 of `site.url` (or of
//!   `site.title` when no URL is set); `page.url`: `site.url`, else `/`.
//! - Group rows: id `group-{slug of the name}` (a `-2`, `-3`… suffix if two
//!   groups or a component share it), `description` null, `showcase` false,
//!   `start_date` null, status the worst of their children.
//! - `position`: 1-based order within its level (top level: groups and
//!   ungrouped components in page order; inside a group: file order).
//! - `showcase` true (every component has an uptime bar), `only_show_if_degraded` false.
//! - `start_date`: the first day with a check result (rollups are kept
//!   forever); `created_at`: that day's start in the site timezone;
//!   `updated_at`: the latest check result. Before any result, both are the
//!   time the server process started and `start_date` is null.
//! - Components with no data report `operational` (Statuspage has no unknown).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::domain::{ComponentStatus, Incident, IncidentUpdate, Maintenance, MaintenanceStatus};
use crate::status;
use crate::web::snapshot::Snapshot;

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

/// `page`.
#[derive(Debug, Serialize)]
pub struct PageJson {
    pub id: String,
    pub name: String,
    pub url: String,
    pub time_zone: String,
    pub updated_at: String,
}

/// `status`: the overall indicator and its words (the banner's on `/`).
#[derive(Debug, Serialize)]
pub struct StatusJson {
    pub indicator: &'static str,
    pub description: &'static str,
}

/// One row of the flat `components` array (a component or a group).
#[derive(Debug, Clone, Serialize)]
pub struct ComponentJson {
    pub id: String,
    pub page_id: String,
    pub group_id: Option<String>,
    pub group: bool,
    /// Only on group rows: the children's ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<String>>,
    pub name: String,
    pub description: Option<String>,
    pub status: &'static str,
    pub position: u32,
    pub showcase: bool,
    pub only_show_if_degraded: bool,
    pub start_date: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// An incident, or the incident part of a scheduled maintenance.
#[derive(Debug, Serialize)]
pub struct IncidentJson {
    pub id: String,
    pub page_id: String,
    pub name: String,
    pub status: &'static str,
    pub impact: &'static str,
    pub shortlink: String,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: String,
    pub monitoring_at: Option<String>,
    pub resolved_at: Option<String>,
    pub incident_updates: Vec<UpdateJson>,
    pub components: Vec<ComponentJson>,
}

/// A scheduled maintenance: the incident shape plus its window.
#[derive(Debug, Serialize)]
pub struct MaintenanceJson {
    #[serde(flatten)]
    pub incident: IncidentJson,
    pub scheduled_for: String,
    pub scheduled_until: String,
}

/// `incident_updates[]`.
#[derive(Debug, Serialize)]
pub struct UpdateJson {
    pub id: String,
    pub incident_id: String,
    pub status: &'static str,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub display_at: String,
    pub affected_components: Option<Vec<AffectedJson>>,
    /// Beacon notifies nobody itself (feeds are pulled), so always false.
    pub deliver_notifications: bool,
    pub custom_tweet: Option<String>,
    pub tweet_id: Option<String>,
}

/// `affected_components[]` of an update.
#[derive(Debug, Serialize)]
pub struct AffectedJson {
    pub code: String,
    pub name: String,
    pub old_status: &'static str,
    pub new_status: &'static str,
}

/// Statuspage's page id: 12 lowercase base36 characters, stable for a site.
pub fn page_id(config: &Config) -> String {
    let identity = config.site.url.as_deref().unwrap_or(&config.site.title);
    let digest = Sha256::digest(format!("beacon-page:{identity}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    let mut n = u64::from_be_bytes(bytes) % 36u64.pow(12);
    let mut id = [b'0'; 12];
    for slot in id.iter_mut().rev() {
        *slot = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8_lossy(&id).into_owned()
}

/// `group-` and the name's ASCII letters and digits, lowercased, words joined by `-`.
fn group_slug(name: &str) -> String {
    let lower = name.to_lowercase();
    let words = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty());
    std::iter::once("group")
        .chain(words)
        .collect::<Vec<_>>()
        .join("-")
}

/// A component row with the times behind its strings.
struct Row {
    json: ComponentJson,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
}

/// Builds payloads from one snapshot (and the first-result days from the store).
pub struct Builder<'a> {
    snap: &'a Snapshot,
    page_id: String,
    since: DateTime<Utc>,
    /// Component and group rows in page order.
    rows: Vec<Row>,
}

impl<'a> Builder<'a> {
    /// `first_days`: `(check_id, first day with a result)` from the store;
    /// `since`: when this process started, the creation time of components
    /// without any result yet (stable, unlike the snapshot's time).
    pub fn new(
        snap: &'a Snapshot,
        first_days: &[(String, NaiveDate)],
        since: DateTime<Utc>,
    ) -> Builder<'a> {
        let config = &snap.config;
        let page_id = page_id(config);
        let first: HashMap<&str, NaiveDate> =
            first_days.iter().map(|(c, d)| (c.as_str(), *d)).collect();
        // Components grouped as `/` groups them: by group name, in order of
        // first appearance; ungrouped ones together where the first one is.
        let mut groups: Vec<(Option<&str>, Vec<Row>)> = Vec::new();
        for model in &snap.components {
            let spec = &config.components[model.spec];
            let start = config
                .checks
                .iter()
                .filter(|c| c.component == spec.id)
                .filter_map(|c| first.get(c.id.as_str()).copied())
                .min();
            let created = start
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(|t| t.and_local_timezone(config.site.timezone).earliest())
                .map_or(since, |t| t.with_timezone(&Utc));
            let updated = model.last_checked.unwrap_or(created).max(created);
            let row = Row {
                json: ComponentJson {
                    id: spec.id.to_string(),
                    page_id: page_id.clone(),
                    group_id: None,
                    group: false,
                    components: None,
                    name: spec.name.clone(),
                    description: spec.description.clone(),
                    status: model.status.as_str(),
                    position: 0,
                    showcase: true,
                    only_show_if_degraded: false,
                    start_date: start.map(|d| d.to_string()),
                    created_at: time(config, created),
                    updated_at: time(config, updated),
                },
                created,
                updated,
            };
            let name = spec.group.as_deref();
            match groups.iter_mut().find(|(g, _)| *g == name) {
                Some((_, rows)) => rows.push(row),
                None => groups.push((name, vec![row])),
            }
        }
        let mut taken: Vec<String> = config.components.iter().map(|c| c.id.to_string()).collect();
        let mut rows = Vec::new();
        let mut top = 0;
        for (name, mut children) in groups {
            let Some(name) = name else {
                for mut row in children {
                    top += 1;
                    row.json.position = top;
                    rows.push(row);
                }
                continue;
            };
            top += 1;
            let base = group_slug(name);
            let mut id = base.clone();
            for n in 2.. {
                if !taken.contains(&id) {
                    break;
                }
                id = format!("{base}-{n}");
            }
            taken.push(id.clone());
            for (index, row) in children.iter_mut().enumerate() {
                row.json.position = u32::try_from(index + 1).unwrap_or(u32::MAX);
                row.json.group_id = Some(id.clone());
            }
            let status = children
                .iter()
                .filter_map(|r| ComponentStatus::parse(r.json.status))
                .fold(ComponentStatus::Operational, ComponentStatus::worst);
            let created = children.iter().map(|r| r.created).min().unwrap_or(since);
            let updated = children.iter().map(|r| r.updated).max().unwrap_or(created);
            rows.push(Row {
                json: ComponentJson {
                    id,
                    page_id: page_id.clone(),
                    group_id: None,
                    group: true,
                    components: Some(children.iter().map(|r| r.json.id.clone()).collect()),
                    name: name.to_owned(),
                    description: None,
                    status: status.as_str(),
                    position: top,
                    showcase: false,
                    only_show_if_degraded: false,
                    start_date: None,
                    created_at: time(config, created),
                    updated_at: time(config, updated),
                },
                created,
                updated,
            });
            rows.extend(children);
        }
        Builder {
            snap,
            page_id,
            since,
            rows,
        }
    }

    /// `page`; `updated_at` is the latest change among components, incidents
    /// and maintenances shown.
    pub fn page(&self) -> PageJson {
        let config = &self.snap.config;
        let updated = self
            .rows
            .iter()
            .map(|r| r.updated)
            .chain(self.snap.incidents.iter().map(|i| i.updated_at))
            .chain(self.snap.maintenances.iter().map(|m| m.updated_at))
            .max()
            .unwrap_or(self.since);
        PageJson {
            id: self.page_id.clone(),
            name: config.site.title.clone(),
            url: config.site.url.clone().unwrap_or_else(|| "/".to_owned()),
            time_zone: config.site.timezone.name().to_owned(),
            updated_at: time(config, updated),
        }
    }

    /// `status`: the snapshot's indicator, in the banner's words.
    pub fn status(&self) -> StatusJson {
        StatusJson {
            indicator: self.snap.indicator.as_str(),
            description: self.snap.indicator.description(),
        }
    }

    /// The flat `components` array: group rows followed by their children.
    pub fn components(&self) -> Vec<ComponentJson> {
        self.rows.iter().map(|r| r.json.clone()).collect()
    }

    /// Component objects for these ids (ids no longer configured are left out).
    fn components_of<'i>(&self, ids: impl IntoIterator<Item = &'i str>) -> Vec<ComponentJson> {
        ids.into_iter()
            .filter_map(|id| self.rows.iter().find(|r| !r.json.group && r.json.id == id))
            .map(|r| r.json.clone())
            .collect()
    }

    fn component_name(&self, id: &str) -> String {
        let config = &self.snap.config;
        config
            .components
            .iter()
            .find(|c| c.id.as_str() == id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    }

    fn link(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.snap.config.site.url.as_deref().unwrap_or("")
        )
    }

    /// One incident with its updates, newest first.
    pub fn incident(&self, incident: &Incident) -> IncidentJson {
        let config = &self.snap.config;
        IncidentJson {
            id: incident.id.clone(),
            page_id: self.page_id.clone(),
            name: incident.title.clone(),
            status: incident.status.as_str(),
            impact: incident.impact.as_str(),
            shortlink: self.link(&format!("/incidents/{}", incident.id)),
            created_at: time(config, incident.created_at),
            updated_at: time(config, incident.updated_at),
            started_at: time(config, incident.created_at),
            monitoring_at: incident.monitoring_at.map(|at| time(config, at)),
            resolved_at: incident.resolved_at.map(|at| time(config, at)),
            incident_updates: incident
                .updates
                .iter()
                .map(|u| self.update(&incident.id, u))
                .collect(),
            components: self.components_of(incident.components.iter().map(|(c, _)| c.as_str())),
        }
    }

    fn update(&self, incident_id: &str, update: &IncidentUpdate) -> UpdateJson {
        let affected = update
            .affected
            .iter()
            .map(|a| AffectedJson {
                code: a.component.clone(),
                name: self.component_name(&a.component),
                old_status: a.old_status.as_str(),
                new_status: a.new_status.as_str(),
            })
            .collect();
        self.update_json(
            update.id.clone(),
            incident_id,
            update.status.as_str(),
            update.body.clone(),
            update.created_at,
            affected,
        )
    }

    fn update_json(
        &self,
        id: String,
        incident_id: &str,
        status: &'static str,
        body: String,
        at: DateTime<Utc>,
        affected: Vec<AffectedJson>,
    ) -> UpdateJson {
        let at = time(&self.snap.config, at);
        UpdateJson {
            id,
            incident_id: incident_id.to_owned(),
            status,
            body,
            created_at: at.clone(),
            updated_at: at.clone(),
            display_at: at,
            affected_components: (!affected.is_empty()).then_some(affected),
            deliver_notifications: false,
            custom_tweet: None,
            tweet_id: None,
        }
    }

    /// One maintenance (not cancelled) in the incident shape; its updates
    /// are its lifecycle: scheduled at creation (when created before its
    /// start), in progress at its start, completed at its end.
    pub fn maintenance(&self, m: &Maintenance) -> MaintenanceJson {
        let config = &self.snap.config;
        let now = self.snap.built_at;
        let state = status::maintenance::status(m, now);
        let end = status::maintenance::effective_end(m);
        let moved = |old: ComponentStatus, new: ComponentStatus| -> Vec<AffectedJson> {
            m.components
                .iter()
                .map(|c| AffectedJson {
                    code: c.clone(),
                    name: self.component_name(c),
                    old_status: old.as_str(),
                    new_status: new.as_str(),
                })
                .collect()
        };
        let body = if m.body.trim().is_empty() {
            m.title.clone()
        } else {
            m.body.clone()
        };
        let mut updates = Vec::new();
        if state == MaintenanceStatus::Completed {
            updates.push(self.update_json(
                format!("{}-completed", m.id),
                &m.id,
                "completed",
                "The scheduled maintenance has been completed.".to_owned(),
                end,
                moved(
                    ComponentStatus::UnderMaintenance,
                    ComponentStatus::Operational,
                ),
            ));
        }
        let started = now >= m.starts_at && end > m.starts_at;
        if started {
            let text = if m.created_at >= m.starts_at {
                body.clone()
            } else {
                "Scheduled maintenance is currently in progress.".to_owned()
            };
            updates.push(self.update_json(
                format!("{}-in_progress", m.id),
                &m.id,
                "in_progress",
                text,
                m.starts_at,
                moved(
                    ComponentStatus::Operational,
                    ComponentStatus::UnderMaintenance,
                ),
            ));
        }
        if m.created_at < m.starts_at || !started {
            updates.push(self.update_json(
                format!("{}-scheduled", m.id),
                &m.id,
                "scheduled",
                body,
                m.created_at.min(m.starts_at),
                Vec::new(),
            ));
        }
        let latest = [m.updated_at, m.created_at]
            .into_iter()
            .chain((state == MaintenanceStatus::Completed).then_some(end))
            .chain(started.then_some(m.starts_at))
            .max()
            .unwrap_or(m.updated_at);
        let maintenance_status = match state {
            MaintenanceStatus::Scheduled => "scheduled",
            MaintenanceStatus::InProgress => "in_progress",
            // Cancelled ones are filtered out before; should one slip
            // through, it has ended as far as a client can tell.
            MaintenanceStatus::Completed | MaintenanceStatus::Cancelled => "completed",
        };
        MaintenanceJson {
            incident: IncidentJson {
                id: m.id.clone(),
                page_id: self.page_id.clone(),
                name: m.title.clone(),
                status: maintenance_status,
                impact: "maintenance",
                shortlink: self.link(&format!("/maintenances/{}", m.id)),
                created_at: time(config, m.created_at),
                updated_at: time(config, latest),
                started_at: time(config, m.starts_at),
                monitoring_at: None,
                resolved_at: (state == MaintenanceStatus::Completed).then(|| time(config, end)),
                incident_updates: updates,
                components: self.components_of(m.components.iter().map(String::as_str)),
            },
            scheduled_for: time(config, m.starts_at),
            scheduled_until: time(config, m.ends_at),
        }
    }
}

/// RFC 3339 with milliseconds, in the site timezone's offset (`Z` for UTC).
fn time(config: &Config, at: DateTime<Utc>) -> String {
    at.with_timezone(&config.site.timezone)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_slugs_are_lowercase_dashed() {
        let cases = [
            ("Core", "group-core"),
            ("Core  APIs!", "group-core-apis"),
            ("EU / West 1", "group-eu-west-1"),
            ("日本", "group"),
        ];
        for (name, want) in cases {
            assert_eq!(group_slug(name), want, "{name}");
        }
    }
}
