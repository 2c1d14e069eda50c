//! Response-time samples behind the component page's charts (SPEC §4: the
//! last 24 hours from raw results, 7 and 30 days from hourly means), read
//! from the store when the page is rendered, once per snapshot.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::ComponentModel;
use crate::domain::CheckSpec;
use crate::store::{LatencySample, Store, StoreError};

/// Chart periods: label, span, and whether hourly rollups (not raw results) feed it.
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
            let samples = if hourly {
                store.hourly_latency(id, from).await?
            } else {
                store.latency_samples(id, from).await?
            };
            series.push(Series {
                check: Arc::clone(&check.spec),
                label,
                from,
                samples,
            });
        }
    }
    Ok(series)
}
