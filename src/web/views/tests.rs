//! Render sample pages and look at them with an HTML parser: the sample
//! values are in `samples`, the index page's tests in `index`, the
//! component and error pages' in `component`.
//!
//! `BEACON_UI_DUMP=/tmp/ui cargo test --lib web::views -- --ignored dump`
//! writes the sample pages out, to look at in a browser.

use super::*;
use askama::Template;
use chrono::{DateTime, Duration, TimeZone, Utc};
use scraper::{Html, Selector};

mod component;
mod dump;
mod index;
mod samples;

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
