//! Feed entries from incidents and maintenances (pure): one entry each,
//! dated by its latest activity, its timeline in the content (SPEC §5).

use askama::Template;
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{ComponentId, Incident, Maintenance};
use crate::model::history::FEED_ENTRIES;
use crate::status::maintenance;
use crate::web::markdown::{self, SafeHtml};
use crate::web::present::{component_name, time};
use crate::web::views::feeds::{Content, Event};

/// One feed entry, format-neutral.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Absolute URL of its page; also its stable id/guid.
    pub url: String,
    pub title: String,
    /// Its latest update or status change.
    pub updated: DateTime<Utc>,
    pub published: DateTime<Utc>,
    /// Its timeline as HTML.
    pub html: String,
    /// Component ids it concerns.
    pub components: Vec<ComponentId>,
}

fn when(config: &Config, at: DateTime<Utc>) -> String {
    time::minutes(config, at).text
}

fn names<'a>(config: &'a Config, ids: &'a [ComponentId]) -> Vec<&'a str> {
    ids.iter()
        .map(|id| component_name(config, id.as_str()))
        .collect()
}

fn render(content: &Content<'_>) -> String {
    content.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "feed entry failed to render");
        String::new()
    })
}

/// The entry of one incident: each update is an event.
pub fn incident(base: &str, config: &Config, incident: &Incident) -> Entry {
    let components: Vec<ComponentId> = incident
        .components
        .iter()
        .map(|(id, _)| id.clone())
        .collect();
    let events: Vec<Event> = incident
        .updates
        .iter()
        .map(|u| Event {
            label: u.status.label().to_owned(),
            when: when(config, u.created_at),
            body: markdown::render(&u.body),
            at: u.created_at,
        })
        .collect();
    let updated = events
        .iter()
        .map(|e| e.at)
        .max()
        .unwrap_or(incident.updated_at)
        .max(incident.updated_at);
    let html = render(&Content {
        window: None,
        components: names(config, &components),
        events,
    });
    Entry {
        url: format!("{base}/incidents/{}", incident.id),
        title: incident.title.clone(),
        updated,
        published: incident.created_at,
        html,
        components,
    }
}

/// The entry of one maintenance: scheduled, started, completed or
/// cancelled, as far as `now` has reached; the body goes with "Scheduled".
pub fn maintenance(base: &str, config: &Config, m: &Maintenance, now: DateTime<Utc>) -> Entry {
    let event = |label: &str, at: DateTime<Utc>, body: SafeHtml| Event {
        label: label.to_owned(),
        when: when(config, at),
        body,
        at,
    };
    let mut events = vec![event("Scheduled", m.created_at, markdown::render(&m.body))];
    if let Some(started) = maintenance::started_at(m, now) {
        events.push(event(
            "In progress",
            started.max(m.created_at),
            SafeHtml::default(),
        ));
    }
    if let Some(end) = maintenance::completed_at(m, now) {
        events.push(event("Completed", end, SafeHtml::default()));
    }
    if let Some(cancelled) = m.cancelled_at {
        events.push(event("Cancelled", cancelled, SafeHtml::default()));
    }
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    let updated = events.first().map_or(m.updated_at, |e| e.at);
    let window = format!(
        "{} – {}",
        when(config, m.starts_at),
        when(config, m.ends_at)
    );
    let html = render(&Content {
        window: Some(window),
        components: names(config, &m.components),
        events,
    });
    Entry {
        url: format!("{base}/maintenances/{}", m.id),
        title: format!("Maintenance: {}", m.title),
        updated,
        published: m.created_at,
        html,
        components: m.components.clone(),
    }
}

/// All entries, newest activity first, at most [`FEED_ENTRIES`], optionally
/// only those concerning `component`.
pub fn collect(
    base: &str,
    config: &Config,
    incidents: &[Incident],
    maintenances: &[Maintenance],
    now: DateTime<Utc>,
    component: Option<&str>,
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = incidents
        .iter()
        .map(|i| incident(base, config, i))
        .chain(
            maintenances
                .iter()
                .map(|m| maintenance(base, config, m, now)),
        )
        .filter(|e| component.is_none_or(|c| e.components.iter().any(|x| x.as_str() == c)))
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    entries
}
