//! Render sample pages and look at them with an HTML parser.
//!
//! `BEACON_UI_DUMP=/tmp/ui cargo test --lib web::views -- --ignored dump`
//! writes the sample pages out, to look at in a browser.

use super::*;
use crate::web::charts::{self, Sample};
use chrono::{DateTime, Duration, TimeZone, Utc};
use scraper::{Html, Selector};

const XSS: &str = "<script>alert(1)</script>";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 14, 5, 0).unwrap()
}

fn time(minutes_ago: i64) -> TimeView {
    let t = now() - Duration::minutes(minutes_ago);
    TimeView {
        iso: t.to_rfc3339(),
        text: t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

fn layout(page_title: &str) -> Layout {
    Layout {
        site_title: "Acme Cloud".into(),
        site_description: "Live status of Acme's API, dashboard and edge network.".into(),
        page_title: page_title.into(),
        canonical: Some("https://status.acme.test/".into()),
        subscribe: None,
    }
}

fn status(class: &'static str) -> StatusView {
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
fn bar(days: u32, bad: &[(u32, &'static str)]) -> Vec<BarCell> {
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

fn row(id: &str, name: &str, class: &'static str, bad: &[(u32, &'static str)]) -> ComponentRow {
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

fn index_page() -> IndexPage {
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

fn samples(from: DateTime<Utc>, to: DateTime<Utc>, step: Duration) -> Vec<Sample> {
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

fn component_page() -> ComponentPage {
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
        regions: None,
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

fn error_page() -> ErrorPage {
    ErrorPage {
        layout: layout("Not found · Acme Cloud Status"),
        status: 404,
        title: "Page not found".into(),
        message: "There is no component with the id \"nope\".".into(),
    }
}

fn render(t: &impl Template) -> (String, Html) {
    let s = t.render().unwrap();
    let doc = Html::parse_document(&s);
    (s, doc)
}

fn text(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Landmarks, one h1, stylesheet, icon, canonical and footer on every page.
fn assert_frame(doc: &Html) {
    assert_eq!(doc.select(&sel("html[lang=en]")).count(), 1);
    assert_eq!(doc.select(&sel("meta[name=viewport]")).count(), 1);
    assert_eq!(
        doc.select(&sel(
            "link[rel=stylesheet][href^='/static/style.'][href$='.css']"
        ))
        .count(),
        1
    );
    assert_eq!(
        doc.select(&sel(
            "link[rel=icon][href^='/static/favicon.'][href$='.svg']"
        ))
        .count(),
        1
    );
    assert_eq!(
        doc.select(&sel(
            "link[rel=canonical][href='https://status.acme.test/']"
        ))
        .count(),
        1
    );
    for landmark in ["body > header", "body > main", "body > footer"] {
        assert_eq!(doc.select(&sel(landmark)).count(), 1, "{landmark}");
    }
    assert_eq!(doc.select(&sel("h1")).count(), 1);
    let footer = text(doc, "footer").join(" ");
    assert!(footer.contains("Powered by Beacon"));
    assert_eq!(doc.select(&sel("footer a[href='/']")).count(), 1);
}

/// No inline styles or scripts anywhere: the CSP forbids them.
fn assert_csp_clean(html: &str, doc: &Html) {
    assert_eq!(doc.select(&sel("[style], style, script")).count(), 0);
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("//fonts."));
}

#[test]
fn index_lays_out_banner_groups_and_components() {
    let page = index_page();
    let (html, doc) = render(&page);
    assert_frame(&doc);
    assert_csp_clean(&html, &doc);
    assert_eq!(text(&doc, "h1"), ["Acme Cloud"]);
    assert_eq!(
        text(&doc, ".tagline"),
        [page.layout.site_description.as_str()]
    );
    assert_eq!(doc.select(&sel(".banner.banner-major")).count(), 1);
    assert_eq!(text(&doc, ".banner-text"), ["Partial System Outage"]);
    assert_eq!(text(&doc, ".notice").len(), 1);
    assert_eq!(
        text(&doc, ".group-name"),
        ["Infrastructure", "Edge network"]
    );

    let names = text(&doc, "a.component-name");
    assert_eq!(
        names,
        [
            "API",
            "Dashboard",
            "Database",
            "CDN",
            "Search",
            "Edge (EU)",
            "Edge (US)"
        ]
    );
    let hrefs: Vec<&str> = doc
        .select(&sel("a.component-name"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs[0], "/components/api");
    assert_eq!(hrefs[6], "/components/edge-us");

    let labels = text(&doc, ".component .status-label");
    assert_eq!(labels[1], "Degraded Performance");
    assert_eq!(labels[2], "Partial Outage");
    assert_eq!(
        doc.select(&sel(".status-partial .status-icon[aria-hidden=true]"))
            .count(),
        1
    );
    assert_eq!(
        text(&doc, ".component-desc"),
        [
            "REST and GraphQL endpoints at api.acme.test",
            "Primary PostgreSQL cluster"
        ]
    );
    let notes = text(&doc, ".freshness");
    assert_eq!(notes.len(), 2);
    assert!(notes[0].starts_with("Stale data"));
    assert_eq!(notes[1], "No data yet");

    // Last checked: a <time> for each checked component, words otherwise.
    let times: Vec<&str> = doc
        .select(&sel(".checked time[datetime]"))
        .map(|t| t.value().attr("datetime").unwrap())
        .collect();
    assert_eq!(times.len(), 6);
    assert_eq!(times[0], "2026-11-24T14:04:00+00:00");
    assert!(text(&doc, ".checked").contains(&"Not checked yet".to_string()));
}

#[test]
fn uptime_bar_has_one_titled_accessible_cell_per_day() {
    let page = index_page();
    let (_, doc) = render(&page);
    let bars: Vec<_> = doc.select(&sel("ol.bar")).collect();
    assert_eq!(bars.len(), 7);
    for (bar, c) in bars
        .iter()
        .zip(page.groups.iter().flat_map(|g| &g.components))
    {
        assert_eq!(bar.value().attr("aria-label"), Some("Uptime, last 90 days"));
        let cells: Vec<_> = bar.select(&sel("ol.bar > li")).collect();
        assert_eq!(cells.len(), c.history_days as usize);
        for (li, cell) in cells.iter().zip(&c.bar) {
            // A perfect day is the default colour; every other day is classed.
            let class = li.value().attr("class").unwrap_or("full");
            assert_eq!(class, cell.class);
            // The day and figure, once: the screen-reader text and the tooltip.
            let said: String = li.select(&sel("span")).flat_map(|e| e.text()).collect();
            assert_eq!(said, cell.title);
            assert_eq!(li.text().collect::<String>(), cell.title);
        }
    }
    let legend = text(&doc, ".bar-legend")[0]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(legend.starts_with("90 days ago"), "{legend}");
    assert!(legend.contains("99.95% uptime"));
    assert!(legend.ends_with("Today"));
    assert!(
        text(&doc, ".bar-legend")
            .iter()
            .any(|l| l.contains("Uptime: no data"))
    );
}

#[test]
fn short_history_has_no_phone_legend() {
    let mut page = index_page();
    page.groups.truncate(1);
    page.groups[0].components.truncate(1);
    let c = &mut page.groups[0].components[0];
    c.history_days = 30;
    c.bar = bar(30, &[]);
    let (_, doc) = render(&page);
    assert_eq!(doc.select(&sel("ol.bar li")).count(), 30);
    assert_eq!(doc.select(&sel(".legend-short")).count(), 0);
    assert_eq!(doc.select(&sel(".uptime-long")).count(), 0);
    assert_eq!(
        doc.select(&sel("ol.bar"))
            .next()
            .unwrap()
            .value()
            .attr("aria-label"),
        Some("Uptime, last 30 days")
    );
}

#[test]
fn report_forms_post_without_javascript_and_show_the_count_when_given() {
    let mut page = index_page();
    let (html, doc) = render(&page);
    let forms = sel("li.component details.report form.report-form[method=post]");
    let components = doc.select(&sel("li.component")).count();
    assert_eq!(
        doc.select(&forms).count(),
        components,
        "one compact form per component"
    );
    for form in doc.select(&sel("form.report-form")) {
        let note = form
            .select(&sel("textarea[name=note][maxlength='500']"))
            .next();
        let id = note
            .and_then(|n| n.value().attr("id"))
            .expect("a note field");
        assert_eq!(form.select(&sel(&format!("label[for={id}]"))).count(), 1);
        assert_eq!(
            form.select(&sel(
                ".hp[aria-hidden=true] input[name=website][tabindex='-1']"
            ))
            .count(),
            1
        );
    }
    assert!(html.contains(r#"action="/components/api/report""#));
    assert_eq!(doc.select(&sel(".report-count")).count(), 0);

    let first = &mut page.groups[0].components[0];
    first.report.as_mut().unwrap().count = Some(format!("3 visitors {XSS}"));
    let second = &mut page.groups[0].components[1];
    second.report = None;
    let (html, doc) = render(&page);
    assert_eq!(text(&doc, ".report-count"), [format!("3 visitors {XSS}")]);
    assert!(!html.contains(XSS), "escaped");
    assert_eq!(
        doc.select(&sel("form.report-form")).count(),
        doc.select(&sel("li.component")).count() - 1
    );
}

#[test]
fn index_without_notice_groups_or_canonical() {
    let mut page = index_page();
    page.notice = None;
    page.layout.canonical = None;
    page.groups.clear();
    page.banner = BannerView {
        class: "none",
        icon: "✓",
        text: "All Systems Operational",
    };
    let (_, doc) = render(&page);
    assert_eq!(
        doc.select(&sel(".notice, link[rel=canonical], .component"))
            .count(),
        0
    );
    assert_eq!(doc.select(&sel(".banner.banner-none")).count(), 1);
}

#[test]
fn operator_text_is_escaped() {
    let mut page = index_page();
    page.layout.site_title = XSS.into();
    page.layout.site_description = XSS.into();
    page.notice = Some(XSS.into());
    page.groups[1].name = Some(XSS.into());
    let c = &mut page.groups[0].components[0];
    c.name = XSS.into();
    c.description = Some(XSS.into());
    c.id = "a\"><script>".into();
    c.bar[0].title = XSS.into();
    c.freshness_note = Some(XSS.into());
    let (html, doc) = render(&page);
    assert_eq!(doc.select(&sel("script")).count(), 0);
    assert!(!html.contains("<script>"));
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;")
    );
    assert_eq!(text(&doc, "a.component-name")[0], XSS);
    assert_eq!(text(&doc, ".component-desc")[0], XSS);

    let mut page = component_page();
    page.component.name = XSS.into();
    page.checks[0].target = Some(XSS.into());
    page.checks[0].label = XSS.into();
    page.checks[0].last_failure.as_mut().unwrap().reason = XSS.into();
    let (html, doc) = render(&page);
    assert_eq!(doc.select(&sel("script")).count(), 0);
    assert!(!html.contains("<script>"));
    assert_eq!(text(&doc, "h1"), [XSS]);
    assert_eq!(text(&doc, ".failure-reason"), [XSS]);

    let mut page = error_page();
    page.title = XSS.into();
    page.message = XSS.into();
    let (html, doc) = render(&page);
    assert_eq!(doc.select(&sel("script")).count(), 0);
    assert!(!html.contains("<script>"));
}

#[test]
fn component_page_lays_out_checks_and_charts() {
    let page = component_page();
    let (html, doc) = render(&page);
    assert_frame(&doc);
    assert_csp_clean(&html, &doc);
    assert_eq!(doc.select(&sel("main a[href='/']")).count(), 1);
    assert_eq!(text(&doc, "h1"), ["API"]);
    assert_eq!(
        text(&doc, ".component-hero .status-label"),
        ["Degraded Performance"]
    );
    assert_eq!(doc.select(&sel("ol.bar > li > span")).count(), 90);

    // The checks table: column headers, a row header per check.
    assert_eq!(
        doc.select(&sel("table.checks thead th[scope=col]")).count(),
        5
    );
    let rows: Vec<_> = doc.select(&sel("table.checks tbody tr")).collect();
    assert_eq!(rows.len(), 3);
    let first = rows[0].text().collect::<String>();
    for want in [
        "api-health",
        "http",
        "https://api.acme.test/healthz",
        "Operational",
        "182 ms",
        "status 503, expected 2xx",
        "every 30s",
    ] {
        assert!(first.contains(want), "{want} in {first}");
    }
    assert_eq!(rows[0].select(&sel("time[datetime]")).count(), 2);
    let second = rows[1].text().collect::<String>();
    assert!(second.contains("none"));
    assert_eq!(
        rows[1].select(&sel(".check-url")).count(),
        0,
        "a private target is not shown"
    );
    let third = rows[2].text().collect::<String>();
    assert!(third.contains("never") && third.contains("No Data"));

    // Three charts with their labels; the last one is empty.
    assert_eq!(
        text(&doc, ".chart-title"),
        ["Last 24 hours", "Last 7 days", "Last 30 days"]
    );
    let figs: Vec<_> = doc.select(&sel("figure.chart")).collect();
    assert_eq!(
        figs[0].select(&sel("svg polyline.chart-line")).count(),
        2,
        "gap splits the line"
    );
    assert!(
        figs[0]
            .select(&sel(".chart-summary"))
            .next()
            .unwrap()
            .text()
            .collect::<String>()
            .contains("Response time: avg ")
    );
    assert_eq!(
        figs[0]
            .select(&sel(".chart-y span"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "600 ms"
    );
    let x: Vec<String> = figs[1]
        .select(&sel(".chart-x span"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(x, ["7 days ago", "Now"]);
    assert_eq!(figs[2].select(&sel("svg")).count(), 0);
    assert_eq!(
        figs[2]
            .select(&sel(".chart-empty"))
            .next()
            .unwrap()
            .text()
            .collect::<String>()
            .trim(),
        "No data for this period"
    );
}

#[test]
fn component_page_without_checks_or_charts() {
    let mut page = component_page();
    page.checks.clear();
    page.charts.clear();
    page.component.last_checked = None;
    let (_, doc) = render(&page);
    assert_eq!(doc.select(&sel("table, figure")).count(), 0);
    assert!(text(&doc, ".component-hero .checked")[0].contains("Not checked yet"));
}

#[test]
fn error_page_shows_status_title_message_and_way_home() {
    let (html, doc) = render(&error_page());
    assert_frame(&doc);
    assert_csp_clean(&html, &doc);
    assert_eq!(text(&doc, ".error-code"), ["404"]);
    assert_eq!(text(&doc, "h1"), ["Page not found"]);
    assert_eq!(
        text(&doc, ".error-message"),
        ["There is no component with the id \"nope\"."]
    );
    assert_eq!(doc.select(&sel("main a[href='/']")).count(), 1);
}

/// Writes the sample pages to `$BEACON_UI_DUMP` (with the stylesheet under
/// its hashed name in `static/`) to look at them in a browser.
#[test]
#[ignore = "writes files; run by hand with BEACON_UI_DUMP=dir"]
fn dump() {
    let Ok(dir) = std::env::var("BEACON_UI_DUMP") else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir.join("static")).unwrap();
    let served = [
        ("style.css", crate::web::assets::stylesheet_url()),
        ("favicon.svg", crate::web::assets::icon_url()),
    ];
    for (f, url) in served {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("static")
            .join(f);
        std::fs::copy(src, dir.join(url.trim_start_matches('/'))).unwrap();
    }
    let mut ok = index_page();
    ok.banner = BannerView {
        class: "none",
        icon: "✓",
        text: "All Systems Operational",
    };
    ok.notice = None;
    let pages = [
        ("index.html", index_page().render().unwrap()),
        ("ok.html", ok.render().unwrap()),
        ("component.html", component_page().render().unwrap()),
        ("error.html", error_page().render().unwrap()),
    ];
    for (name, html) in pages {
        std::fs::write(dir.join(name), html).unwrap();
    }
}

#[test]
fn the_region_table_lists_each_region_of_each_check_escaped() {
    let (html, _) = render(&component_page());
    assert!(!html.contains("By probe region"), "one region: no table");

    let mut page = component_page();
    let cell = |region: &str, class: Option<&'static str>| RegionCell {
        region: region.into(),
        state: class.map(status),
    };
    page.regions = Some(RegionTable {
        regions: vec!["eu".into(), "us".into()],
        rows: vec![
            RegionRow {
                label: XSS.into(),
                cells: vec![cell("eu", Some("major")), cell("us", Some("stale"))],
            },
            RegionRow {
                label: "api-tcp".into(),
                cells: vec![cell("eu", Some("operational")), cell("us", None)],
            },
        ],
    });
    let (html, doc) = render(&page);
    assert!(!html.contains("<script>"));
    assert_eq!(text(&doc, "table.regions thead th"), ["Check", "eu", "us"]);
    assert_eq!(text(&doc, "table.regions tbody th"), [XSS, "api-tcp"]);
    let cells = text(&doc, "table.regions tbody td");
    assert_eq!(cells.len(), 4, "{cells:?}");
    assert!(cells[3].contains("not probed"), "{cells:?}");
    let labels: Vec<_> = doc
        .select(&sel("table.regions td"))
        .filter_map(|td| td.value().attr("data-label"))
        .collect();
    assert_eq!(labels, ["eu", "us", "eu", "us"]);
}
