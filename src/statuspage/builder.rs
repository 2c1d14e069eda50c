//! [`Builder`]: one snapshot's payload parts — `page`, `status` and the
//! component rows every incident and maintenance object refers to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::components::{self, ComponentJson, Row};
use super::time::api_time as api;
use crate::config::Config;
use crate::model::Snapshot;

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

/// Builds payloads from one snapshot (and the first-result days from the store).
pub struct Builder<'a> {
    pub(super) snap: &'a Snapshot,
    pub(super) page_id: String,
    since: DateTime<Utc>,
    /// Absolute base of links: `AppState::base_url`, as the feeds use.
    base: &'a str,
    /// Component and group rows in page order.
    rows: Vec<Row>,
}

impl<'a> Builder<'a> {
    /// The snapshot it builds from.
    pub fn snapshot(&self) -> &'a Snapshot {
        self.snap
    }

    /// `first_days`: `(check_id, first day with a result)` from the store;
    /// `since`: when this process started, the creation time of components
    /// without any result yet (stable, unlike the snapshot's time); `base`:
    /// the absolute base of links (`site.url`, else the bound address).
    pub fn new(
        snap: &'a Snapshot,
        first_days: &[(String, NaiveDate)],
        since: DateTime<Utc>,
        base: &'a str,
    ) -> Builder<'a> {
        let page_id = page_id(&snap.config);
        let rows = components::rows(snap, &page_id, first_days, since);
        Builder {
            snap,
            page_id,
            since,
            base,
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
            url: self.base.to_owned(),
            time_zone: config.site.timezone.name().to_owned(),
            updated_at: api(config, updated),
        }
    }

    /// `status`: the snapshot's indicator, in the banner's words.
    pub fn status(&self) -> StatusJson {
        StatusJson {
            indicator: self.snap.indicator.as_str(),
            description: self.snap.indicator.description(),
        }
    }

    /// An absolute link to one of this page's paths.
    pub(super) fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The flat `components` array: group rows followed by their children.
    pub fn components(&self) -> Vec<ComponentJson> {
        self.rows.iter().map(|r| r.json.clone()).collect()
    }

    /// Component objects for these ids (ids no longer configured are left out).
    pub(super) fn components_of<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Vec<ComponentJson> {
        ids.into_iter()
            .filter_map(|id| self.rows.iter().find(|r| !r.json.group && r.json.id == id))
            .map(|r| r.json.clone())
            .collect()
    }
}
