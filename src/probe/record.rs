//! One result through the thresholds (pure apart from the trackers it
//! moves on): its check's new state, its site-local day, whether it counts
//! toward uptime, and its component's status when that may have moved.

use std::collections::HashMap;

use crate::config::Config;
use crate::domain::{CheckResult, CheckSpec, ComponentStatus, Maintenance};
use crate::status::{self, Tracker, maintenance};
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
    let before = tracker.state;
    *tracker = tracker.next(result.outcome, failure, recovery);
    let tracker = *tracker;
    let day = result.at.with_timezone(&config.site.timezone).date_naive();
    // A component's check-derived status moves only when one of its
    // checks changes state: only then is it worked out (and compared).
    let component = spec
        .filter(|_| tracker.state != before)
        .map(|c| component_status(config, trackers, c.component.as_str()));
    Recorded {
        tracker,
        day,
        counted: !in_maintenance,
        component,
        result,
    }
}

/// The check-derived status of `component` from the trackers as they stand.
fn component_status(
    config: &Config,
    trackers: &HashMap<String, Tracker>,
    component: &str,
) -> (String, ComponentStatus) {
    let states: Vec<_> = config
        .checks
        .iter()
        .filter(|c| c.component.as_str() == component)
        .map(|c| trackers.get(c.id.as_str()).and_then(|t| t.state))
        .collect();
    (
        component.to_owned(),
        status::component::from_checks(&states),
    )
}
