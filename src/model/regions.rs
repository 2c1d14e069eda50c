//! A check's state across probe regions (SPEC §9), combined in this one
//! place: the snapshot (pages, feeds, APIs) and the automatic incidents
//! read check states through [`shown`] (or [`load`]), so they never
//! disagree. The rule itself is [`status::quorum`]; this module feeds it
//! the stored rows and the config.
//!
//! Decisions the SPEC leaves open, taken here:
//!
//! - Without `[probes] quorum`, a check one region reports shows that
//!   region's state as it is (the rule, with its reasons, is
//!   [`quorum::combine`]'s).
//! - Liveness is judged per check and region: a region drops out of one
//!   check's count when it has no result of that check for 3 of the check's
//!   intervals (a region that stopped probing one check still votes on the
//!   others).
//! - A region is stale (on `/readyz` and `/metrics`) when it is stale for
//!   any configured check it has reported: a region that is only partly
//!   probing is not healthy. Checks no longer configured are ignored.
//! - Last result, latency and last failure are the newest of any region.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::status::CheckState;
use crate::status::quorum::{self, RegionView};
use crate::store::{Store, StoreError, StoredCheckState};

/// One region's view of one check, as the component page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionCheck {
    pub region: String,
    pub state: Option<CheckState>,
    pub last_result_at: DateTime<Utc>,
    /// Reported within 3 intervals: it counts toward the quorum.
    pub live: bool,
}

/// A check's state as the page shows it, with the facts behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownCheck {
    pub state: Option<CheckState>,
    pub last_result_at: DateTime<Utc>,
    pub last_latency_ms: Option<i64>,
    pub last_failure: Option<(DateTime<Utc>, String)>,
    /// Each region's view, by region name.
    pub regions: Vec<RegionCheck>,
}

/// One region's health across its checks, for `/readyz` and `/metrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionHealth {
    pub region: String,
    /// Its newest result of any configured check.
    pub last_result_at: DateTime<Utc>,
    /// Stale for at least one configured check it has reported.
    pub stale: bool,
}

/// The shown state of every configured check that has a result, by check
/// id: its regions' states combined with `[probes] quorum` at `now`.
pub fn shown(
    config: &Config,
    stored: &[StoredCheckState],
    now: DateTime<Utc>,
) -> HashMap<String, ShownCheck> {
    let mut by_check: HashMap<&str, Vec<&StoredCheckState>> = HashMap::new();
    for row in stored {
        by_check.entry(row.check_id.as_str()).or_default().push(row);
    }
    config
        .checks
        .iter()
        .filter_map(|spec| {
            let mut rows = by_check.remove(spec.id.as_str())?;
            rows.sort_by(|a, b| a.region.cmp(&b.region));
            let interval = interval_ms(spec.interval);
            let shown = combine(&rows, config, interval, now)?;
            Some((spec.id.as_str().to_owned(), shown))
        })
        .collect()
}

/// [`shown`] of the check states stored at this moment: the function
/// every reader of "the" state of a check calls.
pub async fn load(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<HashMap<String, ShownCheck>, StoreError> {
    Ok(shown(config, &store.check_states().await?, now))
}

/// Every region that reported a configured check, by name.
pub fn health(
    config: &Config,
    stored: &[StoredCheckState],
    now: DateTime<Utc>,
) -> Vec<RegionHealth> {
    let intervals: HashMap<&str, i64> = config
        .checks
        .iter()
        .map(|c| (c.id.as_str(), interval_ms(c.interval)))
        .collect();
    let mut regions: Vec<RegionHealth> = Vec::new();
    for row in stored {
        let Some(&interval) = intervals.get(row.check_id.as_str()) else {
            continue;
        };
        let stale = !view(row).is_live(now.timestamp_millis(), interval);
        match regions.iter_mut().find(|r| r.region == row.region) {
            Some(r) => {
                r.last_result_at = r.last_result_at.max(row.last_result_at);
                r.stale |= stale;
            }
            None => regions.push(RegionHealth {
                region: row.region.clone(),
                last_result_at: row.last_result_at,
                stale,
            }),
        }
    }
    regions.sort_by(|a, b| a.region.cmp(&b.region));
    regions
}

/// Names of the stale regions when more than one region reports; with a
/// single region its staleness is that of its checks, reported as such.
pub fn stale_regions(health: &[RegionHealth]) -> Vec<&str> {
    if health.len() < 2 {
        return Vec::new();
    }
    health
        .iter()
        .filter(|r| r.stale)
        .map(|r| r.region.as_str())
        .collect()
}

/// One check's rows (by region) combined; `None` without rows.
fn combine(
    rows: &[&StoredCheckState],
    config: &Config,
    interval_ms: i64,
    now: DateTime<Utc>,
) -> Option<ShownCheck> {
    let newest = rows.iter().max_by_key(|r| r.last_result_at)?;
    let last_failure = rows
        .iter()
        .filter_map(|r| r.last_failure.clone())
        .max_by_key(|(at, _)| *at);
    let now_ms = now.timestamp_millis();
    let views: Vec<RegionView> = rows.iter().map(|r| view(r)).collect();
    let state = quorum::combine(&views, now_ms, interval_ms, config.probes.quorum);
    let regions = rows
        .iter()
        .zip(&views)
        .map(|(r, v)| RegionCheck {
            region: r.region.clone(),
            state: r.tracker.state,
            last_result_at: r.last_result_at,
            live: v.is_live(now_ms, interval_ms),
        })
        .collect();
    Some(ShownCheck {
        state,
        last_result_at: newest.last_result_at,
        last_latency_ms: newest.last_latency_ms,
        last_failure,
        regions,
    })
}

/// One stored row as the quorum rule takes it.
pub fn view(row: &StoredCheckState) -> RegionView {
    RegionView {
        state: row.tracker.state,
        last_result_ms: row.last_result_at.timestamp_millis(),
    }
}

/// A check's interval in milliseconds, as the quorum rule takes it.
pub fn interval_ms(interval: std::time::Duration) -> i64 {
    i64::try_from(interval.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[path = "regions_tests.rs"]
mod tests;
