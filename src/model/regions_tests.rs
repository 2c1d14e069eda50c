use std::path::Path;

use chrono::TimeZone;

use super::*;
use crate::domain::Outcome;
use crate::status::Tracker;
use CheckState::{Down, Up};

const CONFIG: &str = "[[components]]\nid = \"api\"\nname = \"API\"\n\n\
    [[checks]]\nid = \"a\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"127.0.0.1:1\"\ninterval = \"10s\"\n\n\
    [[checks]]\nid = \"b\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"127.0.0.1:1\"\ninterval = \"1m\"\n";

fn config(extra: &str) -> Config {
    Config::parse(&format!("{extra}{CONFIG}"), Path::new("t.toml")).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

/// A row of `check` in `region` whose last result is `ago_s` seconds old.
fn row(check: &str, region: &str, state: CheckState, ago_s: i64) -> StoredCheckState {
    let outcome = if state == Down {
        Outcome::Failed
    } else {
        Outcome::Ok
    };
    StoredCheckState {
        check_id: check.into(),
        region: region.into(),
        tracker: Tracker::NEW.next(outcome, 1, 1),
        last_result_at: now() - chrono::Duration::seconds(ago_s),
        last_latency_ms: Some(ago_s),
        last_failure: (state == Down).then(|| (now(), format!("{region} failed"))),
    }
}

#[test]
fn one_region_shows_its_own_state_even_when_stale() {
    let shown = shown(&config(""), &[row("a", "default", Down, 3600)], now());
    let a = &shown["a"];
    assert_eq!(a.state, Some(Down));
    assert_eq!(a.regions.len(), 1);
    assert!(!a.regions[0].live);
    assert_eq!(a.last_latency_ms, Some(3600));
}

#[test]
fn regions_vote_with_the_configured_or_default_quorum() {
    let rows = [
        row("a", "eu", Down, 1),
        row("a", "us", Up, 2),
        row("a", "asia", Up, 3),
    ];
    let majority = shown(&config(""), &rows, now());
    assert_eq!(majority["a"].state, Some(Up));
    let names: Vec<_> = majority["a"].regions.iter().map(|r| &r.region).collect();
    assert_eq!(names, ["asia", "eu", "us"]);
    assert_eq!(majority["a"].last_latency_ms, Some(1), "the newest row");
    assert_eq!(
        majority["a"].last_failure.as_ref().map(|f| f.1.as_str()),
        Some("eu failed")
    );
    let one = shown(&config("[probes]\nquorum = 1\n"), &rows, now());
    assert_eq!(one["a"].state, Some(Down));
}

#[test]
fn a_stale_region_drops_out_per_check() {
    // `us` last reported 40 s ago: stale for `a` (10 s), live for `b` (1 m).
    let rows = [
        row("a", "eu", Down, 1),
        row("a", "us", Down, 40),
        row("a", "asia", Up, 1),
        row("b", "eu", Down, 1),
        row("b", "us", Down, 40),
        row("b", "asia", Up, 1),
    ];
    let shown = shown(&config("[probes]\nquorum = 2\n"), &rows, now());
    assert_eq!(
        shown["a"].state,
        Some(Up),
        "one live region alone is not a quorum"
    );
    assert!(
        !shown["a"]
            .regions
            .iter()
            .find(|r| r.region == "us")
            .unwrap()
            .live
    );
    assert_eq!(shown["b"].state, Some(Down));
    let health = health(&config(""), &rows, now());
    let stale: Vec<_> = health
        .iter()
        .filter(|r| r.stale)
        .map(|r| &r.region)
        .collect();
    assert_eq!(stale, ["us"]);
    let us = health.iter().find(|r| r.region == "us").unwrap();
    assert_eq!(us.last_result_at, now() - chrono::Duration::seconds(40));
    assert_eq!(stale_regions(&health), ["us"]);
}

#[test]
fn unconfigured_checks_and_a_lone_region_never_make_a_stale_region() {
    let rows = [row("gone", "eu", Up, 9999), row("a", "default", Up, 9999)];
    let health = health(&config(""), &rows, now());
    assert_eq!(health.len(), 1, "the removed check's region is ignored");
    assert!(health[0].stale);
    assert!(stale_regions(&health).is_empty());
    assert!(!shown(&config(""), &rows, now()).contains_key("gone"));
}

#[test]
fn a_configured_quorum_holds_from_the_first_region_on() {
    let rows = [row("a", "eu", Down, 1)];
    assert_eq!(shown(&config(""), &rows, now())["a"].state, Some(Down));
    let quorum = config("[probes]\nquorum = 2\n");
    assert_eq!(shown(&quorum, &rows, now())["a"].state, Some(Up));
}
