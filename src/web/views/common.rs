//! The view types every page shares: times, statuses, the layout, the
//! subscribe form, and the notice and error pages.

use askama::Template;

/// A time shown to visitors: machine-readable and in the site timezone.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeView {
    /// RFC 3339, for `<time datetime>`.
    pub iso: String,
    /// Absolute, in the site timezone, e.g. "2026-11-24 14:05 CET".
    pub text: String,
}

/// A status as text, icon and CSS class (never colour alone).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusView {
    /// One of: operational, degraded, partial, major, maintenance, nodata, stale.
    pub class: &'static str,
    /// E.g. "Partial Outage".
    pub label: &'static str,
    /// A text glyph that carries the status without colour: ✓ ! ✕ ⚒ ? …
    pub icon: &'static str,
}

/// Shared by every page: site identity and `<head>` bits.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub site_title: String,
    pub site_description: String,
    /// The `<title>` of this page.
    pub page_title: String,
    /// Canonical absolute URL of this page, when `site.url` is set.
    pub canonical: Option<String>,
    /// The e-mail subscribe form, when `[subscriptions] enabled`.
    pub subscribe: Option<SubscribeForm>,
}

/// The subscribe form (SPEC §8): the components a visitor may pick.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscribeForm {
    pub components: Vec<SubscribeChoice>,
}

/// One component of the subscribe form.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscribeChoice {
    pub id: String,
    pub name: String,
    /// Ticked already (the component whose page this is).
    pub checked: bool,
}

/// A short answer page: sign-up sent, confirmed, unsubscribed, or why not;
/// with `action`, one button that POSTs there.
#[derive(Debug, Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub layout: Layout,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub action: Option<String>,
    pub button: String,
}

/// 404 and other error pages.
#[derive(Debug, Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub title: String,
    pub message: String,
}
