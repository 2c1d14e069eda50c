//! The feeds of SPEC §5 (RSS 2.0, Atom 1.0, JSON Feed 1.1) for the whole
//! page or one component: [`entries`] turns incidents and maintenances into
//! format-neutral entries, [`formats`] writes them out.

pub mod calendar;
pub mod entries;
pub mod formats;

use chrono::{DateTime, Utc};

use crate::domain::{Incident, Maintenance};
use crate::model::{ComponentModel, Snapshot};
use formats::Channel;

/// A feed format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    /// Its `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// Its file extension, as in `/feed.rss`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }
}

/// What one feed shows: the data it is made of, and where it lives.
pub struct Feed<'a> {
    pub snap: &'a Snapshot,
    /// Absolute base of links (`site.url`, else the bound address).
    pub base: &'a str,
    /// The feed's own path, e.g. `/components/api/feed.atom`.
    pub path: &'a str,
    /// Only this component's entries, when set.
    pub component: Option<&'a ComponentModel>,
    pub incidents: &'a [Incident],
    pub maintenances: &'a [Maintenance],
}

/// The feed in `format`.
pub fn render(feed: &Feed<'_>, format: Format) -> String {
    let (config, base) = (&feed.snap.config, feed.base);
    let now: DateTime<Utc> = feed.snap.built_at;
    let component = feed.component.map(|c| c.spec.id.as_str());
    let list = entries::collect(
        base,
        config,
        feed.incidents,
        feed.maintenances,
        now,
        component,
    );
    let (title, home) = match feed.component {
        Some(c) => (
            format!("{} status history: {}", config.site.title, c.spec.name),
            format!("{base}/components/{}", c.spec.id),
        ),
        None => (
            format!("{} status history", config.site.title),
            format!("{base}/"),
        ),
    };
    let channel = Channel {
        description: format!(
            "Incidents and scheduled maintenance of {}",
            config.site.title
        ),
        title,
        home,
        feed_url: format!("{base}{}", feed.path),
        updated: list.first().map_or(now, |e| e.updated),
    };
    match format {
        Format::Rss => formats::rss(&channel, &list),
        Format::Atom => formats::atom(&channel, &list),
        Format::Json => formats::json(&channel, &list),
    }
}
