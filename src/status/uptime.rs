//! Daily uptime (SPEC §3): non-failed ÷ all results per day; no data is not 100 %.

use chrono::{Days, NaiveDate};

/// Results of one component (all its checks) on one day in the site timezone,
/// with results taken during maintenance already left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCounts {
    pub day: NaiveDate,
    /// Ok or slow results.
    pub good: u64,
    pub total: u64,
}

/// One cell of the uptime bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayUptime {
    pub day: NaiveDate,
    /// Percentage 0–100; `None` = no data that day.
    pub percent: Option<f64>,
}

/// The last `days` days ending with `today`, oldest first; days absent from
/// `counts` (or with zero results) are "no data". Counts for the same day are
/// summed. Linear in `days` plus `counts`.
pub fn daily(counts: &[DayCounts], today: NaiveDate, days: u32) -> Vec<DayUptime> {
    let first = today
        .checked_sub_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(NaiveDate::MIN);
    let mut sums = vec![(0u64, 0u64); (today - first).num_days().max(0) as usize + 1];
    for c in counts {
        if let Ok(slot) = usize::try_from((c.day - first).num_days())
            && let Some((good, total)) = sums.get_mut(slot)
        {
            *good += c.good;
            *total += c.total;
        }
    }
    sums.iter()
        .zip(first.iter_days())
        .skip(sums.len().saturating_sub(days as usize))
        .map(|(&(good, total), day)| DayUptime {
            day,
            percent: percent(good, total),
        })
        .collect()
}

/// Uptime over the days from `first` through `last`: all their results pooled.
pub fn period(counts: &[DayCounts], first: NaiveDate, last: NaiveDate) -> Option<f64> {
    let (good, total) = counts
        .iter()
        .filter(|c| c.day >= first && c.day <= last)
        .fold((0, 0), |(g, t), c| (g + c.good, t + c.total));
    percent(good, total)
}

fn percent(good: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| good.min(total) as f64 * 100.0 / total as f64)
}

/// Two decimals, rounded down so that anything short of perfect never reads
/// "100.00%": 99.999 → "99.99%".
pub fn format_percent(percent: f64) -> String {
    Percent(percent).to_string()
}

/// A percentage displayed as [`format_percent`] words it, for writing
/// into a buffer without an intermediate string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent(pub f64);

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Whole hundredths, printed as integers: float formatting with a
        // precision is the slowest step of rendering thousands of cells.
        let hundredths = (self.0 * 100.0 + 1e-9).floor().max(0.0) as u64;
        write!(f, "{}.{:02}%", hundredths / 100, hundredths % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn daily_scenarios() {
        let counts = [
            DayCounts {
                day: d(22),
                good: 99,
                total: 100,
            },
            DayCounts {
                day: d(24),
                good: 50,
                total: 50,
            },
            DayCounts {
                day: d(24),
                good: 0,
                total: 50,
            },
            DayCounts {
                day: d(10),
                good: 1,
                total: 1,
            },
        ];
        let got = daily(&counts, d(24), 4);
        let want = [
            (d(21), None),
            (d(22), Some(99.0)),
            (d(23), None),
            (d(24), Some(50.0)),
        ];
        assert_eq!(got.len(), 4);
        for (cell, (day, pct)) in got.iter().zip(want) {
            assert_eq!((cell.day, cell.percent), (day, pct));
        }
    }

    #[test]
    fn zero_results_is_no_data_not_perfect() {
        let counts = [DayCounts {
            day: d(24),
            good: 0,
            total: 0,
        }];
        assert_eq!(daily(&counts, d(24), 1)[0].percent, None);
        assert_eq!(period(&counts, d(1), d(24)), None);
    }

    #[test]
    fn period_pools_results_not_days() {
        let counts = [
            DayCounts {
                day: d(23),
                good: 1,
                total: 1,
            },
            DayCounts {
                day: d(24),
                good: 0,
                total: 3,
            },
            DayCounts {
                day: d(1),
                good: 0,
                total: 100,
            },
        ];
        assert_eq!(period(&counts, d(23), d(24)), Some(25.0));
    }

    #[test]
    fn formatting_never_rounds_up_to_perfect() {
        for (p, want) in [
            (100.0, "100.00%"),
            (99.999, "99.99%"),
            (99.95, "99.95%"),
            (0.0, "0.00%"),
            (50.0, "50.00%"),
        ] {
            assert_eq!(format_percent(p), want);
        }
    }
}
