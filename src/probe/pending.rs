//! The writer's memory while the database refuses writes: a bounded queue of
//! results and the backoff between attempts. Pure: the caller passes time.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// Results waiting to be written, oldest first, at most `bound` of them.
#[derive(Debug)]
pub struct Pending<T> {
    queue: VecDeque<T>,
    bound: usize,
}

impl<T> Pending<T> {
    /// An empty queue that keeps at most `bound` items.
    pub fn new(bound: usize) -> Pending<T> {
        Pending {
            queue: VecDeque::new(),
            bound: bound.max(1),
        }
    }

    /// Appends `item`; beyond the bound the oldest item goes. Returns how
    /// many were dropped (0 or 1).
    pub fn push(&mut self, item: T) -> usize {
        self.queue.push_back(item);
        if self.queue.len() > self.bound {
            self.queue.pop_front();
            1
        } else {
            0
        }
    }

    /// Up to `n` of the oldest items, to write as one batch.
    pub fn oldest(&mut self, n: usize) -> &[T] {
        let n = n.min(self.queue.len());
        &self.queue.make_contiguous()[..n]
    }

    /// Forgets the `n` oldest items (they were written).
    pub fn written(&mut self, n: usize) {
        self.queue.drain(..n.min(self.queue.len()));
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}

/// When to try the next write: at once while writes succeed; after a
/// failure `first`, doubling up to `max`, so a database that comes back is
/// written to within `max` of its return.
#[derive(Debug)]
pub struct Backoff {
    first: Duration,
    max: Duration,
    delay: Option<Duration>,
    next: Option<Instant>,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff {
            first,
            max,
            delay: None,
            next: None,
        }
    }

    /// A write failed at `now`: the next attempt waits longer.
    pub fn failed(&mut self, now: Instant) {
        let delay = self
            .delay
            .map_or(self.first, |d| d.saturating_mul(2).min(self.max));
        self.delay = Some(delay);
        self.next = Some(now + delay);
    }

    /// A write succeeded: the next one may go at once.
    pub fn succeeded(&mut self) {
        self.delay = None;
        self.next = None;
    }

    /// Whether the last write failed.
    pub fn failing(&self) -> bool {
        self.delay.is_some()
    }

    /// When the next attempt is due (`None`: now).
    pub fn next_attempt(&self) -> Option<Instant> {
        self.next
    }

    /// Whether an attempt may go at `now`.
    pub fn due(&self, now: Instant) -> bool {
        self.next.is_none_or(|at| now >= at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_go_first_beyond_the_bound() {
        let mut pending = Pending::new(3);
        let dropped: usize = (1..=5).map(|i| pending.push(i)).sum();
        assert_eq!(dropped, 2);
        assert_eq!(pending.oldest(2), [3, 4]);
        pending.written(2);
        assert_eq!(pending.oldest(10), [5]);
        pending.written(10);
        assert!(pending.is_empty());
    }

    #[test]
    fn backoff_doubles_to_its_cap_and_resets_on_success() {
        let ms = Duration::from_millis;
        let mut backoff = Backoff::new(ms(100), ms(350));
        let t0 = Instant::now();
        assert!(backoff.due(t0) && !backoff.failing());
        let delays: Vec<Duration> = (0..4)
            .map(|_| {
                backoff.failed(t0);
                backoff.next_attempt().unwrap() - t0
            })
            .collect();
        assert_eq!(delays, [ms(100), ms(200), ms(350), ms(350)]);
        assert!(!backoff.due(t0 + ms(349)) && backoff.due(t0 + ms(350)));
        backoff.succeeded();
        assert!(backoff.due(t0) && !backoff.failing());
    }
}
