//! The index page: banner, groups, uptime bars, report forms, escaping.

use super::samples::*;
use super::*;

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
