//! When to try again (SPEC §8: first retry within 10 s, at least 8 attempts
//! over at least 1 hour). Pure: the outbox stores the attempt count and the
//! time of the next attempt, and asks here.
//!
//! The delays triple from 5 s and stop growing at 1 h: 5 s, 15 s, 45 s,
//! 2 m 15 s, 6 m 45 s, 20 m 15 s, 1 h, 1 h, 1 h. Ten attempts over 3 h 30 m
//! ride out a receiver's restart, a deploy or a short provider outage; after
//! that the delivery is failed and shown in `GET /api/admin/deliveries`,
//! since an alert hours late is rarely still worth sending.

use std::time::Duration;

/// Attempts in all, the first one included.
pub const MAX_ATTEMPTS: u32 = 10;
/// The delay before the first retry.
pub const FIRST_DELAY: Duration = Duration::from_secs(5);
/// The longest delay between two attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(3600);

/// The delay before the next attempt after `failed` attempts have failed
/// (1 after the first); `None` once [`MAX_ATTEMPTS`] have been made.
pub fn delay_after(failed: u32) -> Option<Duration> {
    if failed == 0 || failed >= MAX_ATTEMPTS {
        return None;
    }
    let factor = 3u64.saturating_pow(failed - 1);
    let secs = FIRST_DELAY.as_secs().saturating_mul(factor);
    Some(Duration::from_secs(secs).min(MAX_DELAY))
}

/// `delay` spread by ±20 % with `unit` in [0, 1) (a random draw; anything
/// outside is clamped, NaN counts as 0), so that deliveries failed together
/// do not all come back in the same second.
pub fn with_jitter(delay: Duration, unit: f64) -> Duration {
    let unit = if unit.is_nan() {
        0.0
    } else {
        unit.clamp(0.0, 1.0)
    };
    delay.mul_f64(0.8 + 0.4 * unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Option<Duration> {
        Some(Duration::from_secs(s))
    }

    #[test]
    fn schedule_table() {
        let cases = [
            (0, None),
            (1, secs(5)),
            (2, secs(15)),
            (3, secs(45)),
            (4, secs(135)),
            (5, secs(405)),
            (6, secs(1215)),
            (7, secs(3600)),
            (8, secs(3600)),
            (9, secs(3600)),
            (10, None),
            (u32::MAX, None),
        ];
        for (failed, want) in cases {
            assert_eq!(delay_after(failed), want, "after {failed} failed attempts");
        }
    }

    #[test]
    fn meets_the_spec_even_with_jitter() {
        let delays: Vec<Duration> = (1..MAX_ATTEMPTS).map_while(delay_after).collect();
        assert!(delays.len() + 1 >= 8, "at least 8 attempts");
        for unit in [0.0, 0.5, 0.999] {
            let jittered: Vec<Duration> = delays.iter().map(|d| with_jitter(*d, unit)).collect();
            assert!(
                jittered[0] <= Duration::from_secs(10),
                "first retry within 10 s"
            );
            let total: Duration = jittered.iter().sum();
            assert!(
                total >= Duration::from_secs(3600),
                "over at least 1 h: {total:?}"
            );
        }
    }

    #[test]
    fn jitter_stays_within_a_fifth() {
        let d = Duration::from_secs(100);
        assert_eq!(with_jitter(d, 0.0), Duration::from_secs(80));
        assert_eq!(with_jitter(d, 0.5), Duration::from_secs(100));
        assert_eq!(with_jitter(d, 1.0), Duration::from_secs(120));
        assert_eq!(with_jitter(d, f64::NAN), Duration::from_secs(80));
    }
}
