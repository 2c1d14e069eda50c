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

/// Whether readiness fails for a check at `now` (SPEC §3, §7): its data is
/// stale, or it has none although the worker that should have written it
/// started (`worker_started`) more than 3 intervals ago. A check that waits
/// for pings (`push`) and was never pinged is not overdue: it is waiting
/// for its job, not for us.
pub fn overdue(
    last_result: Option<DateTime<Utc>>,
    interval: Duration,
    waits_for_pings: bool,
    worker_started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    match of_check(last_result, interval, now) {
        Freshness::Fresh => false,
        Freshness::Stale => true,
        Freshness::NoData => {
            !waits_for_pings && of_check(Some(worker_started), interval, now) == Freshness::Stale
        }
    }
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
        let overdue_cases = [
            ("fresh", Some(now - s(5)), false, now - s(600), false),
            ("stale", Some(now - s(91)), false, now - s(600), true),
            ("stale push", Some(now - s(91)), true, now - s(600), true),
            (
                "never probed, worker just started",
                None,
                false,
                now - s(5),
                false,
            ),
            (
                "never probed for 3 intervals",
                None,
                false,
                now - s(91),
                true,
            ),
            ("push never pinged", None, true, now - s(600), false),
        ];
        for (name, last, push, started, want) in overdue_cases {
            assert_eq!(overdue(last, i, push, started, now), want, "{name}");
        }
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
