//! The three feed formats over the same entries: RSS 2.0 (`rss` crate),
//! Atom 1.0 (`atom_syndication`) and JSON Feed 1.1 (serde).

use atom_syndication as atom;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::entries::Entry;
use crate::domain::ComponentId;

/// What a feed is about.
#[derive(Debug, Clone)]
pub struct Channel {
    pub title: String,
    pub description: String,
    /// The page the feed belongs to (absolute).
    pub home: String,
    /// The feed's own URL (absolute).
    pub feed_url: String,
    /// When the newest entry changed; the build time when there is none.
    pub updated: DateTime<Utc>,
}

/// RSS 2.0 with an `atom:link rel="self"`, as feed validators recommend.
pub fn rss(channel: &Channel, entries: &[Entry]) -> String {
    let items: Vec<rss::Item> = entries
        .iter()
        .map(|e| {
            let mut item = rss::Item::default();
            item.set_title(e.title.clone());
            item.set_link(e.url.clone());
            item.set_guid(rss::Guid {
                value: e.url.clone(),
                permalink: true,
            });
            item.set_pub_date(e.updated.to_rfc2822());
            item.set_description(e.html.clone());
            item
        })
        .collect();
    let mut self_link = rss::extension::atom::Link::default();
    self_link.set_href(channel.feed_url.clone());
    self_link.set_rel("self");
    self_link.set_mime_type(Some("application/rss+xml".to_owned()));
    let mut atom_ext = rss::extension::atom::AtomExtension::default();
    atom_ext.set_links(vec![self_link]);
    let mut out = rss::Channel::default();
    out.set_title(channel.title.clone());
    out.set_link(channel.home.clone());
    out.set_description(channel.description.clone());
    out.set_last_build_date(channel.updated.to_rfc2822());
    out.set_generator("Beacon".to_owned());
    out.set_atom_ext(atom_ext);
    out.set_items(items);
    out.to_string()
}

/// Atom 1.0.
pub fn atom(channel: &Channel, entries: &[Entry]) -> String {
    let link = |href: &str, rel: &str, mime: Option<&str>| {
        let mut l = atom::Link::default();
        l.set_href(href.to_owned());
        l.set_rel(rel.to_owned());
        l.set_mime_type(mime.map(str::to_owned));
        l
    };
    let mut author = atom::Person::default();
    author.set_name(channel.title.clone());
    let items: Vec<atom::Entry> = entries
        .iter()
        .map(|e| {
            let mut entry = atom::Entry::default();
            entry.set_title(atom::Text::plain(e.title.clone()));
            entry.set_id(e.url.clone());
            entry.set_updated(e.updated.fixed_offset());
            entry.set_published(Some(e.published.fixed_offset()));
            entry.set_links(vec![link(&e.url, "alternate", Some("text/html"))]);
            let mut content = atom::Content::default();
            content.set_value(Some(e.html.clone()));
            content.set_content_type(Some("html".to_owned()));
            entry.set_content(Some(content));
            entry
        })
        .collect();
    let mut feed = atom::Feed::default();
    feed.set_title(atom::Text::plain(channel.title.clone()));
    feed.set_subtitle(Some(atom::Text::plain(channel.description.clone())));
    feed.set_id(channel.feed_url.clone());
    feed.set_updated(channel.updated.fixed_offset());
    feed.set_authors(vec![author]);
    feed.set_links(vec![
        link(&channel.home, "alternate", Some("text/html")),
        link(&channel.feed_url, "self", Some("application/atom+xml")),
    ]);
    feed.set_entries(items);
    feed.to_string()
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    description: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    date_published: String,
    date_modified: String,
    tags: &'a [ComponentId],
}

/// JSON Feed 1.1.
pub fn json(channel: &Channel, entries: &[Entry]) -> String {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &channel.title,
        description: &channel.description,
        home_page_url: &channel.home,
        feed_url: &channel.feed_url,
        items: entries
            .iter()
            .map(|e| JsonItem {
                id: &e.url,
                url: &e.url,
                title: &e.title,
                content_html: &e.html,
                date_published: e.published.to_rfc3339(),
                date_modified: e.updated.to_rfc3339(),
                tags: &e.components,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).unwrap_or_else(|_| "{}".to_owned())
}
