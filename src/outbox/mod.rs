//! The sender (SPEC §8): one task that fans recorded events out into
//! deliveries and works through them, never on the request or probe path.
//!
//! - Fan-out: each event becomes one delivery per target that wants it,
//!   in one transaction with marking the event done, so it happens once.
//! - Attempts: a due delivery is first *claimed* (its attempt counted and
//!   its next due time pushed past the attempt's timeout), then sent, then
//!   its outcome recorded. A crash between send and record leaves it due
//!   again at the claimed time, with the same id: at least once, and the
//!   receiver deduplicates by id.
//! - Isolation: at most [`MAX_IN_FLIGHT`] attempts at once and at most
//!   [`MAX_PER_TARGET`] per target, each bounded by its notifier's
//!   timeout, so a hanging target holds two slots and nothing else.
//! - Duties on the clock: maintenance edges (once each) and
//!   `remind_every` repeats.
//! - Once across processes: only the holder of the notifications lease
//!   (`crate::duties`) works; the others wait. An attempt claimed before
//!   the lease moved finishes (the claim makes it that attempt's alone).

pub mod compose;
mod fanout;
pub mod payload;
mod targets;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::config::Config;
use crate::duties::Lease;
use crate::model::Model;
use crate::notify::{DEFAULT_TIMEOUT, Outcome, backoff};
use crate::store::{Attempted, DueDelivery, Store, StoreError};

pub use payload::Payload;
pub use targets::{Targets, webhook_delivery};

/// Attempts running at once, all targets together.
pub const MAX_IN_FLIGHT: usize = 16;
/// Attempts running at once for one target.
pub const MAX_PER_TARGET: usize = 2;
/// How often the sender looks for work.
const TICK: Duration = Duration::from_millis(250);
/// How often `remind_every` is looked at.
const REMIND_EVERY_CHECK: Duration = Duration::from_secs(5);
/// How long shutdown lets attempts in flight finish.
const DRAIN: Duration = Duration::from_secs(2);

/// The sender's parts.
pub struct Sender {
    store: Store,
    config: Arc<Config>,
    model: Arc<Model>,
    targets: Targets,
    /// The absolute base of links in messages.
    base: String,
    /// When this process started (the v2 shapes' creation time of
    /// components without results).
    started: DateTime<Utc>,
    slots: Arc<Semaphore>,
    /// Attempts in flight per target.
    busy: Arc<Mutex<HashMap<String, usize>>>,
    tasks: JoinSet<()>,
}

impl Sender {
    /// A sender for `config`'s notifiers over `store`.
    pub fn new(
        store: Store,
        model: Arc<Model>,
        targets: Targets,
        base: String,
        started: DateTime<Utc>,
    ) -> Sender {
        Sender {
            config: Arc::clone(&model.get().config),
            store,
            model,
            targets,
            base,
            started,
            slots: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            busy: Arc::default(),
            tasks: JoinSet::new(),
        }
    }

    /// Works while this process holds `lease`, until `shutdown`, then
    /// gives attempts in flight [`DRAIN`].
    pub async fn run_until_stopped(mut self, lease: Lease, mut shutdown: watch::Receiver<bool>) {
        let mut last_reminders = tokio::time::Instant::now();
        while !*shutdown.borrow() {
            let Some(deadline) = lease.deadline() else {
                tokio::select! {
                    () = tokio::time::sleep(TICK) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            };
            let now = Utc::now();
            let remind = last_reminders.elapsed() >= REMIND_EVERY_CHECK;
            if remind {
                last_reminders = tokio::time::Instant::now();
            }
            match tokio::time::timeout_at(deadline, self.step(now, remind)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "the notification sender could not read the outbox");
                }
                Err(_) => tracing::warn!("the notifications lease ran out during a round"),
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                _ = shutdown.changed() => {}
            }
        }
        let drained = tokio::time::timeout(DRAIN, async {
            while self.tasks.join_next().await.is_some() {}
        });
        if drained.await.is_err() {
            // Claimed and unfinished: retried with the same id after the restart.
            tracing::info!(
                in_flight = self.tasks.len(),
                "stopping with notification attempts in flight; they will be retried"
            );
            self.tasks.abort_all();
        }
    }

    /// One round: clock duties, fan-out, and attempts of what is due.
    pub async fn step(&mut self, now: DateTime<Utc>, remind: bool) -> Result<(), StoreError> {
        while self.tasks.try_join_next().is_some() {}
        self.store.record_maintenance_edges(now).await?;
        if remind {
            for n in self.targets.notifiers() {
                if let Some(every) = n.remind_every {
                    self.store.queue_reminders(&n.id, every, now).await?;
                }
            }
            self.store.expire_sign_ups(now).await?;
        }
        fanout::fan_out(self, now).await?;
        self.start_due(now).await
    }

    /// Starts an attempt for each due delivery that has a free slot.
    async fn start_due(&mut self, now: DateTime<Utc>) -> Result<(), StoreError> {
        let limit = u32::try_from(MAX_IN_FLIGHT * 4).unwrap_or(u32::MAX);
        for due in self.store.due_deliveries(now, limit).await? {
            if self.busy_for(&due.target) >= MAX_PER_TARGET {
                continue;
            }
            let Ok(slot) = Arc::clone(&self.slots).try_acquire_owned() else {
                break;
            };
            let timeout = self.timeout_of(&due.target);
            let hold = backoff::delay_after(due.attempts + 1).unwrap_or(backoff::FIRST_DELAY);
            let hold_until = now + chrono::Duration::from_std(timeout + hold).unwrap_or_default();
            if !self.store.claim_delivery(&due, hold_until).await? {
                continue;
            }
            *self.lock_busy().entry(due.target.clone()).or_default() += 1;
            let attempt = Attempt {
                store: self.store.clone(),
                targets: self.targets.clone(),
                busy: Arc::clone(&self.busy),
                due,
            };
            self.tasks.spawn(async move {
                attempt.run().await;
                drop(slot);
            });
        }
        Ok(())
    }

    fn timeout_of(&self, target: &str) -> Duration {
        self.config
            .notify
            .notifier(target)
            .map_or(DEFAULT_TIMEOUT, |n| n.timeout)
    }

    fn busy_for(&self, target: &str) -> usize {
        self.lock_busy().get(target).copied().unwrap_or(0)
    }

    fn lock_busy(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.busy.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One claimed attempt, run in its own task.
struct Attempt {
    store: Store,
    targets: Targets,
    busy: Arc<Mutex<HashMap<String, usize>>>,
    due: DueDelivery,
}

impl Attempt {
    async fn run(self) {
        let due = &self.due;
        let outcome = match serde_json::from_str::<Payload>(&due.payload) {
            Ok(payload) => fanout::send(&self.store, &self.targets, due, &payload).await,
            Err(e) => Outcome::Permanent(format!("unreadable payload: {e}")),
        };
        let attempted = attempted(&outcome, due.attempts + 1, Utc::now());
        match &outcome {
            Outcome::Delivered => {
                tracing::info!(delivery = due.id, target = due.target, "delivered")
            }
            _ => tracing::warn!(delivery = due.id, target = due.target, %outcome, "not delivered"),
        }
        if let Err(e) = self
            .store
            .finish_attempt(&due.id, &attempted, Utc::now())
            .await
        {
            // The claim stands: it is retried at the claimed time.
            tracing::warn!(delivery = due.id, error = %e, "cannot record a delivery attempt");
        }
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = busy.get_mut(&due.target) {
            *n = n.saturating_sub(1);
        }
    }
}

/// What to record after attempt number `made` ended in `outcome`.
fn attempted(outcome: &Outcome, made: u32, now: DateTime<Utc>) -> Attempted {
    match outcome {
        Outcome::Delivered => Attempted::Delivered,
        Outcome::Permanent(why) => Attempted::Failed(why.clone()),
        Outcome::Retry(why) => match backoff::delay_after(made) {
            Some(delay) => {
                let delay = backoff::with_jitter(delay, rand::random::<f64>());
                let at = now + chrono::Duration::from_std(delay).unwrap_or_default();
                Attempted::RetryAt(at, why.clone())
            }
            None => Attempted::Failed(format!("gave up after {made} attempts: {why}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_become_records() {
        let now = Utc::now();
        assert_eq!(attempted(&Outcome::Delivered, 1, now), Attempted::Delivered);
        let bad = Outcome::Permanent("bad address".into());
        assert_eq!(
            attempted(&bad, 1, now),
            Attempted::Failed("bad address".into())
        );
        let Attempted::RetryAt(at, why) = attempted(&Outcome::Retry("HTTP 500".into()), 1, now)
        else {
            panic!("a retry");
        };
        assert_eq!(why, "HTTP 500");
        let wait = (at - now).to_std().unwrap();
        assert!(
            wait >= Duration::from_secs(4) && wait <= Duration::from_secs(6),
            "{wait:?}"
        );
        let last = attempted(
            &Outcome::Retry("HTTP 500".into()),
            backoff::MAX_ATTEMPTS,
            now,
        );
        assert_eq!(
            last,
            Attempted::Failed("gave up after 10 attempts: HTTP 500".into())
        );
    }
}
