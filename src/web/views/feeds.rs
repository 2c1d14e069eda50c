//! The content of one feed entry (`templates/feed_entry.html`): its window,
//! the components it concerns and its timeline, as HTML inside the feed.

use askama::Template;
use chrono::{DateTime, Utc};

use crate::web::markdown::SafeHtml;

/// One event of an entry's timeline.
pub struct Event {
    pub label: String,
    /// When, in the site timezone.
    pub when: String,
    pub body: SafeHtml,
    pub at: DateTime<Utc>,
}

/// `templates/feed_entry.html`.
#[derive(Template)]
#[template(path = "feed_entry.html")]
pub struct Content<'a> {
    pub window: Option<String>,
    pub components: Vec<&'a str>,
    pub events: Vec<Event>,
}
