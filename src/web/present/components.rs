//! `/components/{id}` and the component rows `/` lists: status, freshness
//! note, uptime bar, each check's state and last failure, and the
//! response-time charts.

use chrono::{DateTime, NaiveDate, Utc};

use super::{incidents, layout, status, time};
use crate::config::Config;
use crate::model::charts::Series;
use crate::model::{CheckModel, ComponentModel, Snapshot};
use crate::status::{Freshness, uptime};
use crate::web::charts::{self, Sample};
use crate::web::views::{
    BarCell, ChartView, CheckRow, ComponentPage, ComponentRow, FailureView, ReportView,
};

/// The page of one component; `series`: each check's chart samples, in check order.
pub fn page(
    snap: &Snapshot,
    model: &ComponentModel,
    series: &[Series],
    path: &str,
) -> ComponentPage {
    let config = &snap.config;
    let row = row(config, model);
    ComponentPage {
        layout: layout(
            config,
            format!("{} · {}", row.name, config.site.title),
            path,
        ),
        checks: model.checks.iter().map(|c| check_row(config, c)).collect(),
        regions: super::regions::table(model),
        events: incidents::current_events(snap, Some(model.spec.id.as_str())),
        component: row,
        charts: series.iter().map(|s| chart(s, snap.built_at)).collect(),
    }
}

fn chart(series: &Series, now: DateTime<Utc>) -> ChartView {
    let samples: Vec<Sample> = series
        .samples
        .iter()
        .map(|s| Sample { at: s.at, ms: s.ms })
        .collect();
    ChartView {
        label: format!("{}: {}", series.check.label, series.label),
        chart: charts::build_with_failures(&samples, &series.failures, series.from, now),
    }
}

/// A component as `/` lists it and its own page heads it.
pub fn row(config: &Config, model: &ComponentModel) -> ComponentRow {
    let spec = &model.spec;
    let freshness_note = match model.freshness {
        Freshness::Fresh => None,
        Freshness::NoData => Some("No data yet: waiting for the first check result.".to_owned()),
        Freshness::Stale => Some(match model.last_checked {
            Some(at) => format!(
                "Stale data: no check result since {}.",
                time::seconds(config, at).text
            ),
            None => "Stale data.".to_owned(),
        }),
    };
    ComponentRow {
        id: spec.id.to_string(),
        name: spec.name.clone(),
        description: spec.description.clone(),
        status: status::component(model.status, model.freshness),
        freshness_note,
        last_checked: model.last_checked.map(|at| time::seconds(config, at)),
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
        report: config.reports.enabled.then(|| ReportView {
            action: format!("/components/{}/report", spec.id),
            count: model.reporters_last_hour.map(reporters),
        }),
    }
}

/// "No visitor reported a problem in the last hour", "1 visitor reported
/// …", "12 visitors reported …".
fn reporters(n: u32) -> String {
    match n {
        0 => "No visitor reported a problem in the last hour".to_owned(),
        1 => "1 visitor reported a problem in the last hour".to_owned(),
        n => format!("{n} visitors reported a problem in the last hour"),
    }
}

/// "2026-11-24: 99.95%" or "2026-11-24: no data", written straight into
/// one string (a page has thousands of these).
fn cell_title(day: NaiveDate, percent: Option<f64>) -> String {
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

fn check_row(config: &Config, check: &CheckModel) -> CheckRow {
    let spec = &check.spec;
    CheckRow {
        label: spec.label.clone(),
        kind: spec.kind.name(),
        target: spec.shown_target(),
        state: status::check(check.state, check.freshness),
        last_checked: check.last_result_at.map(|at| time::seconds(config, at)),
        latency: check.last_latency_ms.map(|ms| format!("{ms} ms")),
        last_failure: check.last_failure.as_ref().map(|(at, reason)| FailureView {
            at: time::seconds(config, *at),
            reason: spec.public_reason(reason),
        }),
        interval: format!("every {}", humantime::format_duration(spec.interval)),
    }
}
