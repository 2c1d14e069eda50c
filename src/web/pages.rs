//! The public HTML pages of SPEC §4.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Duration, Utc};

use super::charts::{self, Sample};
use super::error::PageError;
use super::state::AppState;
use super::views::{
    BannerView, BarCell, ChartView, CheckRow, ComponentPage, ComponentRow, FailureView, GroupView,
    IndexPage, Layout, StatusView, SubscribeChoice, SubscribeForm, TimeView,
};
use crate::config::Config;
use crate::model::{ComponentModel, Snapshot};
use crate::status::{CheckState, ComponentStatus, Freshness, Indicator, uptime};
use crate::store::LatencyBucket;

const HTML: &str = "text/html; charset=utf-8";

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/components/{id}", get(component))
}

#[tracing::instrument(skip_all)]
async fn index(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    let snap = state.snapshot.get();
    state
        .pages
        .serve("/", snap.built_at, &headers, || async {
            Ok((HTML, render_index(&snap)?))
        })
        .await
}

/// The HTML of `/` for a snapshot.
pub fn render_index(snap: &Snapshot) -> Result<String, askama::Error> {
    let page = IndexPage {
        layout: layout(&snap.config, snap.config.site.title.clone(), "/"),
        banner: banner(snap),
        notice: notice(snap),
        groups: groups(snap),
        events: super::history::index_events(snap),
    };
    // About what a component with its bar takes, so the buffer grows once.
    let per_component = snap.config.site.history_days as usize * 40 + 1024;
    let mut html = String::with_capacity(16 * 1024 + snap.components.len() * per_component);
    askama::Template::render_into(&page, &mut html)?;
    Ok(html)
}

#[tracing::instrument(skip(state, headers))]
async fn component(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let snap = state.snapshot.get();
    let model = snap.component(&id).ok_or(PageError::NotFound)?;
    let key = format!("/components/{id}");
    state
        .pages
        .serve(&key, snap.built_at, &headers, || async {
            let config = &snap.config;
            let row = component_row(config, model);
            let mut charts = Vec::new();
            for check in &model.checks {
                let check_spec = &config.checks[check.spec];
                let check_id = check_spec.id.as_str();
                for (label, span, hourly) in CHART_SPANS {
                    let from = snap.built_at - span;
                    let chart = if hourly {
                        let hours = state.store.hourly_latency(check_id, from).await?;
                        let samples: Vec<Sample> = hours
                            .iter()
                            .map(|s| Sample { at: s.at, ms: s.ms })
                            .collect();
                        charts::build(&samples, from, snap.built_at)
                    } else {
                        let buckets = state.store.five_minute_latency(check_id, from).await?;
                        five_minute_chart(&buckets, from, snap.built_at)
                    };
                    charts.push(ChartView {
                        label: format!("{}: {label}", check_spec.label),
                        chart,
                    });
                }
            }
            let page = ComponentPage {
                layout: layout(
                    config,
                    format!("{} · {}", row.name, config.site.title),
                    &key,
                ),
                checks: model.checks.iter().map(|c| check_row(config, c)).collect(),
                events: super::history::current_events(&snap, Some(&id)),
                component: row,
                charts,
            };
            Ok((HTML, askama::Template::render(&page)?))
        })
        .await
}

/// The 24-hour chart from five-minute buckets: 288 points at most, each
/// the bucket's mean latency plotted at its middle, and a mark on every
/// bucket with a failed result (whether or not it had a latency).
fn five_minute_chart(
    buckets: &[LatencyBucket],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> charts::Chart {
    let middle = |b: &LatencyBucket| b.start + Duration::seconds(150);
    let samples: Vec<Sample> = buckets
        .iter()
        .filter_map(|b| b.mean_ms.map(|ms| Sample { at: middle(b), ms }))
        .collect();
    let failures: Vec<DateTime<Utc>> = buckets
        .iter()
        .filter(|b| b.failed > 0)
        .map(middle)
        .collect();
    charts::build_with_failures(&samples, &failures, from, to)
}

/// Chart periods: label, span, and whether hourly rollups (not five-minute ones) feed it.
const CHART_SPANS: [(&str, Duration, bool); 3] = [
    ("last 24 hours", Duration::hours(24), false),
    ("last 7 days", Duration::days(7), true),
    ("last 30 days", Duration::days(30), true),
];

pub(super) fn layout(config: &Config, page_title: String, path: &str) -> Layout {
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

/// A time in the site timezone, absolute (so bytes change only with data).
pub fn time_view(config: &Config, at: DateTime<Utc>) -> TimeView {
    TimeView {
        iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        text: at
            .with_timezone(&config.site.timezone)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
    }
}

/// The overall banner. A green "All Systems Operational" is only shown when
/// every component has fresh data; otherwise the banner says what it lacks.
fn banner(snap: &Snapshot) -> BannerView {
    let indicator = snap.indicator;
    if indicator == Indicator::None {
        let any = |f| snap.components.iter().any(|c| c.freshness == f);
        if any(Freshness::Stale) {
            return BannerView {
                class: "unknown",
                icon: "?",
                text: "Monitoring Data Is Stale",
            };
        }
        if any(Freshness::NoData) {
            return BannerView {
                class: "unknown",
                icon: "?",
                text: "Waiting for the First Check Results",
            };
        }
    }
    let icon = match indicator {
        Indicator::None => "✓",
        Indicator::Maintenance => "⚒",
        Indicator::Minor => "!",
        Indicator::Major | Indicator::Critical => "✕",
    };
    BannerView {
        class: indicator.as_str(),
        icon,
        text: indicator.description(),
    }
}

fn notice(snap: &Snapshot) -> Option<String> {
    let stale: Vec<&str> = snap
        .components
        .iter()
        .filter(|c| c.freshness == Freshness::Stale)
        .map(|c| snap.config.components[c.spec].name.as_str())
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
        let name = snap.config.components[model.spec].group.clone();
        let row = component_row(&snap.config, model);
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

pub(super) fn component_status_view(status: ComponentStatus, freshness: Freshness) -> StatusView {
    match freshness {
        Freshness::NoData => {
            return StatusView {
                class: "nodata",
                label: "No Data",
                icon: "?",
            };
        }
        Freshness::Stale => {
            return StatusView {
                class: "stale",
                label: "Stale Data",
                icon: "?",
            };
        }
        Freshness::Fresh => {}
    }
    let (class, icon) = match status {
        ComponentStatus::Operational => ("operational", "✓"),
        ComponentStatus::UnderMaintenance => ("maintenance", "⚒"),
        ComponentStatus::DegradedPerformance => ("degraded", "!"),
        ComponentStatus::PartialOutage => ("partial", "✕"),
        ComponentStatus::MajorOutage => ("major", "✕"),
    };
    StatusView {
        class,
        label: status.label(),
        icon,
    }
}

fn check_state_view(state: Option<CheckState>, freshness: Freshness) -> StatusView {
    match (freshness, state) {
        (Freshness::NoData, _) | (_, None) => StatusView {
            class: "nodata",
            label: "No Data",
            icon: "?",
        },
        (Freshness::Stale, _) => StatusView {
            class: "stale",
            label: "Stale Data",
            icon: "?",
        },
        (Freshness::Fresh, Some(CheckState::Up)) => StatusView {
            class: "operational",
            label: "Up",
            icon: "✓",
        },
        (Freshness::Fresh, Some(CheckState::Degraded)) => StatusView {
            class: "degraded",
            label: "Degraded",
            icon: "!",
        },
        (Freshness::Fresh, Some(CheckState::Down)) => StatusView {
            class: "major",
            label: "Down",
            icon: "✕",
        },
    }
}

fn component_row(config: &Config, model: &ComponentModel) -> ComponentRow {
    let spec = &config.components[model.spec];
    let freshness_note = match model.freshness {
        Freshness::Fresh => None,
        Freshness::NoData => Some("No data yet: waiting for the first check result.".to_owned()),
        Freshness::Stale => Some(match model.last_checked {
            Some(at) => format!(
                "Stale data: no check result since {}.",
                time_view(config, at).text
            ),
            None => "Stale data.".to_owned(),
        }),
    };
    ComponentRow {
        id: spec.id.to_string(),
        name: spec.name.clone(),
        description: spec.description.clone(),
        status: component_status_view(model.status, model.freshness),
        freshness_note,
        last_checked: model.last_checked.map(|at| time_view(config, at)),
        bar: model
            .days
            .iter()
            .map(|d| BarCell {
                class: match d.percent {
                    None => "none",
                    Some(p) if p >= 100.0 => "full",
                    Some(p) if p >= 99.0 => "high",
                    Some(p) if p >= 95.0 => "mid",
                    Some(_) => "low",
                },
                title: cell_title(d.day, d.percent),
            })
            .collect(),
        period_uptime: model
            .period_uptime
            .map_or("no data".to_owned(), uptime::format_percent),
        history_days: config.site.history_days,
    }
}

/// "2026-11-24: 99.95%" or "2026-11-24: no data", written straight into
/// one string (a page has thousands of these).
fn cell_title(day: chrono::NaiveDate, percent: Option<f64>) -> String {
    use chrono::Datelike as _;
    use std::fmt::Write as _;
    let mut title = String::with_capacity(20);
    let _ = write!(
        title,
        "{:04}-{:02}-{:02}: ",
        day.year(),
        day.month(),
        day.day()
    );
    match percent {
        Some(p) => {
            let _ = write!(title, "{}", uptime::Percent(p));
        }
        None => title.push_str("no data"),
    }
    title
}

fn check_row(config: &Config, check: &crate::model::CheckModel) -> CheckRow {
    let spec = &config.checks[check.spec];
    CheckRow {
        label: spec.label.clone(),
        kind: spec.kind.name(),
        target: spec.shown_target(),
        state: check_state_view(check.state, check.freshness),
        last_checked: check.last_result_at.map(|at| time_view(config, at)),
        latency: check.last_latency_ms.map(|ms| format!("{ms} ms")),
        last_failure: check.last_failure.as_ref().map(|(at, reason)| FailureView {
            at: time_view(config, *at),
            reason: spec.public_reason(reason),
        }),
        interval: format!("every {}", humantime::format_duration(spec.interval)),
    }
}
