//! In-memory figures of this process that `/metrics` shows: responses by
//! route and status, and the HTTP server's connections.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Requests served by this process, by route pattern and status. Keyed
/// route first, so counting a response of a known route allocates nothing.
#[derive(Debug, Default)]
pub struct HttpCounts(Mutex<BTreeMap<String, BTreeMap<u16, u64>>>);

impl HttpCounts {
    /// Counts one response.
    pub fn add(&self, route: &str, status: u16) {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let by_status = match counts.get_mut(route) {
            Some(by_status) => by_status,
            None => counts.entry(route.to_owned()).or_default(),
        };
        *by_status.entry(status).or_default() += 1;
    }

    /// The counts so far.
    pub fn snapshot(&self) -> BTreeMap<(String, u16), u64> {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .iter()
            .flat_map(|(route, by_status)| {
                by_status
                    .iter()
                    .map(|(status, n)| ((route.clone(), *status), *n))
            })
            .collect()
    }
}

/// Connections of this process's HTTP server (see `app::server`).
#[derive(Debug, Default)]
pub struct ConnectionStats {
    open: AtomicU64,
    closed_since_take: AtomicU64,
    refused: AtomicU64,
    last_refusal_logged: Mutex<Option<Instant>>,
}

/// A refused connection is logged at most this often.
const REFUSAL_LOG_EVERY: Duration = Duration::from_secs(10);

impl ConnectionStats {
    /// A connection was accepted.
    pub fn opened(&self) {
        self.open.fetch_add(1, Ordering::Relaxed);
    }

    /// An accepted connection ended.
    pub fn closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
        self.closed_since_take.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections closed since the last call.
    pub fn take_closed(&self) -> u64 {
        self.closed_since_take.swap(0, Ordering::Relaxed)
    }

    /// Counts a connection refused over the limit; true when it is time to
    /// log (once per [`REFUSAL_LOG_EVERY`], not once per connection).
    pub fn refused(&self) -> bool {
        self.refused.fetch_add(1, Ordering::Relaxed);
        let mut last = self
            .last_refusal_logged
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|at| at.elapsed() >= REFUSAL_LOG_EVERY);
        if due {
            *last = Some(Instant::now());
        }
        due
    }

    /// Connections open now.
    pub fn open(&self) -> u64 {
        self.open.load(Ordering::Relaxed)
    }

    /// Connections refused since start-up.
    pub fn refused_total(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}
