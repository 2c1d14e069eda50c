//! Sample view values: an index page, a component page with charts, an
//! error page, built from the parts a presenter would fill in.

use super::*;
use crate::web::charts::{self, Sample};

pub(super) fn layout(page_title: &str) -> Layout {
    Layout {
        site_title: "Acme Cloud".into(),
        site_description: "Live status of Acme's API, dashboard and edge network.".into(),
        page_title: page_title.into(),
        canonical: Some("https://status.acme.test/".into()),
        subscribe: None,
    }
}

pub(super) fn status(class: &'static str) -> StatusView {
    let (label, icon) = match class {
        "operational" => ("Operational", "✓"),
        "degraded" => ("Degraded Performance", "!"),
        "partial" => ("Partial Outage", "!"),
        "major" => ("Major Outage", "✕"),
        "maintenance" => ("Under Maintenance", "⚒"),
        "stale" => ("Stale Data", "…"),
        _ => ("No Data", "?"),
    };
    StatusView { class, label, icon }
}

/// `days` cells, oldest first; `bad` lists (days ago, class).
pub(super) fn bar(days: u32, bad: &[(u32, &'static str)]) -> Vec<BarCell> {
    (0..days)
        .map(|i| {
            let ago = days - 1 - i;
            let date = (now() - Duration::days(i64::from(ago))).format("%Y-%m-%d");
            let class = bad
                .iter()
                .find(|(d, _)| *d == ago)
                .map_or("full", |(_, c)| *c);
            let figure = match class {
                "full" => "100%".to_string(),
                "high" => "99.62%".to_string(),
                "mid" => "97.10%".to_string(),
                "low" => "81.25%".to_string(),
                _ => "no data".to_string(),
            };
            BarCell {
                class,
                title: format!("{date}: {figure}"),
            }
        })
        .collect()
}

pub(super) fn row(
    id: &str,
    name: &str,
    class: &'static str,
    bad: &[(u32, &'static str)],
) -> ComponentRow {
    ComponentRow {
        id: id.into(),
        name: name.into(),
        description: None,
        status: status(class),
        freshness_note: None,
        last_checked: Some(time(1)),
        bar: bar(90, bad),
        period_uptime: "99.95%".into(),
        history_days: 90,
        report: Some(ReportView {
            action: format!("/components/{id}/report"),
            count: None,
        }),
    }
}

pub(super) fn index_page() -> IndexPage {
    let mut api = row("api", "API", "operational", &[(12, "high"), (40, "mid")]);
    api.description = Some("REST and GraphQL endpoints at api.acme.test".into());
    let mut dash = row(
        "dashboard",
        "Dashboard",
        "degraded",
        &[(0, "high"), (3, "high")],
    );
    dash.period_uptime = "99.71%".into();
    let mut db = row(
        "db",
        "Database",
        "partial",
        &[(0, "low"), (1, "mid"), (57, "high")],
    );
    db.period_uptime = "99.12%".into();
    db.description = Some("Primary PostgreSQL cluster".into());
    let mut cdn = row("cdn", "CDN", "stale", &[]);
    cdn.freshness_note = Some("Stale data: no check result since 2026-11-24 13:20 UTC".into());
    cdn.last_checked = Some(time(45));
    let mut eu = row("edge-eu", "Edge (EU)", "maintenance", &[(0, "mid")]);
    eu.period_uptime = "99.98%".into();
    let mut us = row("edge-us", "Edge (US)", "major", &[(0, "low")]);
    us.period_uptime = "99.40%".into();
    let mut new = row("search", "Search", "nodata", &[]);
    new.bar = bar(90, &(0..90).map(|d| (d, "none")).collect::<Vec<_>>());
    new.period_uptime = "no data".into();
    new.freshness_note = Some("No data yet".into());
    new.last_checked = None;
    IndexPage {
        layout: layout("Acme Cloud Status"),
        banner: BannerView {
            class: "major",
            icon: "!",
            text: "Partial System Outage",
        },
        notice: Some(
            "Some checks have not reported recently; their status may be out of date.".into(),
        ),
        events: Default::default(),
        groups: vec![
            GroupView {
                name: None,
                components: vec![api, dash],
            },
            GroupView {
                name: Some("Infrastructure".into()),
                components: vec![db, cdn, new],
            },
            GroupView {
                name: Some("Edge network".into()),
                components: vec![eu, us],
            },
        ],
    }
}

pub(super) fn samples(from: DateTime<Utc>, to: DateTime<Utc>, step: Duration) -> Vec<Sample> {
    let mut out = Vec::new();
    let mut at = from;
    let mut i = 0u32;
    let span = (to - from).num_seconds() as f64;
    while at <= to {
        let f = f64::from(i);
        let pos = (at - from).num_seconds() as f64 / span;
        // A hole between 55% and 62% of the window: the probe was down.
        if !(0.55..0.62).contains(&pos) {
            let spike = if i.is_multiple_of(37) { 420.0 } else { 0.0 };
            out.push(Sample {
                at,
                ms: 160.0 + 40.0 * (f / 7.0).sin() + 15.0 * (f / 2.3).cos() + spike,
            });
        }
        at += step;
        i += 1;
    }
    out
}

pub(super) fn component_page() -> ComponentPage {
    let mut c = row(
        "api",
        "API",
        "degraded",
        &[(0, "high"), (12, "mid"), (40, "low")],
    );
    c.description = Some("REST and GraphQL endpoints at api.acme.test".into());
    c.period_uptime = "99.87%".into();
    let to = now();
    let chart = |label: &str, span: Duration, step: Duration| ChartView {
        label: label.to_owned(),
        chart: charts::build(&samples(to - span, to, step), to - span, to),
    };
    ComponentPage {
        layout: layout("API · Acme Cloud Status"),
        component: c,
        events: Default::default(),
        checks: vec![
            CheckRow {
                label: "api-health".into(),
                kind: "http",
                target: Some("https://api.acme.test/healthz".into()),
                state: status("operational"),
                last_checked: Some(time(1)),
                latency: Some("182 ms".into()),
                last_failure: Some(FailureView {
                    at: time(60 * 26),
                    reason: "status 503, expected 2xx".into(),
                }),
                interval: "every 30s".into(),
            },
            CheckRow {
                label: "api-graphql".into(),
                kind: "http",
                target: None,
                state: status("degraded"),
                last_checked: Some(time(0)),
                latency: Some("1240 ms".into()),
                last_failure: None,
                interval: "every 1m".into(),
            },
            CheckRow {
                label: "api-tcp".into(),
                kind: "tcp",
                target: Some("api.acme.test:443".into()),
                state: status("nodata"),
                last_checked: None,
                latency: None,
                last_failure: None,
                interval: "every 5m".into(),
            },
        ],
        charts: vec![
            chart("Last 24 hours", Duration::hours(24), Duration::minutes(10)),
            chart("Last 7 days", Duration::days(7), Duration::hours(1)),
            ChartView {
                label: "Last 30 days".to_owned(),
                chart: charts::build(&[], to - Duration::days(30), to),
            },
        ],
    }
}

pub(super) fn error_page() -> ErrorPage {
    ErrorPage {
        layout: layout("Not found · Acme Cloud Status"),
        status: 404,
        title: "Page not found".into(),
        message: "There is no component with the id \"nope\".".into(),
    }
}
