//! Response-time charts: the window, scaling into the viewBox, gaps, and
//! axis ticks and labels.

use super::*;
use chrono::{Duration, TimeZone};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap()
}

fn s(minutes: i64, ms: f64) -> Sample {
    Sample {
        at: t0() + Duration::minutes(minutes),
        ms,
    }
}

fn day() -> (DateTime<Utc>, DateTime<Utc>) {
    (t0(), t0() + Duration::hours(24))
}

#[test]
fn empty_input_is_empty_chart() {
    let (from, to) = day();
    let c = build(&[], from, to);
    assert!(c.empty);
    assert!(c.lines.is_empty() && c.dots.is_empty() && c.ticks.is_empty());
    assert_eq!(c.summary, "No data for this period");
    assert_eq!(c.samples, 0);
    assert_eq!(
        (c.x_start.as_str(), c.x_end.as_str()),
        ("24 hours ago", "Now")
    );
}

#[test]
fn samples_outside_window_or_not_finite_are_left_out() {
    let (from, to) = day();
    let c = build(
        &[s(-5, 100.0), s(24 * 60 + 5, 100.0), s(60, f64::NAN)],
        from,
        to,
    );
    assert!(c.empty);
}

#[test]
fn scales_into_viewbox() {
    let (from, to) = day();
    // 0 h → 0 ms, 12 h → 100 ms, 24 h → 200 ms; every 30 min in between
    // so nothing counts as a gap.
    let samples: Vec<Sample> = (0..=48)
        .map(|i| s(i * 30, f64::from(i as u32) * 200.0 / 48.0))
        .collect();
    let c = build(&samples, from, to);
    assert!(!c.empty);
    assert_eq!(c.lines.len(), 1);
    assert!(c.dots.is_empty());
    let pts = &c.lines[0].points;
    assert_eq!(pts.len(), 49);
    assert_eq!(pts[0], Point { x: 0.0, y: HEIGHT });
    assert_eq!(c.y_max, 200.0);
    assert_eq!(pts[24], Point { x: 300.0, y: 80.0 });
    assert_eq!(pts[48], Point { x: WIDTH, y: 0.0 });
    assert!(c.lines[0].polyline.starts_with("0,160 12.5,156.67 "));
    assert!(c.lines[0].area.starts_with("M0,160 L0,160 "));
    assert!(c.lines[0].area.ends_with(" L600,160 Z"));
    assert_eq!(c.samples, 49);
    assert_eq!(c.summary, "avg 100 ms · max 200 ms");
}

#[test]
fn unsorted_input_is_sorted() {
    let (from, to) = day();
    let c = build(&[s(20, 1.0), s(0, 1.0), s(10, 1.0)], from, to);
    let xs: Vec<f64> = c.lines[0].points.iter().map(|p| p.x).collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn long_hole_breaks_the_line() {
    let (from, to) = day();
    // Every 5 minutes for 2 h, nothing for 6 h, then every 5 minutes again,
    // then one lone sample after another long hole.
    let mut samples: Vec<Sample> = (0..=24).map(|i| s(i * 5, 100.0)).collect();
    samples.extend((0..=24).map(|i| s(8 * 60 + i * 5, 120.0)));
    samples.push(s(20 * 60, 300.0));
    let c = build(&samples, from, to);
    assert_eq!(c.lines.len(), 2);
    assert_eq!(c.lines[0].points.len(), 25);
    assert_eq!(c.lines[1].points.len(), 25);
    assert_eq!(c.dots.len(), 1);
    assert_eq!(c.dots[0].x, 500.0);
}

#[test]
fn small_jitter_is_not_a_gap() {
    let (from, to) = day();
    // Every minute, with one 4-minute hole: 3× the spacing, but under
    // 1/120 of a day (12 min), so still one line.
    let mut samples: Vec<Sample> = (0..100).map(|i| s(i, 50.0)).collect();
    samples.retain(|x| x.at != t0() + Duration::minutes(50));
    samples.retain(|x| x.at != t0() + Duration::minutes(51));
    samples.retain(|x| x.at != t0() + Duration::minutes(52));
    let c = build(&samples, from, to);
    assert_eq!(c.lines.len(), 1);
}

#[test]
fn y_steps_are_round() {
    assert_eq!(nice_step(950.0), 250.0);
    assert_eq!(nice_step(182.0), 50.0);
    assert_eq!(nice_step(1000.0), 250.0);
    assert_eq!(nice_step(1001.0), 500.0);
    assert_eq!(nice_step(40.0), 10.0);
    assert_eq!(nice_step(7.0), 2.0);
    assert_eq!(nice_step(0.0), 1.0);
    assert_eq!(nice_step(3.0), 1.0);
    assert_eq!(nice_step(9_000.0), 2500.0);
    assert_eq!(nice_step(f64::INFINITY), 1.0);
}

#[test]
fn ticks_and_labels() {
    let (from, to) = day();
    let c = build(&[s(0, 120.0), s(10, 950.0)], from, to);
    let labels: Vec<&str> = c.ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["0 ms", "250 ms", "500 ms", "750 ms", "1 s"]);
    assert_eq!(c.ticks[0].y, HEIGHT);
    assert_eq!(c.ticks[4].y, 0.0);
    assert_eq!(c.y_max, 1000.0);
    assert_eq!(c.summary, "avg 535 ms · max 950 ms");

    let c = build(&[s(0, 2200.0)], from, to);
    let labels: Vec<&str> = c.ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["0 ms", "1 s", "2 s", "3 s"]);
    assert_eq!(c.summary, "avg 2.2 s · max 2.2 s");
    assert_eq!(c.dots.len(), 1);
}

#[test]
fn all_zero_latency_still_has_an_axis() {
    let (from, to) = day();
    let c = build(&[s(0, 0.0), s(1, 0.0)], from, to);
    assert_eq!(c.y_max, 1.0);
    assert_eq!(c.ticks.len(), 2);
    assert!(c.lines[0].points.iter().all(|p| p.y == HEIGHT));
    assert_eq!(c.summary, "avg 0 ms · max 0 ms");
}

#[test]
fn window_labels() {
    let f = t0();
    assert_eq!(build(&[], f, f + Duration::days(7)).x_start, "7 days ago");
    assert_eq!(build(&[], f, f + Duration::days(30)).x_start, "30 days ago");
    assert_eq!(build(&[], f, f + Duration::hours(1)).x_start, "1 hour ago");
    assert_eq!(
        build(&[], f, f + Duration::minutes(90)).x_start,
        "90 minutes ago"
    );
}

#[test]
fn failures_are_marked_even_without_latency() {
    let (from, to) = day();
    let c = build_with_failures(
        &[s(0, 100.0), s(5, 100.0)],
        &[t0() + Duration::hours(6), t0() - Duration::hours(1)],
        from,
        to,
    );
    assert_eq!(
        c.failures,
        [150.0],
        "the one outside the window is left out"
    );
    assert_eq!(c.summary, "avg 100 ms · max 100 ms · failures in 1 period");

    // Every result failed with no latency (timeouts): no line, but not
    // "no data" either.
    let c = build_with_failures(&[], &[t0(), t0() + Duration::hours(12)], from, to);
    assert!(!c.empty);
    assert!(c.lines.is_empty() && c.dots.is_empty());
    assert_eq!(c.failures, [0.0, 300.0]);
    assert_eq!(c.summary, "no response times · failures in 2 periods");
}

#[test]
fn a_day_of_five_minute_points_breaks_only_at_missing_data() {
    let (from, to) = day();
    // 288 five-minute means with 2 hours missing in the middle.
    let samples: Vec<Sample> = (0..288)
        .filter(|i| !(120..144).contains(i))
        .map(|i| s(i * 5, 40.0))
        .collect();
    let c = build(&samples, from, to);
    assert_eq!(c.samples, 264);
    assert_eq!(c.lines.len(), 2, "a gap, not a line through it");
    assert_eq!(c.lines[0].points.len(), 120);
}
