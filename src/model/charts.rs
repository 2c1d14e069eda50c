//! Response-time samples behind the component page's charts (SPEC §4: the
//! last 24 hours from five-minute rollups, 7 and 30 days from hourly means),
//! read from the store when the page is rendered, once per snapshot.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::ComponentModel;
use crate::domain::CheckSpec;
use crate::store::{LatencyBucket, LatencySample, Store, StoreError};

/// Chart periods: label, span, and whether hourly rollups (not five-minute ones) feed it.
pub const SPANS: [(&str, Duration, bool); 3] = [
    ("last 24 hours", Duration::hours(24), false),
    ("last 7 days", Duration::days(7), true),
    ("last 30 days", Duration::days(30), true),
];

/// One chart's data: a check's samples over one period.
#[derive(Debug, Clone)]
pub struct Series {
    pub check: Arc<CheckSpec>,
    /// E.g. "last 24 hours".
    pub label: &'static str,
    /// Where the period starts (it ends at the snapshot's time).
    pub from: DateTime<Utc>,
    pub samples: Vec<LatencySample>,
    /// Starts of the periods that had a failed result (five-minute charts only).
    pub failures: Vec<DateTime<Utc>>,
}

/// Every chart of `component` as of `now`: each check, each period of [`SPANS`].
pub async fn load(
    store: &Store,
    component: &ComponentModel,
    now: DateTime<Utc>,
) -> Result<Vec<Series>, StoreError> {
    let mut series = Vec::new();
    for check in &component.checks {
        let id = check.spec.id.as_str();
        for (label, span, hourly) in SPANS {
            let from = now - span;
            let (samples, failures) = if hourly {
                (store.hourly_latency(id, from).await?, Vec::new())
            } else {
                from_buckets(&store.five_minute_latency(id, from).await?)
            };
            series.push(Series {
                check: Arc::clone(&check.spec),
                label,
                from,
                samples,
                failures,
            });
        }
    }
    Ok(series)
}

/// The 24-hour chart's points from five-minute buckets: 288 at most, each
/// the bucket's mean latency at its middle, and a failure mark on every
/// bucket with a failed result (whether or not it had a latency).
fn from_buckets(buckets: &[LatencyBucket]) -> (Vec<LatencySample>, Vec<DateTime<Utc>>) {
    let middle = |b: &LatencyBucket| b.start + Duration::seconds(150);
    let samples = buckets
        .iter()
        .filter_map(|b| b.mean_ms.map(|ms| LatencySample { at: middle(b), ms }))
        .collect();
    let failures = buckets
        .iter()
        .filter(|b| b.failed > 0)
        .map(middle)
        .collect();
    (samples, failures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn bucket(minute: u32, failed: u64, mean_ms: Option<f64>) -> LatencyBucket {
        LatencyBucket {
            start: Utc.with_ymd_and_hms(2026, 1, 1, 0, minute, 0).unwrap(),
            total: 30,
            failed,
            mean_ms,
            min_ms: mean_ms,
            max_ms: mean_ms,
        }
    }

    #[test]
    fn buckets_plot_their_mean_at_the_middle_and_mark_failures() {
        let (samples, failures) = from_buckets(&[
            bucket(0, 0, Some(12.5)),
            bucket(5, 30, None),
            bucket(10, 2, Some(40.0)),
        ]);
        let at = |m, s| Utc.with_ymd_and_hms(2026, 1, 1, 0, m, s).unwrap();
        assert_eq!(
            samples,
            vec![
                LatencySample {
                    at: at(2, 30),
                    ms: 12.5
                },
                LatencySample {
                    at: at(12, 30),
                    ms: 40.0
                },
            ],
            "a bucket without latency (all failed) is a gap, not a point"
        );
        assert_eq!(failures, vec![at(7, 30), at(12, 30)]);
    }
}
