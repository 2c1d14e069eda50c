//! Askama page structs and the small view types they show.
//!
//! Handlers map the status model into these; templates only lay them out.
//! Everything here is already formatted text (times in the site timezone,
//! percentages), so templates hold no logic beyond loops and conditions.

use askama::Template;

use super::charts::Chart;

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

/// The overall banner at the top of `/`.
#[derive(Debug, Clone, PartialEq)]
pub struct BannerView {
    /// One of: none, minor, major, critical, maintenance (the indicator).
    pub class: &'static str,
    pub icon: &'static str,
    /// SPEC §3 words, e.g. "All Systems Operational".
    pub text: &'static str,
}

/// One day of an uptime bar.
#[derive(Debug, Clone, PartialEq)]
pub struct BarCell {
    /// One of: full (100 %), high (≥ 99 %), mid (≥ 95 %), low (< 95 %), none
    /// (no data). Templates leave the class out for full, the default colour.
    pub class: &'static str,
    /// E.g. "2026-11-24: 99.95%" or "2026-11-24: no data".
    pub title: String,
}

/// One component as listed on `/` and headed on `/components/{id}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentRow {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub status: StatusView,
    /// Set when the page cannot vouch for the status: "No data yet" or
    /// "Stale data: no check result since …".
    pub freshness_note: Option<String>,
    pub last_checked: Option<TimeView>,
    /// `history_days` cells, oldest first.
    pub bar: Vec<BarCell>,
    /// Uptime over the bar's period, e.g. "99.95%" or "no data".
    pub period_uptime: String,
    pub history_days: u32,
}

/// Components of one group (or the ungrouped ones: `name` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupView {
    pub name: Option<String>,
    pub components: Vec<ComponentRow>,
}

/// `GET /`.
#[derive(Debug, Template)]
#[template(path = "index.html")]
pub struct IndexPage {
    pub layout: Layout,
    pub banner: BannerView,
    /// Shown under the banner when some data is stale or missing.
    pub notice: Option<String>,
    pub groups: Vec<GroupView>,
    /// Active incidents, maintenance, and incidents of the last 7 days.
    pub events: super::incident_views::IndexEvents,
}

/// A check's last failure.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureView {
    pub at: TimeView,
    pub reason: String,
}

/// One check on `/components/{id}`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRow {
    /// The check's public label (SPEC §2 `label`).
    pub label: String,
    /// http, tcp, …
    pub kind: &'static str,
    /// URL without query, or host:port; only with `public_target = true`.
    pub target: Option<String>,
    pub state: StatusView,
    pub last_checked: Option<TimeView>,
    /// Latest latency, e.g. "182 ms".
    pub latency: Option<String>,
    pub last_failure: Option<FailureView>,
    /// E.g. "every 30s".
    pub interval: String,
}

/// One response-time chart with its heading.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartView {
    /// E.g. "Last 24 hours".
    pub label: String,
    pub chart: Chart,
}

/// `GET /components/{id}`.
#[derive(Debug, Template)]
#[template(path = "component.html")]
pub struct ComponentPage {
    pub layout: Layout,
    pub component: ComponentRow,
    /// Open incidents and current or upcoming maintenance that concern it.
    pub events: super::incident_views::CurrentEvents,
    pub checks: Vec<CheckRow>,
    /// 24 h, 7 d and 30 d.
    pub charts: Vec<ChartView>,
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

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
