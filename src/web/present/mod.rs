//! Snapshot and domain values → view models ([`super::views`]): every
//! label, colour class, time and figure a visitor reads is worded here, once.
//! Pure: what is not in the snapshot (history, one incident, chart samples)
//! is loaded by the handler and passed in.
//!
//! [`index`] and [`components`] build `/` and `/components/{id}`,
//! [`incidents`] the incident and maintenance pages and cards, [`feeds`]
//! the feeds, [`statuspage`] the API v2 payloads, [`badge`] the badges,
//! [`metrics`] the Prometheus text, [`reports`] the answers to a report;
//! [`status`] and [`time`] word single values for all of them.

pub mod badge;
pub mod components;
pub mod feeds;
pub mod incidents;
pub mod index;
pub mod metrics;
pub mod regions;
pub mod reports;
pub mod status;
pub mod statuspage;
pub mod time;

use crate::config::Config;
use crate::web::views::{Layout, SubscribeChoice, SubscribeForm};

/// The layout of a page at `path` (its canonical URL under `site.url`).
pub fn layout(config: &Config, page_title: String, path: &str) -> Layout {
    Layout {
        site_title: config.site.title.clone(),
        site_description: config.site.description.clone(),
        page_title,
        canonical: config.site.url.as_ref().map(|base| format!("{base}{path}")),
        subscribe: config.notify.subscriptions.then(|| SubscribeForm {
            components: config
                .components
                .iter()
                .map(|c| SubscribeChoice {
                    id: c.id.as_str().to_owned(),
                    name: c.name.clone(),
                    checked: path == format!("/components/{}", c.id.as_str()),
                })
                .collect(),
        }),
    }
}

/// The configured name of a component, or its id if it left the config.
pub fn component_name<'c>(config: &'c Config, id: &'c str) -> &'c str {
    config.component_name(id)
}
