//! `/`: the banner, the stale-data notice, components by group with their
//! uptime bars, and the incident and maintenance cards.

use super::components::row;
use super::{incidents, layout, status};
use crate::model::Snapshot;
use crate::status::Freshness;
use crate::web::views::{GroupView, IndexPage};

/// The page of `/` for a snapshot.
pub fn page(snap: &Snapshot) -> IndexPage {
    IndexPage {
        layout: layout(&snap.config, snap.config.site.title.clone(), "/"),
        banner: status::banner(snap.headline),
        notice: notice(snap),
        groups: groups(snap),
        events: incidents::index_events(snap),
    }
}

/// About how many bytes `/` takes, so its buffer grows once.
pub fn size_hint(snap: &Snapshot) -> usize {
    let per_component = snap.config.site.history_days as usize * 40 + 1024;
    16 * 1024 + snap.components.len() * per_component
}

fn notice(snap: &Snapshot) -> Option<String> {
    let stale: Vec<&str> = snap
        .components
        .iter()
        .filter(|c| c.freshness == Freshness::Stale)
        .map(|c| c.spec.name.as_str())
        .collect();
    (!stale.is_empty()).then(|| {
        format!(
            "Monitoring data is stale for {}: the status shown may be out of date.",
            stale.join(", ")
        )
    })
}

fn groups(snap: &Snapshot) -> Vec<GroupView> {
    let mut groups: Vec<GroupView> = Vec::new();
    for model in &snap.components {
        let name = model.spec.group.clone();
        let row = row(&snap.config, model);
        match groups.iter_mut().find(|g| g.name == name) {
            Some(group) => group.components.push(row),
            None => groups.push(GroupView {
                name,
                components: vec![row],
            }),
        }
    }
    groups
}
