//! Duties that must happen once across every `beacon serve` and `beacon
//! probe` on one database (SPEC §9), each group run only by the process
//! holding its lease ([`lease`]):
//!
//! - [`INCIDENTS`]: check and component announcements ([`announce`]) and
//!   automatic incidents, both decided from the check states every probe
//!   process stored, and retention pruning. Contended by every process,
//!   probes included, so a deployment of probes and page-only servers
//!   keeps them.
//! - [`NOTIFICATIONS`]: the sender of `crate::outbox` with its clock
//!   duties (maintenance edges, reminders). Contended by `beacon serve`
//!   only: a probe worker has neither the notifiers nor the page links
//!   that messages carry, and a regional probe need not reach them.
//!
//! - `probe:<region>` ([`probing`]): the probe worker of one region,
//!   contended by every process probing that region.
//!
//! A lone process takes its leases at start, so it runs its duties at
//! once, as before leases existed; a graceful stop releases them.

pub mod announce;
pub mod incidents;
pub mod lease;
pub mod probing;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::config::Config;
use crate::model::regions;
use crate::store::Store;

pub use lease::{Kept, Lease, holder_id, keep};

/// The lease of automatic incidents and retention pruning.
pub const INCIDENTS: &str = "incidents";
/// The lease of the notification sender.
pub const NOTIFICATIONS: &str = "notifications";

/// Automatic incidents are decided at least this often (writes of other
/// processes show no sooner), and soon after a batch this process writes.
const DECIDE_EVERY: Duration = Duration::from_secs(1);
/// Decisions a write triggers start at least this far apart: each reads
/// every check state, and a busy writer commits several batches a second.
const DECIDE_GAP: Duration = Duration::from_millis(500);
/// Raw results older than retention are pruned this often.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// The incidents lease and its duties, running until [`Running::stop`].
#[derive(Debug)]
pub struct Running {
    kept: Kept,
    duties: JoinHandle<()>,
    shutdown: watch::Sender<bool>,
}

impl Running {
    /// This process's view of the incidents lease.
    pub fn lease(&self) -> &Lease {
        &self.kept.lease
    }

    /// Stops the duties (after one last decision), waits for them, then
    /// releases the lease.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.send_replace(true);
        let stopped = self.duties.await;
        self.kept.release().await;
        stopped.map_err(|e| anyhow::anyhow!("the duties task failed: {e}"))
    }
}

/// Takes the incidents lease for `holder` (at once when it is free) and
/// runs its duties while this process holds it, until [`Running::stop`].
pub async fn start(store: Store, config: Arc<Config>, holder: Arc<str>) -> Running {
    let kept = keep(store.clone(), INCIDENTS, holder).await;
    let (shutdown, stopped) = watch::channel(false);
    let duties = tokio::spawn(run_until_stopped(
        store,
        config,
        kept.lease.clone(),
        stopped,
    ));
    Running {
        kept,
        duties,
        shutdown,
    }
}

/// Runs automatic incidents and pruning while `lease` is held, until
/// `shutdown`, and decides once more then (the probe worker has flushed its
/// last results by then, when it is stopped first). A step still running when the lease's time runs out is
/// cancelled there (its transaction rolls back), so two holders never act
/// at once.
async fn run_until_stopped(
    store: Store,
    config: Arc<Config>,
    mut lease: Lease,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut written = store.results_written();
    let mut last_prune: Option<Instant> = None;
    let mut pruning: Option<JoinHandle<()>> = None;
    let mut last_decided = Instant::now();
    while !*shutdown.borrow() {
        let deadline = lease.deadline();
        match deadline {
            Some(deadline) => {
                last_decided = Instant::now();
                decide(&store, &config, deadline).await;
                let idle = pruning.as_ref().is_none_or(JoinHandle::is_finished);
                if idle && last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                    last_prune = Some(Instant::now());
                    pruning = Some(tokio::spawn(prune(store.clone(), Arc::clone(&config))));
                }
            }
            None => {
                // Each pruning batch commits on its own: stopping between two loses nothing.
                if let Some(pruning) = pruning.take() {
                    pruning.abort();
                }
                last_prune = None;
            }
        }
        let wake = Instant::now() + DECIDE_EVERY;
        let wake = deadline.map_or(wake, |deadline| wake.min(deadline));
        tokio::select! {
            () = tokio::time::sleep_until(wake) => {}
            _ = written.changed() => {
                tokio::time::sleep_until((last_decided + DECIDE_GAP).min(wake)).await;
            }
            () = lease.changed() => {}
            _ = shutdown.changed() => {}
        }
    }
    if let Some(pruning) = pruning {
        pruning.abort();
    }
    if let Some(deadline) = lease.deadline() {
        decide(&store, &config, deadline).await;
    }
}

/// One round of announcements and automatic incidents from one read of
/// the check states, cancelled at `deadline` (its transactions roll back).
async fn decide(store: &Store, config: &Config, deadline: Instant) {
    let round = async {
        let now = Utc::now();
        let shown = regions::load(store, config, now).await?;
        // Announced first: a `check.down` goes out before the incident it opens.
        if let Err(e) = announce::run_once(store, config, &shown).await {
            tracing::warn!(error = %e, "check and component changes could not be announced");
        }
        incidents::run_once(store, config, &shown, now).await
    };
    match tokio::time::timeout_at(deadline, round).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "automatic incidents could not be updated"),
        Err(_) => tracing::warn!("the lease ran out while deciding automatic incidents"),
    }
}

/// Deletes raw results, reports and five-minute rollups past their keeping.
async fn prune(store: Store, config: Arc<Config>) {
    let keep = chrono::Duration::days(i64::from(config.database.retention_days));
    // The store logs what it deleted and how long its batches held the lock.
    let now = Utc::now();
    if let Err(e) = store.prune_results(now - keep).await {
        tracing::warn!(error = %e, "pruning raw results failed");
    }
    // Visitors' reports go with the raw results (SPEC §10: a bounded table).
    if let Err(e) = store.prune_reports(now - keep).await {
        tracing::warn!(error = %e, "pruning reports failed");
    }
    let chart = now - crate::store::FIVE_MINUTES_KEPT;
    if let Err(e) = store.prune_five_minute_rollups(chart).await {
        tracing::warn!(error = %e, "pruning five-minute rollups failed");
    }
}
