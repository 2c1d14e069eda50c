//! The component page (checks, charts) and the error page.

use super::samples::*;
use super::*;

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
