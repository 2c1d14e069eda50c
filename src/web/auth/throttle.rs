//! Per-client throttling of failed admin authentication (429 + `Retry-After`).
//!
//! Tokens carry 256 random bits, so guessing one is hopeless; what a flood
//! of wrong tokens costs is log noise and work. A client's failures are
//! counted in windows of [`WINDOW`]: the first failure of a window is logged
//! (one line per burst, never one per attempt), the first [`ALLOWED`] are
//! answered 401, later ones 429 until the window ends. A valid token is
//! checked before the throttle and always passes, so an attacker behind the
//! same address (a NAT, a proxy) can never lock an operator out. Pure: the
//! caller passes the time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Length of one counting window (one burst).
pub const WINDOW: Duration = Duration::from_secs(60);
/// Failures per client and window answered 401; later ones get 429.
pub const ALLOWED: u32 = 30;
/// Clients tracked at once; beyond that, new clients are counted but not throttled.
const MAX_CLIENTS: usize = 10_000;

/// What to answer a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// 401; `first_of_burst`: the caller logs this one.
    Unauthorized { first_of_burst: bool },
    /// 429 with `Retry-After` in seconds.
    Throttled { retry_after_secs: u64 },
}

#[derive(Debug, Clone, Copy)]
struct Burst {
    started: Instant,
    failures: u32,
}

/// Failed attempts per client address.
#[derive(Debug, Default)]
pub struct AuthFailures {
    clients: Mutex<HashMap<IpAddr, Burst>>,
    total: AtomicU64,
}

impl AuthFailures {
    /// Counts one failed attempt by `client` at `now` and says how to answer it.
    pub fn fail(&self, client: IpAddr, now: Instant) -> Verdict {
        self.total.fetch_add(1, Ordering::Relaxed);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS && !clients.contains_key(&client) {
            clients.retain(|_, b| now.duration_since(b.started) < WINDOW);
            if clients.len() >= MAX_CLIENTS {
                return Verdict::Unauthorized {
                    first_of_burst: false,
                };
            }
        }
        let burst = clients.entry(client).or_insert(Burst {
            started: now,
            failures: 0,
        });
        if now.duration_since(burst.started) >= WINDOW {
            *burst = Burst {
                started: now,
                failures: 0,
            };
        }
        burst.failures = burst.failures.saturating_add(1);
        if burst.failures <= ALLOWED {
            return Verdict::Unauthorized {
                first_of_burst: burst.failures == 1,
            };
        }
        let left = WINDOW.saturating_sub(now.duration_since(burst.started));
        Verdict::Throttled {
            retry_after_secs: left.as_secs_f64().ceil().max(1.0) as u64,
        }
    }

    /// Failed attempts since start-up, for `/metrics`.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_logged_once_then_throttled_until_its_window_ends() {
        let failures = AuthFailures::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "::1".parse().unwrap());
        let t0 = Instant::now();
        let verdicts: Vec<Verdict> = (0..ALLOWED + 2)
            .map(|i| failures.fail(a, t0 + Duration::from_millis(u64::from(i))))
            .collect();
        assert_eq!(
            verdicts[0],
            Verdict::Unauthorized {
                first_of_burst: true
            }
        );
        assert!(verdicts[1..ALLOWED as usize].iter().all(|v| *v
            == Verdict::Unauthorized {
                first_of_burst: false
            }));
        assert_eq!(
            verdicts[ALLOWED as usize],
            Verdict::Throttled {
                retry_after_secs: 60
            }
        );
        assert_eq!(
            failures.fail(b, t0),
            Verdict::Unauthorized {
                first_of_burst: true
            },
            "another client is not affected"
        );
        assert_eq!(
            failures.fail(a, t0 + Duration::from_secs(50)),
            Verdict::Throttled {
                retry_after_secs: 10
            }
        );
        assert_eq!(
            failures.fail(a, t0 + WINDOW),
            Verdict::Unauthorized {
                first_of_burst: true
            },
            "a new window is a new burst"
        );
        assert_eq!(failures.total(), u64::from(ALLOWED) + 5);
    }
}
