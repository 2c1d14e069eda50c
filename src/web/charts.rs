//! Server-rendered response-time charts (pure): samples → SVG geometry.
//!
//! [`build`] turns latency samples over a time window into a [`Chart`]: lines
//! and areas already scaled into a fixed viewBox, gridlines at round steps
//! with their labels, and a text summary. Every field is a number or a string
//! made from numbers and fixed words, so `templates/_chart.html` lays the SVG
//! out with ordinary auto-escaping (no `|safe`).
//!
//! The plot fills the whole viewBox; the template stretches it to the width
//! of the page (`preserveAspectRatio="none"`, non-scaling strokes) and prints
//! the axis labels as HTML beside and under it, so they stay readable on a
//! phone. Gridlines are evenly spaced from 0 at the bottom to
//! [`Chart::y_max`] at the top, which is what lets the labels line up.

use chrono::{DateTime, Utc};

use self::labels::{format_ms, tick_label, window_label};

mod labels;

/// Width of the viewBox, in user units.
pub const WIDTH: f64 = 600.0;
/// Height of the viewBox, in user units.
pub const HEIGHT: f64 = 160.0;

/// At most this many gridline intervals above 0 (so at most 5 gridlines).
const MAX_STEPS: f64 = 4.0;
/// A hole is never a gap when it is shorter than this share of the window
/// (it would be under a few pixels wide anyway).
const MIN_GAP_SHARE: f64 = 1.0 / 120.0;
/// A hole is a gap when it is longer than this many typical sample spacings.
const GAP_FACTOR: f64 = 3.0;

/// One latency measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub at: DateTime<Utc>,
    /// Response time in milliseconds.
    pub ms: f64,
}

/// A point in viewBox coordinates (y grows downwards, as in SVG).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A run of samples with no long hole in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The points, for tests and for anyone who wants them.
    pub points: Vec<Point>,
    /// `points` attribute of a `<polyline>`: "x,y x,y …".
    pub polyline: String,
    /// `d` attribute of a `<path>` closing the line down to the x axis,
    /// for a filled area under it.
    pub area: String,
}

/// A horizontal gridline and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Latency of the gridline, in ms.
    pub ms: f64,
    /// Its y in the viewBox.
    pub y: f64,
    /// E.g. "0 ms", "250 ms", "1.5 s".
    pub label: String,
}

/// The geometry of one response-time chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// viewBox width (always [`WIDTH`]).
    pub width: f64,
    /// viewBox height (always [`HEIGHT`]).
    pub height: f64,
    /// No sample in the window: show "No data for this period" instead.
    pub empty: bool,
    /// Runs of at least two samples, left to right.
    pub lines: Vec<Line>,
    /// Lone samples (a run of one), drawn as dots.
    pub dots: Vec<Point>,
    /// Gridlines from 0 ms (bottom) up to `y_max` (top), evenly spaced.
    pub ticks: Vec<Tick>,
    /// Latency at the top of the plot, in ms.
    pub y_max: f64,
    /// Label of the left end of the x axis, e.g. "24 hours ago".
    pub x_start: String,
    /// Label of the right end of the x axis: "Now".
    pub x_end: String,
    /// Number of samples drawn.
    pub samples: usize,
    /// x of each period that had a failed result, marked on the x axis
    /// (a failure with no latency still shows).
    pub failures: Vec<f64>,
    /// E.g. "avg 182 ms · max 950 ms · failures in 2 periods", or "No data
    /// for this period".
    pub summary: String,
}

/// Builds the chart of `samples` over `from..=to`, with no failure marks.
pub fn build(samples: &[Sample], from: DateTime<Utc>, to: DateTime<Utc>) -> Chart {
    build_with_failures(samples, &[], from, to)
}

/// Builds the chart of `samples` over `from..=to`, marking the periods
/// that start at `failures` (those outside the window are left out).
///
/// Samples outside the window and non-finite latencies are left out;
/// negative latencies count as 0; order does not matter. A hole between two
/// samples longer than [`GAP_FACTOR`] typical spacings (and longer than a
/// [`MIN_GAP_SHARE`] of the window) breaks the line rather than bridging it.
pub fn build_with_failures(
    samples: &[Sample],
    failures: &[DateTime<Utc>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Chart {
    let (from, to) = if to < from { (to, from) } else { (from, to) };
    let span_ms = (to - from).num_milliseconds().max(1) as f64;
    let mut failures: Vec<f64> = failures
        .iter()
        .filter(|at| **at >= from && **at <= to)
        .map(|at| round2((*at - from).num_milliseconds() as f64 / span_ms * WIDTH))
        .collect();
    failures.sort_by(f64::total_cmp);
    let failed = match failures.len() {
        0 => String::new(),
        1 => " · failures in 1 period".to_string(),
        n => format!(" · failures in {n} periods"),
    };

    let mut kept: Vec<(f64, f64)> = samples
        .iter()
        .filter(|s| s.at >= from && s.at <= to && s.ms.is_finite())
        .map(|s| ((s.at - from).num_milliseconds() as f64, s.ms.max(0.0)))
        .collect();
    kept.sort_by(|a, b| a.0.total_cmp(&b.0));

    let x_start = window_label(span_ms);
    let x_end = "Now".to_string();

    if kept.is_empty() && failures.is_empty() {
        return Chart {
            width: WIDTH,
            height: HEIGHT,
            empty: true,
            lines: Vec::new(),
            dots: Vec::new(),
            ticks: Vec::new(),
            y_max: 0.0,
            x_start,
            x_end,
            samples: 0,
            failures,
            summary: "No data for this period".to_string(),
        };
    }

    let max = kept.iter().map(|s| s.1).fold(0.0, f64::max);
    let avg = kept.iter().map(|s| s.1).sum::<f64>() / kept.len().max(1) as f64;
    let step = nice_step(max);
    let steps = (max / step).ceil().max(1.0);
    let y_max = step * steps;

    let scale = |t: f64, ms: f64| Point {
        x: round2(t / span_ms * WIDTH),
        y: round2(HEIGHT - ms / y_max * HEIGHT),
    };

    let threshold = gap_threshold(&kept, span_ms);
    let mut runs: Vec<Vec<Point>> = Vec::new();
    let mut last_t: Option<f64> = None;
    for &(t, ms) in &kept {
        let p = scale(t, ms);
        match (last_t, runs.last_mut()) {
            (Some(prev), Some(run)) if t - prev <= threshold => run.push(p),
            _ => runs.push(vec![p]),
        }
        last_t = Some(t);
    }

    let mut lines = Vec::new();
    let mut dots = Vec::new();
    for run in runs {
        if run.len() == 1 {
            dots.push(run[0]);
        } else {
            lines.push(line(run));
        }
    }

    let ticks = (0..=steps as u32)
        .map(|i| {
            let ms = step * f64::from(i);
            Tick {
                ms,
                y: round2(HEIGHT - ms / y_max * HEIGHT),
                label: tick_label(ms),
            }
        })
        .collect();

    Chart {
        width: WIDTH,
        height: HEIGHT,
        empty: false,
        lines,
        dots,
        ticks,
        y_max,
        x_start,
        x_end,
        samples: kept.len(),
        failures,
        summary: if kept.is_empty() {
            format!("no response times{failed}")
        } else {
            format!("avg {} · max {}{failed}", format_ms(avg), format_ms(max))
        },
    }
}

/// The gridline step for data up to `max` ms: the smallest "round" step
/// (1, 2, 2.5 or 5 times a power of ten, whole milliseconds) that covers
/// `max` in at most four intervals.
pub fn nice_step(max: f64) -> f64 {
    let max = if max.is_finite() { max.max(1.0) } else { 1.0 };
    let rough = max / MAX_STEPS;
    let mut magnitude = 10f64.powf(rough.log10().floor());
    loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * magnitude;
            // 2.5 ms and the like: keep steps whole.
            if step >= 1.0 && step.fract() == 0.0 && step >= rough {
                return step;
            }
        }
        magnitude *= 10.0;
    }
}

/// Holes longer than this (in ms from the window start) break the line.
fn gap_threshold(kept: &[(f64, f64)], span_ms: f64) -> f64 {
    let mut deltas: Vec<f64> = kept.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let floor = span_ms * MIN_GAP_SHARE;
    if deltas.is_empty() {
        return floor;
    }
    deltas.sort_by(f64::total_cmp);
    let median = deltas[deltas.len() / 2];
    (median * GAP_FACTOR).max(floor)
}

fn line(points: Vec<Point>) -> Line {
    let polyline = points
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    let first = points[0];
    let last = points[points.len() - 1];
    let area = format!(
        "M{},{} L{} L{},{} Z",
        first.x, HEIGHT, polyline, last.x, HEIGHT
    );
    Line {
        points,
        polyline,
        area,
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
