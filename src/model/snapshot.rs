//! The snapshot: config + store data + status rules at one instant, built
//! by a pure function of what was loaded and `now`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::config::Config;
use crate::domain::{CheckSpec, Component, Incident, Maintenance, MaintenanceStatus};
use crate::status::overall::Headline;
use crate::status::{
    self, CheckState, ComponentStatus, DayUptime, Freshness, Indicator, uptime::DayCounts,
};
use crate::store::{Override, StoredCheckState};

use super::regions::{self, RegionCheck, ShownCheck};

/// One check as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckModel {
    /// Its configuration entry.
    pub spec: Arc<CheckSpec>,
    pub state: Option<CheckState>,
    pub freshness: Freshness,
    pub last_result_at: Option<DateTime<Utc>>,
    pub last_latency_ms: Option<i64>,
    pub last_failure: Option<(DateTime<Utc>, String)>,
    /// Each probe region's view, by region name.
    pub regions: Vec<RegionCheck>,
}

/// One component as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentModel {
    /// Its configuration entry.
    pub spec: Arc<Component>,
    pub status: ComponentStatus,
    pub freshness: Freshness,
    pub last_checked: Option<DateTime<Utc>>,
    /// `history_days` days, oldest first.
    pub days: Vec<DayUptime>,
    pub period_uptime: Option<f64>,
    /// Uptime of the last 30 days (today included), for the uptime badge.
    pub uptime_30d: Option<f64>,
    pub checks: Vec<CheckModel>,
    /// Distinct visitors who reported a problem in the last hour; `None`
    /// unless `[reports] public = true` (SPEC §10).
    pub reporters_last_hour: Option<u32>,
}

/// Everything the public pages show, as of `built_at`.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub config: Arc<Config>,
    /// The store revision it was built from.
    pub revision: i64,
    pub built_at: DateTime<Utc>,
    pub indicator: Indicator,
    /// What the page may say overall: the indicator unless data is missing.
    pub headline: Headline,
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
    /// Every region's state of every check, combined by [`super::regions`].
    pub states: Vec<StoredCheckState>,
    /// Daily counts of every check from [`first_loaded_day`] on.
    pub counts: DayTable,
    /// Open incidents and recently resolved ones.
    pub incidents: Vec<Incident>,
    /// Maintenances ending now or later, cancelled included.
    pub maintenances: Vec<Maintenance>,
    pub overrides: Vec<Override>,
    /// Distinct reporters of the last hour by component; loaded only when
    /// `[reports] public = true`.
    pub reporters: HashMap<String, u32>,
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
        self.components.iter().find(|c| c.spec.id.as_str() == id)
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
    let components: Vec<ComponentModel> = {
        let inputs = Inputs::new(&config, &loaded, now);
        config
            .components
            .iter()
            .map(|component| inputs.component(component))
            .collect()
    };
    let statuses: Vec<ComponentStatus> = components.iter().map(|c| c.status).collect();
    let freshness: Vec<Freshness> = components.iter().map(|c| c.freshness).collect();
    let maintenance_in_progress = loaded
        .maintenances
        .iter()
        .any(|m| status::maintenance::status(m, now) == MaintenanceStatus::InProgress);
    let impact = loaded
        .incidents
        .iter()
        .filter(|i| i.is_open())
        .map(|i| i.impact)
        .max()
        .map(status::overall::of_impact);
    let indicator = status::overall::indicator(&statuses, maintenance_in_progress, impact);
    let mut maintenances = loaded.maintenances;
    maintenances.retain(|m| {
        matches!(
            status::maintenance::status(m, now),
            MaintenanceStatus::Scheduled | MaintenanceStatus::InProgress
        )
    });
    Snapshot {
        indicator,
        headline: status::overall::headline(indicator, &freshness),
        config,
        revision: loaded.revision,
        built_at: now,
        components,
        incidents: loaded.incidents,
        maintenances,
    }
}

/// What loaded data says per check and per component, indexed once.
struct Inputs<'a> {
    config: &'a Config,
    loaded: &'a Loaded,
    now: DateTime<Utc>,
    states: HashMap<String, ShownCheck>,
    checks_of: HashMap<&'a str, Vec<&'a Arc<CheckSpec>>>,
    open: Vec<&'a Incident>,
}

impl<'a> Inputs<'a> {
    fn new(config: &'a Config, loaded: &'a Loaded, now: DateTime<Utc>) -> Inputs<'a> {
        let mut checks_of: HashMap<&str, Vec<&Arc<CheckSpec>>> = HashMap::new();
        for check in &config.checks {
            checks_of
                .entry(check.component.as_str())
                .or_default()
                .push(check);
        }
        Inputs {
            config,
            loaded,
            now,
            states: regions::shown(config, &loaded.states, now),
            checks_of,
            open: loaded.incidents.iter().filter(|i| i.is_open()).collect(),
        }
    }

    fn check(&self, spec: &Arc<CheckSpec>) -> CheckModel {
        let shown = self.states.get(spec.id.as_str());
        let last = shown.map(|s| s.last_result_at);
        CheckModel {
            spec: Arc::clone(spec),
            state: shown.and_then(|s| s.state),
            freshness: status::freshness::of_check(last, spec.interval, self.now),
            last_result_at: last,
            last_latency_ms: shown.and_then(|s| s.last_latency_ms),
            last_failure: shown.and_then(|s| s.last_failure.clone()),
            regions: shown.map(|s| s.regions.clone()).unwrap_or_default(),
        }
    }

    fn component(&self, component: &Arc<Component>) -> ComponentModel {
        let (config, loaded, now) = (self.config, self.loaded, self.now);
        let id = component.id.as_str();
        let specs = self.checks_of.get(id).map_or(&[][..], Vec::as_slice);
        let checks: Vec<CheckModel> = specs.iter().map(|spec| self.check(spec)).collect();
        let own: Vec<DayCounts> = specs
            .iter()
            .filter_map(|spec| loaded.counts.get(spec.id.as_str()))
            .flatten()
            .copied()
            .collect();
        let freshness: Vec<Freshness> = checks.iter().map(|c| c.freshness).collect();
        let inputs = status::component::ComponentInputs {
            checks: checks.iter().map(|c| c.state).collect(),
            in_maintenance: loaded
                .maintenances
                .iter()
                .any(|m| status::maintenance::covers(m, id, now)),
            incident: self
                .open
                .iter()
                .flat_map(|i| &i.components)
                .filter(|(c, _)| c.as_str() == id)
                .map(|(_, s)| *s)
                .reduce(ComponentStatus::worst),
            pinned: loaded
                .overrides
                .iter()
                .find(|o| o.component == id && o.in_force(now))
                .map(|o| o.status),
        };
        let today = today(config, now);
        ComponentModel {
            spec: Arc::clone(component),
            status: status::component::evaluate(&inputs),
            freshness: status::freshness::of_component(&freshness),
            last_checked: checks.iter().filter_map(|c| c.last_result_at).max(),
            days: status::uptime::daily(&own, today, config.site.history_days),
            period_uptime: status::uptime::period(&own, first_day(config, now), today),
            uptime_30d: status::uptime::period(&own, badge_first_day(config, now), today),
            checks,
            reporters_last_hour: (config.reports.enabled && config.reports.public)
                .then(|| loaded.reporters.get(id).copied().unwrap_or(0)),
        }
    }
}
