//! Permissive request values → domain values, collecting every problem as
//! `field: message` (STYLE §3.8: parse at the edge). The rules of operator
//! text and time windows are the domain's constructors ([`Title`],
//! [`MarkdownBody`], [`TimeWindow`]); this file names the field and words
//! their errors as SPEC §6's 422 messages.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{
    ComponentId, ComponentStatus, Impact, IncidentStatus, InvalidBody, InvalidTitle, MAX_BODY,
    MAX_TITLE, MarkdownBody, TimeWindow, Title,
};
use crate::web::api_error::ApiError;

/// Most components one request may name (SPEC §6).
pub const MAX_COMPONENTS: usize = 100;

/// Problems found so far; [`Problems::finish`] turns them into a 422.
#[derive(Debug, Default)]
pub struct Problems(Vec<String>);

impl Problems {
    pub fn push(&mut self, field: &str, message: impl std::fmt::Display) {
        self.0.push(format!("{field}: {message}"));
    }

    /// `Ok` when nothing was wrong, else a 422 listing every problem.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self.0))
        }
    }

    /// A field the request must carry.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.push(field, "is required");
        }
        value
    }

    /// A [`Title`], its broken rule named as SPEC §6 words it.
    pub fn title(&mut self, field: &str, raw: String) -> Option<Title> {
        Title::parse(&raw)
            .map_err(|e| {
                let message = match e {
                    InvalidTitle::Empty => "must not be empty".to_owned(),
                    InvalidTitle::TooLong => format!("at most {MAX_TITLE} characters"),
                    InvalidTitle::ControlCharacter => {
                        "must not contain control characters".to_owned()
                    }
                };
                self.push(field, message);
            })
            .ok()
    }

    /// A [`MarkdownBody`]; `non_empty` refuses blank text.
    pub fn body(&mut self, field: &str, raw: String, non_empty: bool) -> Option<MarkdownBody> {
        let parsed = if non_empty {
            MarkdownBody::parse_non_empty(raw)
        } else {
            MarkdownBody::parse(raw)
        };
        parsed
            .map_err(|e| {
                let message = match e {
                    InvalidBody::TooLong => format!("at most {MAX_BODY} characters"),
                    InvalidBody::Empty => "must not be empty".to_owned(),
                };
                self.push(field, message);
            })
            .ok()
    }

    /// A [`TimeWindow`]; when it does not end after it starts, the message
    /// names `ends_at` if the client sent it, else `starts_at`.
    pub fn window(
        &mut self,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        ends_at_sent: bool,
    ) -> Option<TimeWindow> {
        TimeWindow::new(starts_at, ends_at)
            .map_err(|_| {
                if ends_at_sent {
                    self.push("ends_at", "must be after starts_at");
                } else {
                    self.push("starts_at", "must be before ends_at");
                }
            })
            .ok()
    }

    /// An RFC 3339 time, e.g. `2026-11-24T22:00:00Z`.
    pub fn time(&mut self, field: &str, raw: &str) -> Option<DateTime<Utc>> {
        match DateTime::parse_from_rfc3339(raw) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                self.push(
                    field,
                    format!(
                        "{:?} is not an RFC 3339 time (e.g. 2026-11-24T22:00:00Z)",
                        clip(raw)
                    ),
                );
                None
            }
        }
    }

    /// One of an enum's text values.
    pub fn one_of<T: Copy>(
        &mut self,
        field: &str,
        raw: &str,
        values: &[T],
        as_str: fn(T) -> &'static str,
    ) -> Option<T> {
        let found = values.iter().copied().find(|v| as_str(*v) == raw);
        if found.is_none() {
            let expected: Vec<&str> = values.iter().map(|v| as_str(*v)).collect();
            self.push(
                field,
                format!(
                    "unknown value {:?}, expected one of {}",
                    clip(raw),
                    expected.join(", ")
                ),
            );
        }
        found
    }

    pub fn incident_status(&mut self, field: &str, raw: &str) -> Option<IncidentStatus> {
        use IncidentStatus::*;
        self.one_of(
            field,
            raw,
            &[Investigating, Identified, Monitoring, Resolved],
            IncidentStatus::as_str,
        )
    }

    pub fn impact(&mut self, field: &str, raw: &str) -> Option<Impact> {
        use Impact::*;
        self.one_of(field, raw, &[None, Minor, Major, Critical], Impact::as_str)
    }

    pub fn component_status(&mut self, field: &str, raw: &str) -> Option<ComponentStatus> {
        self.one_of(field, raw, &ComponentStatus::ALL, ComponentStatus::as_str)
    }

    /// Configured component ids, at most [`MAX_COMPONENTS`], duplicates dropped.
    pub fn component_ids(
        &mut self,
        field: &str,
        raw: Vec<String>,
        config: &Config,
    ) -> Option<Vec<ComponentId>> {
        if raw.len() > MAX_COMPONENTS {
            self.push(field, format!("at most {MAX_COMPONENTS}"));
            return None;
        }
        let mut ids = Vec::with_capacity(raw.len());
        let mut ok = true;
        for raw in raw {
            match self.component(field, config, &raw) {
                Some(id) if !ids.contains(&id) => ids.push(id),
                Some(_) => {}
                None => ok = false,
            }
        }
        ids.sort();
        ok.then_some(ids)
    }

    /// `{component id: component status}` over configured components.
    pub fn component_statuses(
        &mut self,
        field: &str,
        raw: BTreeMap<String, String>,
        config: &Config,
    ) -> Option<Vec<(ComponentId, ComponentStatus)>> {
        if raw.len() > MAX_COMPONENTS {
            self.push(field, format!("at most {MAX_COMPONENTS}"));
            return None;
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut ok = true;
        for (raw, status) in raw {
            let Some(id) = self.component(field, config, &raw) else {
                ok = false;
                continue;
            };
            match self.component_status(&format!("{field}.{id}"), &status) {
                Some(status) => out.push((id, status)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A [`ComponentId`] of the running configuration; text that is no
    /// slug names no component either, so both are "unknown component".
    fn component(&mut self, field: &str, config: &Config, raw: &str) -> Option<ComponentId> {
        let id = ComponentId::parse(raw)
            .ok()
            .filter(|id| config.components.iter().any(|c| c.id == *id));
        if id.is_none() {
            self.push(field, format!("unknown component {:?}", clip(raw)));
        }
        id
    }
}

/// Whether `id` names a component of the running configuration.
pub fn is_component(config: &Config, id: &str) -> bool {
    config.components.iter().any(|c| c.id.as_str() == id)
}

/// At most 80 characters of client text for an error message.
fn clip(s: &str) -> String {
    if s.chars().count() <= 80 {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(80).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(p: Problems) -> Vec<String> {
        match p.finish() {
            Err(ApiError::Invalid(m)) => m,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn titles() {
        let cases = [
            ("  ", Some("title: must not be empty")),
            (&*"x".repeat(201), Some("title: at most 200 characters")),
            (
                "a\u{7}b",
                Some("title: must not contain control characters"),
            ),
            (&*"é".repeat(200), None),
            (" Database upgrade ", None),
        ];
        for (raw, want) in cases {
            let mut p = Problems::default();
            let got = p.title("title", raw.to_owned());
            match want {
                Some(msg) => assert_eq!(messages(p), vec![msg.to_owned()], "{raw:?}"),
                None => assert_eq!(got.as_deref(), Some(raw.trim())),
            }
        }
    }

    #[test]
    fn enum_values_list_what_is_expected() {
        let mut p = Problems::default();
        assert_eq!(p.impact("impact", "x"), None);
        assert_eq!(
            messages(p),
            vec![r#"impact: unknown value "x", expected one of none, minor, major, critical"#]
        );
    }

    #[test]
    fn times_are_rfc3339() {
        let mut p = Problems::default();
        assert!(p.time("starts_at", "2026-11-24T22:00:00+01:00").is_some());
        assert!(p.time("starts_at", "tomorrow").is_none());
        assert!(messages(p)[0].starts_with("starts_at: \"tomorrow\" is not an RFC 3339 time"));
    }

    #[test]
    fn long_client_text_is_clipped_in_messages() {
        assert_eq!(clip(&"y".repeat(1000)).chars().count(), 81);
    }
}
