//! When each check runs next (pure). One scheduler for all checks; first
//! runs are spread across each interval so checks do not fire together.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

/// First-run offset of a check: a stable fraction of its interval derived
/// from its id, so restarts keep the same spread and checks do not herd.
pub fn initial_offset(id: &str, interval: Duration) -> Duration {
    // FNV-1a: stable across runs and platforms (std's hasher is not).
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let fraction = (hash % 10_000) as f64 / 10_000.0;
    interval.mul_f64(fraction)
}

/// Due times of every check, as offsets from the worker's start.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// (due, check index), earliest first.
    queue: BinaryHeap<Reverse<(Duration, usize)>>,
    intervals: Vec<Duration>,
    /// When each check was last due (what [`Schedule::take_due`] popped).
    last_due: Vec<Duration>,
}

impl Schedule {
    /// A schedule for checks given as `(first run, interval)`, in index
    /// order; network checks start at [`initial_offset`].
    pub fn new(checks: impl IntoIterator<Item = (Duration, Duration)>) -> Schedule {
        let mut queue = BinaryHeap::new();
        let mut intervals = Vec::new();
        let mut last_due = Vec::new();
        for (index, (first, interval)) in checks.into_iter().enumerate() {
            queue.push(Reverse((first, index)));
            intervals.push(interval);
            last_due.push(Duration::ZERO);
        }
        Schedule {
            queue,
            intervals,
            last_due,
        }
    }

    /// When the next check is due, if any check exists.
    pub fn next_due(&self) -> Option<Duration> {
        self.queue.peek().map(|Reverse((due, _))| *due)
    }

    /// When check `index` was due the last time [`Schedule::take_due`]
    /// returned it (its lag is how much later it started).
    pub fn last_due(&self, index: usize) -> Duration {
        self.last_due.get(index).copied().unwrap_or_default()
    }

    /// Pops every check due at `elapsed` and re-queues each one interval
    /// later. A check that fell more than an interval behind (a stalled
    /// process) is re-queued from `elapsed` instead of firing a burst.
    pub fn take_due(&mut self, elapsed: Duration) -> Vec<usize> {
        let mut due = Vec::new();
        while let Some(&Reverse((at, index))) = self.queue.peek() {
            if at > elapsed {
                break;
            }
            self.queue.pop();
            let interval = self.intervals[index];
            let mut next = at + interval;
            if next <= elapsed {
                next = elapsed + interval;
            }
            self.queue.push(Reverse((next, index)));
            self.last_due[index] = at;
            due.push(index);
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn offsets_are_stable_and_within_the_interval() {
        let a = initial_offset("api-health", S(30));
        assert_eq!(a, initial_offset("api-health", S(30)));
        assert!(a < S(30));
    }

    #[test]
    fn offsets_spread_many_checks() {
        let offsets: Vec<_> = (0..100)
            .map(|i| initial_offset(&format!("check-{i}"), S(60)))
            .collect();
        let first_half = offsets.iter().filter(|o| **o < S(30)).count();
        assert!(
            (30..=70).contains(&first_half),
            "{first_half} of 100 in the first half"
        );
    }

    #[test]
    fn each_check_runs_once_per_interval() {
        let mut s = Schedule::new([
            (initial_offset("a", S(10)), S(10)),
            (initial_offset("b", S(5)), S(5)),
        ]);
        let mut runs = [0, 0];
        for t in 0..=100 {
            for i in s.take_due(S(t)) {
                runs[i] += 1;
            }
        }
        assert!((10..=11).contains(&runs[0]), "{runs:?}");
        assert!((20..=21).contains(&runs[1]), "{runs:?}");
    }

    #[test]
    fn a_stall_does_not_cause_a_burst() {
        let mut s = Schedule::new([(initial_offset("a", S(1)), S(1))]);
        s.take_due(S(1));
        assert_eq!(s.take_due(S(100)), vec![0]);
        assert_eq!(s.take_due(S(100)), Vec::<usize>::new());
        assert_eq!(s.next_due(), Some(S(101)));
    }

    #[test]
    fn the_due_time_of_each_taken_check_is_kept() {
        let first = initial_offset("a", S(10));
        let mut s = Schedule::new([(first, S(10))]);
        assert_eq!(s.take_due(first + S(3)), vec![0]);
        assert_eq!(s.last_due(0), first);
        assert_eq!(s.take_due(first + S(10)), vec![0]);
        assert_eq!(s.last_due(0), first + S(10));
    }

    #[test]
    fn empty_schedule_has_nothing_due() {
        let mut s = Schedule::new([]);
        assert_eq!(s.next_due(), None);
        assert!(s.take_due(S(5)).is_empty());
    }
}
