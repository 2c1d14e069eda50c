//! The page structs of `/` and `/components/{id}` and their rows.

use askama::Template;

use super::common::{Layout, StatusView, TimeView};
use super::incidents::{CurrentEvents, IndexEvents};
use crate::web::charts::Chart;

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
    /// The "Report a problem" form; `None` when `[reports] enabled = false`.
    pub report: Option<ReportView>,
}

/// A component's "Report a problem" form (SPEC §10).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    /// `/components/{id}/report`.
    pub action: String,
    /// E.g. "3 visitors reported a problem in the last hour"; only with
    /// `[reports] public = true`.
    pub count: Option<String>,
}

/// The answer to a report: thanks, or why it was refused (429, 422, ...).
#[derive(Debug, Template)]
#[template(path = "report_sent.html")]
pub struct ReportSentPage {
    pub layout: Layout,
    pub title: String,
    pub message: String,
    /// The component's page, to go back to.
    pub back: String,
    pub component: String,
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
    pub events: IndexEvents,
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
    pub events: CurrentEvents,
    pub checks: Vec<CheckRow>,
    /// 24 h, 7 d and 30 d.
    pub charts: Vec<ChartView>,
}
