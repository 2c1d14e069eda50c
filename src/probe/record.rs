//! One result through the thresholds (pure apart from the trackers it
//! moves on): this region's tracker of the check moves on (SPEC §3, per
//! region: §9) and the result gets its site-local day and whether it counts
//! toward uptime. What changes of a check or component are announced is
//! decided from every region's state combined (`crate::duties::announce`).

use std::collections::HashMap;

use crate::config::Config;
use crate::domain::{CheckResult, CheckSpec, Maintenance};
use crate::status::{Tracker, maintenance};
use crate::store::Recorded;

/// Where each check sits in `config.checks`, by check id, so a result
/// finds its spec without scanning every check.
pub struct CheckIndex(HashMap<String, usize>);

impl CheckIndex {
    /// Indexes every check of `config`.
    pub fn new(config: &Config) -> CheckIndex {
        CheckIndex(
            config
                .checks
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str().to_owned(), i))
                .collect(),
        )
    }

    /// The check's index in `config.checks`.
    pub fn get(&self, result: &CheckResult) -> Option<usize> {
        self.0.get(result.check.as_str()).copied()
    }
}

/// Moves the check's tracker on, dates the result in the site timezone, and
/// leaves it out of uptime when a maintenance covering its component was in
/// progress when it was taken (SPEC §3).
pub fn record(
    config: &Config,
    spec: Option<&CheckSpec>,
    trackers: &mut HashMap<String, Tracker>,
    maintenances: &[Maintenance],
    result: CheckResult,
) -> Recorded {
    let (failure, recovery) = spec.map_or((1, 1), |c| (c.failure_threshold, c.recovery_threshold));
    let in_maintenance = spec.is_some_and(|c| {
        maintenances
            .iter()
            .any(|m| maintenance::covers(m, c.component.as_str(), result.at))
    });
    // Every check but a new one has its tracker: no key copied per result.
    let tracker = match trackers.get_mut(result.check.as_str()) {
        Some(tracker) => tracker,
        None => trackers
            .entry(result.check.as_str().to_owned())
            .or_insert(Tracker::NEW),
    };
    *tracker = tracker.next(result.outcome, failure, recovery);
    let day = result.at.with_timezone(&config.site.timezone).date_naive();
    Recorded {
        tracker: *tracker,
        day,
        counted: !in_maintenance,
        result,
    }
}
