//! The current snapshot and the one path that replaces it.
//!
//! Three things ask for a rebuild, and all go through [`Model::refresh_now`]:
//! - an admin write in this process, which waits for it before answering
//!   (read-your-writes, SPEC §6);
//! - probe results committed in this process (the store says so at once),
//!   changes committed by other processes (on PostgreSQL the store hears
//!   their `NOTIFY` at commit, so every node follows within a second),
//!   and the revision poll, the fallback and SQLite's only path: all of
//!   them together start at most one rebuild per [`MIN_GAP`] however many
//!   results arrive, so rebuild cost does not grow with the probe rate;
//! - the clock: a snapshot older than [`MAX_AGE`] is rebuilt, so stale data,
//!   maintenance windows and a new day show without any write.
//!
//! Rebuilds are single flight: callers queue on one lock, and a caller
//! whose request is already covered by a rebuild that *started* after it
//! asked returns without rebuilding again, so concurrent writers share one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Mutex, watch};
use tokio::time::Instant;

use super::rollups::Rollups;
use super::snapshot::{self, Loaded, Snapshot};
use crate::config::Config;
use crate::status::reports::RATE_WINDOW;
use crate::store::{Store, StoreError};

/// Resolved incidents stay on `/` this long (SPEC §4: the last 7 days).
pub const RECENT_INCIDENTS: chrono::Duration = chrono::Duration::days(7);

/// A snapshot is rebuilt at least this often, so time-driven changes (stale
/// data, a new day) show even when no data changes.
pub const MAX_AGE: Duration = Duration::from_secs(10);
/// How often the store's revision is polled for changes from any process.
pub const POLL_EVERY: Duration = Duration::from_millis(500);
/// Rebuilds not asked for by an admin write of this process start at
/// least this far apart: results arriving meanwhile share the next one.
/// A result reaches the page within the writer's flush (200 ms) plus this
/// plus one rebuild, inside SPEC §3's "one interval + 1 s" (issue 8
/// target 3), and another node's write within SPEC §9's 1 s. At 250 ms the
/// rebuilds (re-render, recompress of every page asked for) ran four times a
/// second under 50 checks at 10 s, on the cores serving the pages.
pub const MIN_GAP: Duration = Duration::from_millis(750);

/// What only the rebuild holding the lock touches.
#[derive(Debug, Default)]
struct Rebuilder {
    /// Requests up to this number are visible in the current snapshot.
    covered: u64,
    rollups: Rollups,
}

/// The status model: the current [`Snapshot`], rebuilt from the store.
#[derive(Debug)]
pub struct Model {
    store: Store,
    config: Arc<Config>,
    current: RwLock<Arc<Snapshot>>,
    /// Rebuild requests so far; a request's number is its ticket.
    requested: AtomicU64,
    /// Snapshots built since start, for `/metrics`.
    rebuilds: AtomicU64,
    rebuilder: Mutex<Rebuilder>,
}

impl Model {
    /// Loads the first snapshot.
    pub async fn load(
        store: Store,
        config: Arc<Config>,
        now: DateTime<Utc>,
    ) -> Result<Model, StoreError> {
        let mut rebuilder = Rebuilder::default();
        let first = rebuilder.build(&store, Arc::clone(&config), now).await?;
        Ok(Model {
            store,
            config,
            current: RwLock::new(Arc::new(first)),
            requested: AtomicU64::new(0),
            rebuilds: AtomicU64::new(1),
            rebuilder: Mutex::new(rebuilder),
        })
    }

    /// The configuration every snapshot is built with.
    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    /// The current snapshot.
    pub fn get(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Returns once a snapshot built from reads that started after this call
    /// is current: everything committed before the call is in it.
    pub async fn refresh_now(&self) -> Result<(), StoreError> {
        let ticket = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let mut rebuilder = self.rebuilder.lock().await;
        if rebuilder.covered >= ticket {
            return Ok(());
        }
        // Every request numbered up to here was made before this rebuild reads.
        let covers = self.requested.load(Ordering::SeqCst);
        let next = rebuilder
            .build(&self.store, Arc::clone(&self.config), Utc::now())
            .await?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        rebuilder.covered = covers;
        self.rebuilds.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Snapshots built since start (the first included).
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds.load(Ordering::Relaxed)
    }

    /// Rebuilds when this process committed results, when another process
    /// announced a change (PostgreSQL `NOTIFY`, [`Store::follow_changes`]),
    /// when the revision polled every [`POLL_EVERY`] moved (the only path
    /// on SQLite, the fallback while PostgreSQL's notifications are lost),
    /// all at most once per [`MIN_GAP`]; and when the snapshot is older
    /// than [`MAX_AGE`], until `shutdown`.
    pub async fn refresh_until_stopped(&self, mut shutdown: watch::Receiver<bool>) {
        let mut written = self.store.results_written();
        let mut elsewhere = self.store.follow_changes();
        let mut announced = true;
        let mut last = Instant::now();
        while !*shutdown.borrow() {
            tokio::select! {
                _ = tokio::time::sleep(POLL_EVERY) => {}
                changed = written.changed() => {
                    if changed.is_err() {
                        tokio::time::sleep(POLL_EVERY).await;
                    }
                }
                changed = elsewhere.changed(), if announced => {
                    // Fails at once on SQLite, which announces nothing.
                    announced = changed.is_ok();
                }
                _ = shutdown.changed() => continue,
            }
            // Whatever woke the loop, changes since the last rebuild wait
            // for the gap and then share one.
            tokio::time::sleep_until(last + MIN_GAP).await;
            let current = self.get();
            let changed = match self.store.revision().await {
                Ok(revision) => revision != current.revision,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the store revision");
                    continue;
                }
            };
            let age = (Utc::now() - current.built_at).to_std().unwrap_or_default();
            if changed || age >= MAX_AGE {
                last = Instant::now();
                if let Err(e) = self.refresh_now().await {
                    tracing::warn!(error = %e, "cannot rebuild the status snapshot");
                }
            }
        }
    }
}

impl Rebuilder {
    /// Loads what a snapshot needs (closed days from the cache) and builds it.
    async fn build(
        &mut self,
        store: &Store,
        config: Arc<Config>,
        now: DateTime<Utc>,
    ) -> Result<Snapshot, StoreError> {
        let since = snapshot::first_loaded_day(&config, now);
        let today = snapshot::today(&config, now);
        let loaded = Loaded {
            revision: store.revision().await?,
            states: store.check_states().await?,
            counts: self.rollups.load(store, since, today).await?,
            incidents: store.recent_incidents(now - RECENT_INCIDENTS).await?,
            maintenances: store.maintenances_ending_after(now).await?,
            overrides: store.overrides().await?,
            reporters: if config.reports.enabled && config.reports.public {
                let hour = chrono::Duration::from_std(RATE_WINDOW).unwrap_or_default();
                store.reporters_since(now - hour).await?
            } else {
                HashMap::new()
            },
        };
        Ok(snapshot::build(config, loaded, now))
    }
}

#[cfg(test)]
#[path = "refresher_tests.rs"]
mod tests;
