//! Write health: whether the database is taking writes, and why not (SPEC §7
//! `/readyz`, `/metrics`).
//!
//! Every write of this process reports its outcome here, so readiness can
//! name the real cause ("write failing: disk full") instead of a ping that
//! only proves reads work. The probe writer adds the results it holds back
//! or had to drop. Times are monotonic (`Instant`): nothing here reads the
//! wall clock.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::StoreError;

/// Why the database cannot take a write right now; retrying later can succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Another connection (usually another process) holds the write lock.
    Locked,
    /// The disk (or the file system's quota) is full.
    DiskFull,
    /// The file system failed a read or a write.
    Io,
    /// The file or its directory is read-only.
    ReadOnly,
    /// Every connection of the pool is busy.
    PoolBusy,
    /// Any other database error (a write that failed for a reason a retry
    /// may not cure; only ever recorded, never a [`StoreError::Unavailable`]).
    Other,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Fault::Locked => "database locked by another writer",
            Fault::DiskFull => "disk full",
            Fault::Io => "I/O error",
            Fault::ReadOnly => "database is read-only",
            Fault::PoolBusy => "all database connections busy",
            Fault::Other => "database error",
        })
    }
}

/// A write failure older than this without a later attempt no longer
/// counts against readiness: nothing has tried since, so nothing is known.
pub const FAILURE_MEMORY: Duration = Duration::from_secs(60);

/// The last write outcome and the counters `/metrics` shows.
#[derive(Debug, Default)]
pub struct WriteHealth {
    last: Mutex<Option<Outcome>>,
    failures: AtomicU64,
    pending_results: AtomicU64,
    dropped_results: AtomicU64,
}

#[derive(Debug, Clone, Copy)]
struct Outcome {
    at: Instant,
    /// `None`: the write succeeded.
    failure: Option<Fault>,
}

/// The cause of a failing write, as `/readyz` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failing {
    pub fault: Fault,
}

impl std::fmt::Display for Failing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "write failing: {}", self.fault)
    }
}

impl WriteHealth {
    /// Records the outcome of one write. Errors that say nothing about the
    /// database's health (not found, conflict) leave it as it was.
    pub(super) fn observe<T>(&self, result: &Result<T, StoreError>) {
        let failure = match result {
            Ok(_) => None,
            Err(StoreError::Unavailable { fault, .. }) => Some(*fault),
            // Any other database error also means the write did not land.
            Err(StoreError::Sqlx(_)) => Some(Fault::Other),
            Err(_) => return,
        };
        if failure.is_some() {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(Outcome {
            at: Instant::now(),
            failure,
        });
    }

    /// The fault of the latest write, if it failed within [`FAILURE_MEMORY`].
    pub fn failing(&self) -> Option<Failing> {
        let last = (*self.last.lock().unwrap_or_else(|e| e.into_inner()))?;
        let fault = last.failure?;
        (last.at.elapsed() < FAILURE_MEMORY).then_some(Failing { fault })
    }

    /// Writes that failed since start-up.
    pub fn failures_total(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// The probe writer's queue length: results taken but not yet written.
    pub fn set_pending_results(&self, n: usize) {
        self.pending_results
            .store(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Results taken but not yet written.
    pub fn pending_results(&self) -> u64 {
        self.pending_results.load(Ordering::Relaxed)
    }

    /// Counts results the writer gave up on (queue overflow, or shutdown
    /// while the database refused writes).
    pub fn add_dropped_results(&self, n: usize) {
        self.dropped_results
            .fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Results dropped since start-up.
    pub fn dropped_results_total(&self) -> u64 {
        self.dropped_results.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unavailable(fault: Fault) -> Result<(), StoreError> {
        Err(StoreError::Unavailable {
            fault,
            detail: "test".into(),
        })
    }

    #[test]
    fn the_latest_outcome_decides_and_harmless_errors_change_nothing() {
        let health = WriteHealth::default();
        assert_eq!(health.failing(), None, "nothing written yet");
        health.observe(&unavailable(Fault::DiskFull));
        assert_eq!(
            health.failing().map(|f| f.to_string()).as_deref(),
            Some("write failing: disk full")
        );
        health.observe::<()>(&Err(StoreError::NotFound));
        assert_eq!(health.failing().map(|f| f.fault), Some(Fault::DiskFull));
        health.observe(&Ok(()));
        assert_eq!(health.failing(), None);
        assert_eq!(health.failures_total(), 1);
    }
}
