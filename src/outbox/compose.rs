//! What one event says (SPEC §8): the webhook body's fields (the §5 v2
//! shapes of page, component, incident and maintenance) and the words of
//! its [`Message`], composed into a [`Payload`].

use std::fmt::Write as _;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::payload::{Payload, escape};
use crate::config::Config;
use crate::domain::{ComponentId, ComponentStatus, EventKind, Incident, Maintenance};
use crate::notify::Message;
use crate::statuspage::Builder;
use crate::store::Event;

/// What the event is about, loaded by the sender.
pub struct Subject<'a> {
    pub event: &'a Event,
    pub incident: Option<&'a Incident>,
    pub maintenance: Option<&'a Maintenance>,
}

/// Builds payloads with one v2 [`Builder`] and the config.
pub struct Composer<'a> {
    pub config: &'a Config,
    pub v2: &'a Builder<'a>,
    /// The absolute base of links (`site.url`, else the bound address).
    pub base: &'a str,
}

impl Composer<'_> {
    /// The payload of `subject`.
    pub fn payload(&self, subject: &Subject) -> Payload {
        let event = subject.event;
        let mut fields = Map::new();
        fields.insert("page".into(), to_value(self.v2.page()));
        let component = event.component.as_deref();
        if let Some(id) = component {
            let row = self
                .v2
                .components()
                .into_iter()
                .find(|c| !c.group && c.id == id);
            if let Some(row) = row {
                let mut row = to_value(row);
                if let (Some(old), Some(new)) = (&event.old_status, &event.new_status) {
                    row["status"] = new.as_str().into();
                    row["old_status"] = old.as_str().into();
                }
                fields.insert("component".into(), row);
            }
        }
        if let Some(check) = &event.check {
            let spec = self.config.checks.iter().find(|c| c.id.as_str() == check);
            let state = match event.kind {
                EventKind::CheckDown => "down",
                _ => "up",
            };
            fields.insert(
                "check".into(),
                json!({
                    "id": check,
                    "name": spec.map_or(check.as_str(), |c| c.label.as_str()),
                    "status": state,
                    "reason": event.reason,
                }),
            );
        }
        if let Some(incident) = subject.incident {
            fields.insert("incident".into(), to_value(self.v2.incident(incident)));
        }
        if let Some(m) = subject.maintenance {
            fields.insert("maintenance".into(), to_value(self.v2.maintenance(m)));
        }
        if let Some(spike) = SpikeDetail::of(event) {
            fields.insert("reports".into(), to_value(spike));
        }
        Payload {
            event: event.kind.as_str().to_owned(),
            occurred_at: event.occurred_at,
            fields,
            message: self.message(subject),
            unsubscribe: None,
        }
    }

    /// A test event (`beacon notify test`).
    pub fn test(&self, at: chrono::DateTime<chrono::Utc>) -> Payload {
        let mut fields = Map::new();
        fields.insert("page".into(), to_value(self.v2.page()));
        let line = format!("Test notification from {}", self.config.site.title);
        Payload {
            event: EventKind::Test.as_str().to_owned(),
            occurred_at: at,
            fields,
            message: self.words(
                EventKind::Test,
                line,
                String::new(),
                format!("{}/", self.base),
            ),
            unsubscribe: None,
        }
    }

    fn message(&self, subject: &Subject) -> Message {
        let event = subject.event;
        let base = self.base;
        let component = event
            .component
            .as_deref()
            .map(|c| self.config.component_name(c).to_owned());
        let component_link = |id: &Option<ComponentId>| match id {
            Some(id) => format!("{base}/components/{id}"),
            None => format!("{base}/"),
        };
        match (event.kind, subject.incident, subject.maintenance) {
            (EventKind::ReportsSpike, _, _) => {
                let spike = SpikeDetail::of(event).unwrap_or_default();
                let window = humantime::format_duration(Duration::from_secs(spike.window_seconds));
                let line = format!(
                    "{} visitors reported a problem with {} within {window}",
                    spike.count,
                    component.unwrap_or_default()
                );
                // Visitors' plain text: `words` escapes it for the HTML part.
                let body = match spike.notes.is_empty() {
                    true => String::new(),
                    false => format!("Latest notes:\n\n{}", spike.notes.join("\n\n")),
                };
                self.words(event.kind, line, body, component_link(&event.component))
            }
            (EventKind::CheckDown | EventKind::CheckUp, _, _) => {
                let check = event.check.as_deref().unwrap_or("?");
                let label = self
                    .config
                    .checks
                    .iter()
                    .find(|c| c.id.as_str() == check)
                    .map_or(check, |c| c.label.as_str());
                let what = match &component {
                    Some(name) => format!("{name} ({label})"),
                    None => label.to_owned(),
                };
                let line = match (event.kind, &event.reason) {
                    (EventKind::CheckDown, Some(reason)) => format!("{what} is down: {reason}"),
                    (EventKind::CheckDown, None) => format!("{what} is down"),
                    _ => format!("{what} is up again"),
                };
                self.words(
                    event.kind,
                    line,
                    String::new(),
                    component_link(&event.component),
                )
            }
            (EventKind::ComponentStatus, _, _) => {
                let words = |s: &Option<String>| {
                    s.as_deref()
                        .and_then(ComponentStatus::parse)
                        .map_or("unknown", ComponentStatus::label)
                };
                let line = format!(
                    "{} is now {} (was {})",
                    component.unwrap_or_default(),
                    words(&event.new_status).to_lowercase(),
                    words(&event.old_status).to_lowercase()
                );
                self.words(
                    event.kind,
                    line,
                    String::new(),
                    component_link(&event.component),
                )
            }
            (_, Some(incident), _) => {
                let latest = incident.updates.iter().max_by_key(|u| u.created_at);
                let line = format!("{}: {}", incident.title, incident.status.label());
                let body = latest.map(|u| u.body.clone()).unwrap_or_default();
                let link = format!("{base}/incidents/{}", incident.id);
                self.words(event.kind, line, body, link)
            }
            (_, _, Some(m)) => {
                let verb = match event.kind {
                    EventKind::MaintenanceScheduled => "scheduled",
                    EventKind::MaintenanceStarted => "started",
                    EventKind::MaintenanceCompleted => "completed",
                    _ => "cancelled",
                };
                let line = format!("Maintenance {verb}: {}", m.title);
                let mut body = format!(
                    "From {} to {} (UTC).",
                    m.starts_at.format("%Y-%m-%d %H:%M"),
                    m.ends_at.format("%Y-%m-%d %H:%M")
                );
                if !m.components.is_empty() {
                    let names: Vec<&str> = m
                        .components
                        .iter()
                        .map(|c| self.config.component_name(c.as_str()))
                        .collect();
                    let _ = write!(body, " Affects: {}.", names.join(", "));
                }
                if !m.body.trim().is_empty() {
                    let _ = write!(body, "\n\n{}", m.body);
                }
                let link = format!("{base}/maintenances/{}", m.id);
                self.words(event.kind, line, body, link)
            }
            _ => {
                let line = format!("{} ({})", event.kind.as_str(), self.config.site.title);
                self.words(event.kind, line, String::new(), format!("{base}/"))
            }
        }
    }

    /// The message: `line` (and `body`, operator text) as plain text and
    /// as escaped HTML, with `link`.
    fn words(&self, kind: EventKind, line: String, body: String, link: String) -> Message {
        let site = &self.config.site.title;
        let mut text = format!("{line}\n");
        if !body.is_empty() {
            let _ = write!(text, "\n{body}\n");
        }
        let _ = write!(text, "\n{link}\n");
        let mut html = format!("<p><strong>{}</strong></p>", escape(&line));
        for paragraph in body.split("\n\n").filter(|p| !p.trim().is_empty()) {
            let _ = write!(html, "<p>{}</p>", escape(paragraph).replace('\n', "<br>"));
        }
        let _ = write!(html, "<p><a href=\"{0}\">{0}</a></p>", escape(&link));
        Message {
            subject: format!("[{site}] {}: {line}", kind.as_str()),
            line,
            text,
            html,
            link,
        }
    }
}

/// What a `reports.spike` carries (SPEC §10): distinct reporters, the
/// window they fell in, the latest notes (newest first); the webhook's
/// `reports` object.
#[derive(Debug, Default, Serialize, Deserialize)]
struct SpikeDetail {
    count: u32,
    window_seconds: u64,
    notes: Vec<String>,
}

impl SpikeDetail {
    fn of(event: &Event) -> Option<SpikeDetail> {
        serde_json::from_str(event.detail.as_deref()?).ok()
    }
}

fn to_value(v: impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
