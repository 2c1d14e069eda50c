//! Keeping a lease: take it at start, renew it every [`RENEW_EVERY`] for
//! [`TTL`], and tell the duties until when they may act.
//!
//! The database decides who holds it (one statement, its own clock:
//! [`Store::take_lease`]); this process only believes it holds it until
//! [`TTL`] − [`MARGIN`] after it *sent* its last successful request, by its
//! own monotonic clock. The database lets another process take over no
//! sooner than [`TTL`] after that request ran, so the two never overlap:
//! a holder that cannot renew (database away, process stalled) stops its
//! duties [`MARGIN`] before anyone else may start them.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::store::Store;

/// How often the holder renews (and the others try to take over).
pub const RENEW_EVERY: Duration = Duration::from_secs(3);
/// How long a lease lasts unrenewed: a dead holder is replaced within
/// [`TTL`] + [`RENEW_EVERY`] = 15 s.
pub const TTL: Duration = Duration::from_secs(12);
/// How long before the database's expiry the holder stops: slack for its
/// clock running slow against the database's and for a request that took
/// long to arrive.
pub const MARGIN: Duration = Duration::from_secs(2);

/// This process's view of one lease; cheap to clone.
#[derive(Debug, Clone)]
pub struct Lease {
    name: Arc<str>,
    view: watch::Receiver<View>,
}

/// What the last answers of the database said.
#[derive(Debug, Clone, Copy, Default)]
struct View {
    /// Until when this process surely holds the lease.
    until: Option<Instant>,
    /// Whether the last answer the database gave was "yours" (it may not
    /// have answered since).
    ours: bool,
}

impl Lease {
    /// The lease's name, as stored and shown in `/metrics`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Until when this process may run the lease's duties; `None` when it
    /// does not hold the lease (or its time has run out).
    pub fn deadline(&self) -> Option<Instant> {
        self.view
            .borrow()
            .until
            .filter(|&until| Instant::now() < until)
    }

    /// Whether the database's last answer gave this process the lease,
    /// however long ago: for a duty that may overlap another holder's for
    /// a moment but should not stop while the database is away (probing,
    /// whose results wait in memory for the database to come back).
    pub fn last_said_ours(&self) -> bool {
        self.view.borrow().ours
    }

    /// Whether this process holds the lease now.
    pub fn held(&self) -> bool {
        self.deadline().is_some()
    }

    /// Resolves when the lease is taken, renewed or lost (or its keeper
    /// is gone: then never).
    pub async fn changed(&mut self) {
        if self.view.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Who holds a lease: host name, process id and a random suffix (a
/// restarted process with the same pid is another holder).
pub fn holder_id() -> Arc<str> {
    let host = hostname::get().map_or_else(
        |_| "unknown-host".to_owned(),
        |h| h.to_string_lossy().into_owned(),
    );
    let suffix: u32 = rand::random();
    let id = format!("{host}-{}-{suffix:08x}", std::process::id());
    tracing::info!(holder = id, "this process's lease holder id");
    id.into()
}

/// A lease being kept by its task; [`Kept::release`] ends it.
#[derive(Debug)]
pub struct Kept {
    /// This process's view of the lease, for its duties.
    pub lease: Lease,
    stop: watch::Sender<bool>,
    keeper: JoinHandle<()>,
}

impl Kept {
    /// Stops renewing and gives the lease up (call it once the lease's
    /// duties have stopped, so that the next holder never overlaps them).
    pub async fn release(self) {
        self.stop.send_replace(true);
        if let Err(e) = self.keeper.await {
            tracing::error!(lease = self.lease.name(), error = %e, "the lease keeper failed");
        }
    }
}

/// Tries to take the lease `name` for `holder` at once (so a lone process
/// runs its duties from its first moment), then keeps it in a task until
/// [`Kept::release`].
pub async fn keep(store: Store, name: impl Into<Arc<str>>, holder: Arc<str>) -> Kept {
    let (view, seen) = watch::channel(View::default());
    let lease = Lease {
        name: name.into(),
        view: seen,
    };
    let keeper = Keeper {
        store,
        holder,
        lease: lease.clone(),
        view,
    };
    keeper.try_once().await;
    let (stop, stopped) = watch::channel(false);
    Kept {
        lease,
        stop,
        keeper: tokio::spawn(keeper.run(stopped)),
    }
}

struct Keeper {
    store: Store,
    holder: Arc<str>,
    lease: Lease,
    view: watch::Sender<View>,
}

impl Keeper {
    async fn run(self, mut stop: watch::Receiver<bool>) {
        while !*stop.borrow() {
            tokio::select! {
                () = tokio::time::sleep(RENEW_EVERY) => self.try_once().await,
                changed = stop.changed() => if changed.is_err() { break },
            }
        }
        let name = self.lease.name();
        let held = self.lease.held();
        self.view.send_replace(View::default());
        if held {
            // Another process takes over at its next try, not after the TTL.
            match self.store.release_lease(name, &self.holder).await {
                Ok(()) => tracing::info!(lease = name, "released the lease"),
                Err(e) => tracing::warn!(lease = name, error = %e, "cannot release the lease"),
            }
        }
    }

    /// Takes or renews the lease once.
    async fn try_once(&self) {
        let name = self.lease.name();
        let held = self.lease.held();
        let asked = Instant::now();
        let taken =
            tokio::time::timeout(RENEW_EVERY, self.store.take_lease(name, &self.holder, TTL)).await;
        match taken {
            Ok(Ok(true)) => {
                if !held {
                    tracing::info!(lease = name, holder = %self.holder, "holding the lease: running its duties");
                }
                self.view.send_replace(View {
                    until: Some(asked + TTL - MARGIN),
                    ours: true,
                });
            }
            Ok(Ok(false)) => {
                if self.lease.last_said_ours() {
                    tracing::warn!(lease = name, "another process holds the lease now");
                }
                self.view.send_replace(View::default());
            }
            // The deadline stands: the duties stop by themselves at it.
            Ok(Err(e)) => tracing::warn!(lease = name, error = %e, "cannot renew the lease"),
            Err(_) => tracing::warn!(lease = name, "renewing the lease timed out"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_databases::TestDatabase;

    #[tokio::test]
    async fn a_lone_process_holds_at_once_and_a_graceful_stop_hands_over() {
        let db = TestDatabase::sqlite();
        let store = Store::open(&db.url).await.unwrap();
        let first = keep(store.clone(), "incidents", "first".into()).await;
        assert!(first.lease.held(), "held from the start");
        let second = keep(store.clone(), "incidents", "second".into()).await;
        assert!(!second.lease.held());
        let other = keep(store.clone(), "notifications", "second".into()).await;
        assert!(other.lease.held(), "each lease on its own");

        let gone = first.lease.clone();
        first.release().await;
        assert!(!gone.held(), "released at once");
        let mut lease = second.lease.clone();
        let handed = tokio::time::timeout(RENEW_EVERY * 3, async {
            while !lease.held() {
                lease.changed().await;
            }
        });
        assert!(
            handed.await.is_ok(),
            "the other process takes it at its next try"
        );
        second.release().await;
        other.release().await;
    }
}
