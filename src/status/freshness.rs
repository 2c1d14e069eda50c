//! Honesty about the monitor itself (SPEC §3): is a check's data current?

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How current a check's (or a component's) data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Freshness {
    Fresh,
    /// Nothing written for 3 intervals: the page must not vouch for it.
    Stale,
    /// No result yet.
    NoData,
}

/// Intervals without a result after which data is stale.
pub const STALE_AFTER_INTERVALS: u32 = 3;

/// SPEC §3: stale when the last result is older than 3 intervals.
pub fn of_check(
    last_result: Option<DateTime<Utc>>,
    interval: Duration,
    now: DateTime<Utc>,
) -> Freshness {
    match last_result {
        None => Freshness::NoData,
        Some(at) => {
            let limit = interval.saturating_mul(STALE_AFTER_INTERVALS);
            let age = (now - at).to_std().unwrap_or(Duration::ZERO);
            if age > limit {
                Freshness::Stale
            } else {
                Freshness::Fresh
            }
        }
    }
}

/// A component is stale if any of its checks is, no-data if all are.
pub fn of_component(checks: &[Freshness]) -> Freshness {
    if checks.contains(&Freshness::Stale) {
        Freshness::Stale
    } else if !checks.is_empty() && checks.iter().all(|f| *f == Freshness::NoData) {
        Freshness::NoData
    } else {
        Freshness::Fresh
    }
}

/// Whether a check with no result has been waiting too long since `since`
/// (the start of the worker that should have probed it).
pub fn overdue(since: DateTime<Utc>, interval: Duration, now: DateTime<Utc>) -> bool {
    of_check(Some(since), interval, now) == Freshness::Stale
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn check_freshness_scenarios() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let i = Duration::from_secs(30);
        let s = chrono::Duration::seconds;
        let cases = [
            ("no result", None, Freshness::NoData),
            ("just now", Some(now), Freshness::Fresh),
            (
                "exactly three intervals",
                Some(now - s(90)),
                Freshness::Fresh,
            ),
            ("past three intervals", Some(now - s(91)), Freshness::Stale),
            (
                "clock skew into the future",
                Some(now + s(10)),
                Freshness::Fresh,
            ),
        ];
        for (name, last, want) in cases {
            assert_eq!(of_check(last, i, now), want, "{name}");
        }
        assert!(overdue(now - s(91), i, now));
        assert!(!overdue(now - s(5), i, now));
    }

    #[test]
    fn component_freshness_scenarios() {
        use Freshness::*;
        let cases: &[(&[Freshness], Freshness)] = &[
            (&[], Fresh),
            (&[Fresh, NoData], Fresh),
            (&[NoData, NoData], NoData),
            (&[Fresh, Stale], Stale),
            (&[NoData, Stale], Stale),
        ];
        for (checks, want) in cases {
            assert_eq!(of_component(checks), *want, "{checks:?}");
        }
    }
}
