//! The flat `components` array of API v2: one row per component and one per
//! group, groups followed by their children, in page order.
//!
//! Group rows get the id `group-{slug}` (made unique against component ids
//! and earlier groups) and the worst status of their children.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::time::api_time as api;
use crate::domain::ComponentStatus;
use crate::model::Snapshot;
use crate::status;

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

/// A component row with the times behind its strings.
pub(super) struct Row {
    pub(super) json: ComponentJson,
    created: DateTime<Utc>,
    pub(super) updated: DateTime<Utc>,
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

/// Component and group rows in page order.
///
/// `first_days`: `(check_id, first day with a result)` from the store;
/// `since`: the creation time of components without any result yet.
pub(super) fn rows(
    snap: &Snapshot,
    page_id: &str,
    first_days: &[(String, NaiveDate)],
    since: DateTime<Utc>,
) -> Vec<Row> {
    let config = &snap.config;
    let first: HashMap<&str, NaiveDate> =
        first_days.iter().map(|(c, d)| (c.as_str(), *d)).collect();
    // Components grouped as `/` groups them: by group name, in order of
    // first appearance; ungrouped ones together where the first one is.
    let mut groups: Vec<(Option<&str>, Vec<Row>)> = Vec::new();
    for model in &snap.components {
        let spec = &model.spec;
        let start = config
            .checks_of(&spec.id)
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
                page_id: page_id.to_owned(),
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
                created_at: api(config, created),
                updated_at: api(config, updated),
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
        let status = status::component::of_group(
            children
                .iter()
                .filter_map(|r| ComponentStatus::parse(r.json.status)),
        );
        let created = children.iter().map(|r| r.created).min().unwrap_or(since);
        let updated = children.iter().map(|r| r.updated).max().unwrap_or(created);
        rows.push(Row {
            json: ComponentJson {
                id,
                page_id: page_id.to_owned(),
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
                created_at: api(config, created),
                updated_at: api(config, updated),
            },
            created,
            updated,
        });
        rows.extend(children);
    }
    rows
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
