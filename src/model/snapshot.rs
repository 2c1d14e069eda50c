//! The snapshot: config + store data + status rules at one instant, built
//! by a pure function of what was loaded and `now`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::config::Config;
use crate::domain::{Impact, Incident, Maintenance, MaintenanceStatus};
use crate::status::{
    self, CheckState, ComponentStatus, DayUptime, Freshness, Indicator, uptime::DayCounts,
};
use crate::store::{Override, StoredCheckState};

/// One check as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckModel {
    /// Index into `config.checks`.
    pub spec: usize,
    pub state: Option<CheckState>,
    pub freshness: Freshness,
    pub last_result_at: Option<DateTime<Utc>>,
    pub last_latency_ms: Option<i64>,
    pub last_failure: Option<(DateTime<Utc>, String)>,
}

/// One component as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentModel {
    /// Index into `config.components`.
    pub spec: usize,
    pub status: ComponentStatus,
    pub freshness: Freshness,
    pub last_checked: Option<DateTime<Utc>>,
    /// `history_days` days, oldest first.
    pub days: Vec<DayUptime>,
    pub period_uptime: Option<f64>,
    /// Uptime of the last 30 days (today included), for the uptime badge.
    pub uptime_30d: Option<f64>,
    pub checks: Vec<CheckModel>,
}

/// Everything the public pages show, as of `built_at`.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub config: Arc<Config>,
    /// The store revision it was built from.
    pub revision: i64,
    pub built_at: DateTime<Utc>,
    pub indicator: Indicator,
    /// In config order.
    pub components: Vec<ComponentModel>,
    /// Open incidents and those resolved in the last 7 days, newest first.
    pub incidents: Vec<Incident>,
    /// In-progress and upcoming maintenances (not cancelled), soonest first.
    pub maintenances: Vec<Maintenance>,
}

/// Everything a snapshot is built from, as loaded from the store.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub revision: i64,
    pub states: Vec<StoredCheckState>,
    /// Daily counts of every check from [`first_loaded_day`] on.
    pub counts: DayTable,
    /// Open incidents and recently resolved ones.
    pub incidents: Vec<Incident>,
    /// Maintenances ending now or later, cancelled included.
    pub maintenances: Vec<Maintenance>,
    pub overrides: Vec<Override>,
}

impl Snapshot {
    /// Open incidents, newest first.
    pub fn open_incidents(&self) -> impl Iterator<Item = &Incident> {
        self.incidents.iter().filter(|i| i.is_open())
    }

    /// Maintenances with this status at the snapshot's time.
    pub fn maintenances_in(&self, wanted: MaintenanceStatus) -> impl Iterator<Item = &Maintenance> {
        self.maintenances
            .iter()
            .filter(move |m| status::maintenance::status(m, self.built_at) == wanted)
    }

    /// The component with this id, if configured.
    pub fn component(&self, id: &str) -> Option<&ComponentModel> {
        self.components
            .iter()
            .find(|c| self.config.components[c.spec].id.as_str() == id)
    }
}

/// Today in the site timezone.
pub fn today(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&config.site.timezone).date_naive()
}

/// First day of the uptime bar.
pub fn first_day(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    let back = u64::from(config.site.history_days.saturating_sub(1));
    today(config, now)
        .checked_sub_days(Days::new(back))
        .unwrap_or(NaiveDate::MIN)
}

/// Days the uptime badge covers (today included).
pub const BADGE_DAYS: u64 = 30;

/// First day of the badge's 30-day uptime.
fn badge_first_day(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    today(config, now)
        .checked_sub_days(Days::new(BADGE_DAYS - 1))
        .unwrap_or(NaiveDate::MIN)
}

/// Daily counts by check id, each check's days in any order.
pub type DayTable = HashMap<String, Vec<DayCounts>>;

/// The oldest day any part of a snapshot shows (the bar or the badge).
pub fn first_loaded_day(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    first_day(config, now).min(badge_first_day(config, now))
}

/// Composes loaded data with the status rules (pure: `now` is given). Linear
/// in checks and loaded days, so a page of 500 components stays cheap.
pub fn build(config: Arc<Config>, loaded: Loaded, now: DateTime<Utc>) -> Snapshot {
    let states: HashMap<&str, &StoredCheckState> = loaded
        .states
        .iter()
        .map(|s| (s.check_id.as_str(), s))
        .collect();
    let mut checks_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, check) in config.checks.iter().enumerate() {
        checks_of
            .entry(check.component.as_str())
            .or_default()
            .push(index);
    }
    let open: Vec<&Incident> = loaded.incidents.iter().filter(|i| i.is_open()).collect();
    let (first, today) = (first_day(&config, now), today(&config, now));
    let badge_first = badge_first_day(&config, now);
    let components: Vec<ComponentModel> = config
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| {
            let specs = checks_of
                .get(component.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let checks: Vec<CheckModel> = specs
                .iter()
                .map(|&spec| {
                    let c = &config.checks[spec];
                    let stored = states.get(c.id.as_str());
                    let last = stored.map(|s| s.last_result_at);
                    CheckModel {
                        spec,
                        state: stored.and_then(|s| s.tracker.state),
                        freshness: status::freshness::of_check(last, c.interval, now),
                        last_result_at: last,
                        last_latency_ms: stored.and_then(|s| s.last_latency_ms),
                        last_failure: stored.and_then(|s| s.last_failure.clone()),
                    }
                })
                .collect();
            let own: Vec<DayCounts> = specs
                .iter()
                .filter_map(|&spec| loaded.counts.get(config.checks[spec].id.as_str()))
                .flatten()
                .copied()
                .collect();
            let freshness: Vec<Freshness> = checks.iter().map(|c| c.freshness).collect();
            let states: Vec<Option<CheckState>> = checks.iter().map(|c| c.state).collect();
            ComponentModel {
                spec: index,
                status: status::component::evaluate(&status::component::ComponentInputs {
                    checks: states,
                    in_maintenance: loaded
                        .maintenances
                        .iter()
                        .any(|m| status::maintenance::covers(m, component.id.as_str(), now)),
                    incident: open
                        .iter()
                        .flat_map(|i| &i.components)
                        .filter(|(c, _)| c == component.id.as_str())
                        .map(|(_, s)| *s)
                        .reduce(ComponentStatus::worst),
                    pinned: loaded
                        .overrides
                        .iter()
                        .find(|o| o.component == component.id.as_str() && o.in_force(now))
                        .map(|o| o.status),
                }),
                freshness: status::freshness::of_component(&freshness),
                last_checked: checks.iter().filter_map(|c| c.last_result_at).max(),
                days: status::uptime::daily(&own, today, config.site.history_days),
                period_uptime: status::uptime::period(&own, first, today),
                uptime_30d: status::uptime::period(&own, badge_first, today),
                checks,
            }
        })
        .collect();
    let statuses: Vec<ComponentStatus> = components.iter().map(|c| c.status).collect();
    let maintenance_in_progress = loaded
        .maintenances
        .iter()
        .any(|m| status::maintenance::status(m, now) == MaintenanceStatus::InProgress);
    let impact = open
        .iter()
        .map(|i| i.impact)
        .max()
        .map(|impact| match impact {
            Impact::None => Indicator::None,
            Impact::Minor => Indicator::Minor,
            Impact::Major => Indicator::Major,
            Impact::Critical => Indicator::Critical,
        });
    let mut maintenances = loaded.maintenances;
    maintenances.retain(|m| {
        matches!(
            status::maintenance::status(m, now),
            MaintenanceStatus::Scheduled | MaintenanceStatus::InProgress
        )
    });
    Snapshot {
        indicator: status::overall::indicator(&statuses, maintenance_in_progress, impact),
        config,
        revision: loaded.revision,
        built_at: now,
        components,
        incidents: loaded.incidents,
        maintenances,
    }
}
