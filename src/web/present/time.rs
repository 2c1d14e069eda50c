//! Times as pages show them: absolute, in the site timezone, inside
//! `<time datetime>` (so a page's bytes change only with its data), planned
//! windows, and durations in words. Every page takes its times from here.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::web::views::{TimeView, WindowView};

/// A time to the second, e.g. "2026-11-24 14:05:09 CET" (component pages).
pub fn seconds(config: &Config, at: DateTime<Utc>) -> TimeView {
    shown(config, at, "%Y-%m-%d %H:%M:%S %Z")
}

/// A time to the minute, e.g. "2026-11-24 14:05 CET" (incidents, feeds).
pub fn minutes(config: &Config, at: DateTime<Utc>) -> TimeView {
    shown(config, at, "%Y-%m-%d %H:%M %Z")
}

fn shown(config: &Config, at: DateTime<Utc>, format: &str) -> TimeView {
    TimeView {
        iso: iso(at),
        text: at
            .with_timezone(&config.site.timezone)
            .format(format)
            .to_string(),
    }
}

/// RFC 3339 to the second in UTC, for `<time datetime>`.
fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// "2026-11-24 14:00 – 16:00 CET", or both dates when it spans days.
pub fn window(config: &Config, start: DateTime<Utc>, end: DateTime<Utc>) -> WindowView {
    let tz = &config.site.timezone;
    let (s, e) = (start.with_timezone(tz), end.with_timezone(tz));
    let end_format = if s.date_naive() == e.date_naive() {
        "%H:%M %Z"
    } else {
        "%Y-%m-%d %H:%M %Z"
    };
    WindowView {
        start: TimeView {
            iso: iso(start),
            text: s.format("%Y-%m-%d %H:%M").to_string(),
        },
        end: TimeView {
            iso: iso(end),
            text: e.format(end_format).to_string(),
        },
        duration: duration_words(end - start),
    }
}

/// "1 day 2 hours", "45 minutes", "less than a minute" (to the nearest minute).
pub fn duration_words(d: chrono::Duration) -> String {
    let minutes = (d.num_seconds().max(0) + 30) / 60;
    let parts = [
        (minutes / 1440, "day"),
        (minutes / 60 % 24, "hour"),
        (minutes % 60, "minute"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        "less than a minute".to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
