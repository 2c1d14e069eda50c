//! One prober per region (SPEC §9): every process that probes region `R`
//! contends for the lease `probe:R`, and only its holder runs the probe
//! worker, so two `beacon probe --region eu` (or a `beacon serve` and a
//! `beacon probe` of one region) never write one region's check states in
//! turn. A process without `--region` probes the region `default` and
//! follows the same rule; a lone process (the single-machine `beacon
//! serve`) takes its lease at start and probes at once.
//!
//! Unlike the other duties, probing does not stop when the lease merely
//! cannot be renewed (the database away): the results wait in the
//! writer's queue for the database to come back, as they always have. It
//! stops when the database says another process holds the lease, and a
//! standby starts when it takes it: within 15 s of the holder's death.

use std::sync::Arc;

use anyhow::Context as _;
use tokio::sync::watch;

use super::lease::{Kept, Lease, keep};
use crate::config::Config;
use crate::domain::RegionId;
use crate::probe::{self, lag::ScheduleLag};
use crate::store::Store;

/// The name of `region`'s probe lease.
pub fn lease_name(region: &RegionId) -> String {
    format!("probe:{region}")
}

/// Takes `region`'s probe lease for `holder` (at once when it is free);
/// [`run`] probes while it is held.
pub async fn contend(store: &Store, region: &RegionId, holder: Arc<str>) -> Kept {
    keep(store.clone(), lease_name(region), holder).await
}

/// Runs `region`'s probe worker whenever the database last gave this
/// process `lease`, until `shutdown`; each start reads the region's check
/// states afresh (the last holder's thresholds go on).
pub async fn run(
    store: Store,
    config: Arc<Config>,
    region: RegionId,
    lag: Arc<ScheduleLag>,
    mut lease: Lease,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    loop {
        if !lease.last_said_ours() {
            tracing::info!(
                lease = lease.name(),
                "standing by: another process probes this region"
            );
        }
        while !lease.last_said_ours() && !stopping(&shutdown) {
            tokio::select! {
                () = lease.changed() => {}
                _ = shutdown.changed() => {}
            }
        }
        if stopping(&shutdown) {
            return Ok(());
        }
        let (stop, stopped) = watch::channel(false);
        let worker = probe::run_until_stopped(
            store.clone(),
            Arc::clone(&config),
            region.clone(),
            Arc::clone(&lag),
            stopped,
        );
        tokio::pin!(worker);
        let finished = loop {
            tokio::select! {
                // It returns on its own only when it cannot start.
                finished = &mut worker => break Some(finished),
                () = lease.changed() => if !lease.last_said_ours() {
                    tracing::warn!(lease = lease.name(), "another process probes this region now: stopping");
                    break None;
                },
                _ = shutdown.changed() => break None,
            }
        };
        if let Some(finished) = finished {
            return finished;
        }
        stop.send_replace(true);
        worker.await.context("stopping the probe worker")?;
    }
}

/// Whether `shutdown` asks to stop (or its sender is gone).
fn stopping(shutdown: &watch::Receiver<bool>) -> bool {
    *shutdown.borrow() || shutdown.has_changed().is_err()
}
