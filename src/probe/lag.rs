//! How late each check started against its schedule (issue 8 target 4:
//! every check within 100 ms of its schedule at p99), as a Prometheus
//! histogram for `/metrics`. Lock-free: the scheduler records, the web
//! layer reads.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the buckets, in seconds (`+Inf` is implied).
const BOUNDS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Histogram of schedule lags.
#[derive(Debug, Default)]
pub struct ScheduleLag {
    /// Per bucket (not cumulative); the last one is `+Inf`.
    counts: [AtomicU64; BOUNDS.len() + 1],
    sum_micros: AtomicU64,
}

impl ScheduleLag {
    /// Records one check that started `lag` after it was due.
    pub fn observe(&self, lag: Duration) {
        let seconds = lag.as_secs_f64();
        let bucket = BOUNDS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BOUNDS.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(lag.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// Appends `beacon_probe_schedule_lag_seconds` in the text format.
    pub fn write_prometheus(&self, out: &mut String) {
        let name = "beacon_probe_schedule_lag_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} How late each check started after it was due."
        );
        let _ = writeln!(out, "# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, count) in self.counts.iter().enumerate() {
            cumulative += count.load(Ordering::Relaxed);
            let le = BOUNDS.get(i).map_or("+Inf".to_owned(), f64::to_string);
            let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}");
        let _ = writeln!(out, "{name}_count {cumulative}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lags_land_in_cumulative_buckets() {
        let lag = ScheduleLag::default();
        for ms in [0, 3, 3, 80, 400, 60_000] {
            lag.observe(Duration::from_millis(ms));
        }
        let mut out = String::new();
        lag.write_prometheus(&mut out);
        let value = |line: &str| -> String {
            out.lines()
                .find(|l| l.starts_with(line))
                .and_then(|l| l.rsplit(' ').next())
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            value("beacon_probe_schedule_lag_seconds_bucket{le=\"0.001\"}"),
            "1"
        );
        assert_eq!(
            value("beacon_probe_schedule_lag_seconds_bucket{le=\"0.005\"}"),
            "3"
        );
        assert_eq!(
            value("beacon_probe_schedule_lag_seconds_bucket{le=\"0.1\"}"),
            "4"
        );
        assert_eq!(
            value("beacon_probe_schedule_lag_seconds_bucket{le=\"10\"}"),
            "5"
        );
        assert_eq!(
            value("beacon_probe_schedule_lag_seconds_bucket{le=\"+Inf\"}"),
            "6"
        );
        assert_eq!(value("beacon_probe_schedule_lag_seconds_count"), "6");
        assert_eq!(value("beacon_probe_schedule_lag_seconds_sum"), "60.486");
        assert!(out.contains("# TYPE beacon_probe_schedule_lag_seconds histogram"));
    }
}
