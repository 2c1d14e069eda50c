//! One result through the thresholds (pure apart from the trackers it
//! moves on): this region's tracker of the check moves on (SPEC §3, per
//! region: §9) and the result gets its site-local day and whether it counts
//! toward uptime. What changes of a check or component are announced is
//! decided from every region's state combined (`crate::duties::announce`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::domain::{CheckResult, CheckSpec, Maintenance};
use crate::status::{Tracker, maintenance};
use crate::store::Recorded;

/// Each check of the config by its id, so a result finds its spec without
/// scanning every check (the specs are the config's own, shared).
pub struct CheckIndex(HashMap<String, Arc<CheckSpec>>);

impl CheckIndex {
    /// Indexes every check of `config`.
    pub fn new(config: &Config) -> CheckIndex {
        CheckIndex(
            config
                .checks
                .iter()
                .map(|c| (c.id.as_str().to_owned(), Arc::clone(c)))
                .collect(),
        )
    }

    /// The check that produced `result`, if it is configured.
    pub fn get(&self, result: &CheckResult) -> Option<&CheckSpec> {
        self.0.get(result.check.as_str()).map(|c| &**c)
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
