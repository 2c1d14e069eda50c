//! The probe scheduler as a step machine: [`Worker::run_due`] starts every
//! check due at a given instant and says when the next one is due. The
//! running loop ([`super::run_until_stopped`]) sleeps until then and calls
//! it again; tests call it with the instants they choose, so they drive
//! probing step by step instead of waiting on the clock.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::lag::ScheduleLag;
use super::schedule::{Schedule, Timing};
use super::{push, run_check};
use crate::config::Config;
use crate::domain::{CheckKind, CheckResult, CheckSpec};
use crate::store::Store;

/// Every configured check, its schedule and the attempts in flight.
pub struct Worker {
    /// Each check of the config, shared with it (no copy per probe).
    schedule: Schedule<Arc<CheckSpec>>,
    /// The instant the schedule's offsets count from.
    start: Instant,
    /// When the worker started, for push checks never pinged since.
    started_at: DateTime<Utc>,
    client: reqwest::Client,
    store: Store,
    results: mpsc::Sender<CheckResult>,
    lag: Arc<ScheduleLag>,
    in_flight: JoinSet<()>,
}

impl Worker {
    /// A worker whose schedule starts at `start`; each attempt's result goes
    /// to `results`, how late it started to `lag`.
    pub fn new(
        config: Arc<Config>,
        store: Store,
        client: reqwest::Client,
        results: mpsc::Sender<CheckResult>,
        lag: Arc<ScheduleLag>,
        start: Instant,
    ) -> Worker {
        let schedule = Schedule::new(config.checks.iter().map(|c| {
            let timing = match &c.kind {
                CheckKind::Push(p) => {
                    Timing::steady(push::first_judgement(c.interval, p.grace), c.interval)
                }
                _ => Timing::network(c.id.as_str(), c.interval),
            };
            (Arc::clone(c), timing)
        }));
        Worker {
            schedule,
            start,
            started_at: Utc::now(),
            client,
            store,
            results,
            lag,
            in_flight: JoinSet::new(),
        }
    }

    /// Starts every check due at `now` (each attempt in its own task),
    /// collects attempts that finished, and returns when the next check is
    /// due (`None`: no check is configured).
    pub fn run_due(&mut self, now: Instant) -> Option<Instant> {
        for (spec, due) in self
            .schedule
            .take_due(now.saturating_duration_since(self.start))
        {
            let (client, results) = (self.client.clone(), self.results.clone());
            let (store, lag) = (self.store.clone(), Arc::clone(&self.lag));
            let (due, started_at) = (self.start + due, self.started_at);
            self.in_flight.spawn(async move {
                lag.observe(Instant::now().saturating_duration_since(due));
                let Some(result) = run_check(&spec, &client, &store, started_at).await else {
                    return;
                };
                // The writer only goes away at shutdown; then the result is moot.
                let _ = results.send(result).await;
            });
        }
        while let Some(done) = self.in_flight.try_join_next() {
            log_panic(done);
        }
        self.schedule.next_due().map(|due| self.start + due)
    }

    /// Abandons the attempts in flight: they have no result to lose.
    pub async fn stop(mut self) {
        self.in_flight.shutdown().await;
    }
}

fn log_panic(done: Result<(), tokio::task::JoinError>) {
    if let Err(e) = done {
        tracing::error!(error = %e, "probe task failed");
    }
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
