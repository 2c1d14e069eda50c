//! The status model every public page reads: built from the store when data
//! changes (or time moves on), never per visitor.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::config::Config;
use crate::domain::{Impact, Incident, Maintenance, MaintenanceStatus};
use crate::status::{
    self, CheckState, ComponentStatus, DayUptime, Freshness, Indicator, uptime::DayCounts,
};
use crate::store::{Override, Store, StoreError, StoredCheckState};

/// Resolved incidents stay on `/` this long (SPEC §4: the last 7 days).
pub const RECENT_INCIDENTS: chrono::Duration = chrono::Duration::days(7);

/// A snapshot is rebuilt at least this often, so time-driven changes (stale
/// data, a new day) show even when no data changes.
pub const MAX_AGE: Duration = Duration::from_secs(10);
/// How often the store's revision is polled for changes from any process.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

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
    pub counts: Vec<(String, DayCounts)>,
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

/// Composes loaded data with the status rules (pure: `now` is given).
pub fn build(config: Arc<Config>, loaded: Loaded, now: DateTime<Utc>) -> Snapshot {
    let counts = &loaded.counts;
    let states: HashMap<&str, &StoredCheckState> = loaded
        .states
        .iter()
        .map(|s| (s.check_id.as_str(), s))
        .collect();
    let open: Vec<&Incident> = loaded.incidents.iter().filter(|i| i.is_open()).collect();
    let (first, today) = (first_day(&config, now), today(&config, now));
    let components: Vec<ComponentModel> = config
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| {
            let checks: Vec<CheckModel> = config
                .checks
                .iter()
                .enumerate()
                .filter(|(_, c)| c.component == component.id)
                .map(|(spec, c)| {
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
            let ids: Vec<&str> = config
                .checks
                .iter()
                .filter(|c| c.component == component.id)
                .map(|c| c.id.as_str())
                .collect();
            let own: Vec<DayCounts> = counts
                .iter()
                .filter(|(id, _)| ids.contains(&id.as_str()))
                .map(|(_, c)| *c)
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
                uptime_30d: status::uptime::period(&own, badge_first_day(&config, now), today),
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

/// Loads what a snapshot needs from the store and builds it.
pub async fn load(
    store: &Store,
    config: Arc<Config>,
    now: DateTime<Utc>,
) -> Result<Snapshot, StoreError> {
    let loaded = Loaded {
        revision: store.revision().await?,
        states: store.check_states().await?,
        counts: store
            .daily_counts(first_day(&config, now).min(badge_first_day(&config, now)))
            .await?,
        incidents: store.recent_incidents(now - RECENT_INCIDENTS).await?,
        maintenances: store.maintenances_ending_after(now).await?,
        overrides: store.overrides().await?,
    };
    Ok(build(config, loaded, now))
}

/// The current snapshot, shared by all handlers.
#[derive(Debug)]
pub struct SnapshotCell(RwLock<Arc<Snapshot>>);

impl SnapshotCell {
    /// A cell holding `first`.
    pub fn new(first: Snapshot) -> SnapshotCell {
        SnapshotCell(RwLock::new(Arc::new(first)))
    }

    /// The current snapshot.
    pub fn get(&self) -> Arc<Snapshot> {
        Arc::clone(&self.0.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn set(&self, next: Snapshot) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
    }

    /// Rebuilds the snapshot whenever the store's revision changes or it is
    /// older than [`MAX_AGE`], until `shutdown` turns true.
    pub async fn refresh_until_stopped(
        &self,
        store: Store,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        while !*shutdown.borrow() {
            tokio::select! {
                _ = tokio::time::sleep(POLL_EVERY) => {}
                _ = shutdown.changed() => continue,
            }
            let current = self.get();
            let now = Utc::now();
            let changed = match store.revision().await {
                Ok(revision) => revision != current.revision,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the store revision");
                    continue;
                }
            };
            let old = (now - current.built_at).to_std().unwrap_or_default() >= MAX_AGE;
            if changed || old {
                match load(&store, Arc::clone(&current.config), now).await {
                    Ok(next) => self.set(next),
                    Err(e) => tracing::warn!(error = %e, "cannot rebuild the status snapshot"),
                }
            }
        }
    }
}
