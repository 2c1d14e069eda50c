//! One result through the thresholds (pure apart from the trackers it
//! moves on): this region's tracker of the check moves on (SPEC §3, per
//! region: §9), the result gets its site-local day and whether it counts
//! toward uptime, and, when the check's state changes, the component's
//! check-derived status is worked out for `component.status` from each
//! check's state as the page shows it: this region's trackers combined with
//! the other regions' latest views by [`quorum::combine`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::domain::{CheckResult, CheckSpec, ComponentStatus, Maintenance};
use crate::model::regions;
use crate::status::quorum::{self, RegionView};
use crate::status::{self, CheckState, Tracker, maintenance};
use crate::store::{Recorded, StoredCheckState};

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

/// The other regions' latest view of each check, by check id.
pub type Others = HashMap<String, Vec<RegionView>>;

/// The other regions' stored states (`Store::other_regions_check_states`)
/// as views, by check.
pub fn others(rows: &[StoredCheckState]) -> Others {
    let mut others = Others::new();
    for row in rows {
        let views = others.entry(row.check_id.clone()).or_default();
        views.push(regions::view(row));
    }
    others
}

/// Moves the check's tracker on, dates the result in the site timezone, and
/// leaves it out of uptime when a maintenance covering its component was in
/// progress when it was taken (SPEC §3).
pub fn record(
    config: &Config,
    spec: Option<&CheckSpec>,
    trackers: &mut HashMap<String, Tracker>,
    others: &Others,
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
    let now_ms = result.at.timestamp_millis();
    let component = spec
        .filter(|_| tracker.state != before)
        .map(|c| component_status(config, trackers, others, c.component.as_str(), now_ms));
    Recorded {
        tracker,
        day,
        counted: !in_maintenance,
        component,
        result,
    }
}

/// The check-derived status of `component` from each of its checks' shown
/// state at `now_ms`.
fn component_status(
    config: &Config,
    trackers: &HashMap<String, Tracker>,
    others: &Others,
    component: &str,
    now_ms: i64,
) -> (String, ComponentStatus) {
    let states: Vec<_> = config
        .checks
        .iter()
        .filter(|c| c.component.as_str() == component)
        .map(|c| shown_state(config, c, trackers.get(c.id.as_str()), others, now_ms))
        .collect();
    (
        component.to_owned(),
        status::component::from_checks(&states),
    )
}

/// `spec`'s state with this region's `tracker` (live: it is writing now)
/// beside the other regions' views.
fn shown_state(
    config: &Config,
    spec: &CheckSpec,
    tracker: Option<&Tracker>,
    others: &Others,
    now_ms: i64,
) -> Option<CheckState> {
    let mut views = others.get(spec.id.as_str()).cloned().unwrap_or_default();
    views.extend(tracker.map(|t| RegionView {
        state: t.state,
        last_result_ms: now_ms,
    }));
    let interval = regions::interval_ms(spec.interval);
    quorum::combine(&views, now_ms, interval, config.probes.quorum)
}
