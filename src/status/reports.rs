//! User reports (SPEC §10): when do visitors' reports make a spike, and
//! how many may one visitor send.
//!
//! **The spike rule.** A report arriving at `now` makes a spike when the
//! distinct reporters of its component in the sliding window
//! `(now - window, now]` (the new report included) reach the threshold, and
//! no spike of that component was emitted in `(now - window, now]`:
//! after a spike, the next one can come only once a full window has passed
//! since it, and then only if the reports of the window before that report
//! reach the threshold again. So a burst of any size pages the operator
//! once per window, and a problem that keeps being reported pages again
//! each window it lasts (a reminder, like `remind_every`), never more.
//! Only a new report can make a spike: reports ageing out never do.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Reports one client may send about one component per [`RATE_WINDOW`]
/// (SPEC §10); more are refused (429).
pub const PER_CLIENT: u32 = 3;

/// The period of [`PER_CLIENT`] and of the public count: one hour.
pub const RATE_WINDOW: Duration = Duration::from_secs(3600);

/// One stored report of a component: who (a salted hash) and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sighting<'a> {
    pub reporter: &'a str,
    pub at: DateTime<Utc>,
}

/// SPEC §10 spike: `Some(distinct reporters in the window)` when the report
/// just stored at `now` (it is among `reports`) makes a spike, given the
/// component's `last_spike`; see the module doc for the exact rule.
pub fn spike(
    reports: &[Sighting],
    last_spike: Option<DateTime<Utc>>,
    threshold: u32,
    window: Duration,
    now: DateTime<Utc>,
) -> Option<u32> {
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let from = now.checked_sub_signed(window)?;
    if last_spike.is_some_and(|at| at > from) {
        return None;
    }
    let reporters: HashSet<&str> = reports
        .iter()
        .filter(|r| r.at > from && r.at <= now)
        .map(|r| r.reporter)
        .collect();
    let count = u32::try_from(reporters.len()).unwrap_or(u32::MAX);
    (count >= threshold).then_some(count)
}

/// SPEC §10 rate limit: may a client that sent `sent` reports about this
/// component within the last [`RATE_WINDOW`] send one more?
pub fn allowed(sent: u32) -> bool {
    sent < PER_CLIENT
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(600);

    fn at(minutes: i64, seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60 + seconds, 0).unwrap()
    }

    #[test]
    #[rustfmt::skip]
    fn spikes_once_per_window_of_distinct_reporters() {
        // (name, reports (reporter, minute), last spike (minute), now (minute), want)
        type Case<'a> = (&'a str, &'a [(&'a str, i64)], Option<i64>, i64, Option<u32>);
        let cases: &[Case] = &[
            ("five distinct", &[("a", 0), ("b", 1), ("c", 2), ("d", 3), ("e", 4)], None, 4, Some(5)),
            ("four distinct", &[("a", 0), ("b", 1), ("c", 2), ("d", 3)], None, 3, None),
            ("one reporter five times", &[("a", 0), ("a", 1), ("a", 2), ("a", 3), ("a", 4)], None, 4, None),
            ("repeats count once", &[("a", 0), ("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)], None, 5, Some(5)),
            ("oldest aged out", &[("a", 0), ("b", 1), ("c", 2), ("d", 3), ("e", 10)], None, 10, None),
            ("just inside", &[("a", 1), ("b", 1), ("c", 2), ("d", 3), ("e", 10)], None, 10, Some(5)),
            ("sixth after a spike", &[("a", 0), ("b", 1), ("c", 2), ("d", 3), ("e", 4), ("f", 5)], Some(4), 5, None),
            ("spike 9m59 ago", &[("g", 13), ("h", 13), ("i", 13), ("j", 13), ("k", 13)], Some(4), 13, None),
            ("window after the spike", &[("g", 14), ("h", 14), ("i", 14), ("j", 14), ("k", 14)], Some(4), 14, Some(5)),
            ("more than threshold", &[("a", 0), ("b", 0), ("c", 0), ("d", 0), ("e", 0), ("f", 0), ("g", 1)], Some(-20), 1, Some(7)),
            ("future rows ignored", &[("a", 0), ("b", 0), ("c", 0), ("d", 0), ("e", 9)], None, 5, None),
        ];
        for (name, reports, last, now, want) in cases {
            let reports: Vec<Sighting> = reports
                .iter()
                .map(|(reporter, m)| Sighting { reporter, at: at(*m, 0) })
                .collect();
            // "spike 9m59 ago": one second short of a window after minute 4.
            let now = if *name == "spike 9m59 ago" { at(*now, 59) } else { at(*now, 0) };
            let last = last.map(|m| at(m, 0));
            assert_eq!(spike(&reports, last, 5, WINDOW, now), *want, "{name}");
        }
    }

    #[test]
    fn a_burst_pages_once_however_long_it_lasts_within_a_window() {
        let mut reports = Vec::new();
        let mut last = None;
        let mut spikes = Vec::new();
        let names: Vec<String> = (0..40).map(|n| format!("r{n}")).collect();
        // One new reporter every 30 s for 20 minutes: 40 reports.
        for (n, name) in names.iter().enumerate() {
            let now = at(0, 30 * n as i64);
            reports.push(Sighting {
                reporter: name,
                at: now,
            });
            if spike(&reports, last, 5, WINDOW, now).is_some() {
                last = Some(now);
                spikes.push(n);
            }
        }
        // The 5th report (n = 4, 2 min) and one full window later (n = 24, 12 min).
        assert_eq!(spikes, [4, 24]);
    }

    #[test]
    fn three_reports_per_client_and_component() {
        let cases = [(0, true), (2, true), (3, false), (10, false)];
        for (sent, want) in cases {
            assert_eq!(allowed(sent), want, "{sent} sent");
        }
    }
}
