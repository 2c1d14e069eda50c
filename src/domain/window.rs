//! A maintenance's time window (SPEC §6 `starts_at`, `ends_at`).

use chrono::{DateTime, Utc};

/// `ends_at` is not after `starts_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the window ends at {ends_at}, not after it starts at {starts_at}")]
pub struct InvalidWindow {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A non-empty span of time: `starts_at < ends_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl TimeWindow {
    /// The window from `starts_at` to `ends_at`, which must come later.
    pub fn new(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Self, InvalidWindow> {
        if ends_at > starts_at {
            Ok(TimeWindow { starts_at, ends_at })
        } else {
            Err(InvalidWindow { starts_at, ends_at })
        }
    }

    /// When it starts.
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.starts_at
    }

    /// When it ends.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.ends_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap()
    }

    #[test]
    fn a_window_ends_after_it_starts() {
        let w = TimeWindow::new(at(22), at(23)).unwrap();
        assert_eq!((w.starts_at(), w.ends_at()), (at(22), at(23)));
    }

    #[test]
    fn an_empty_or_backwards_window_is_refused() {
        for (start, end) in [(at(22), at(22)), (at(23), at(22))] {
            assert_eq!(
                TimeWindow::new(start, end),
                Err(InvalidWindow {
                    starts_at: start,
                    ends_at: end
                })
            );
        }
    }
}
