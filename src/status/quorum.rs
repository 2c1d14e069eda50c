//! A check's state across probe regions (SPEC §9).
//!
//! Every region keeps its own [`Tracker`](super::Tracker) (thresholds apply
//! per region); this rule folds the regions' states into the one state the
//! page shows. Decisions the SPEC leaves open, taken here:
//!
//! - A region that saw the check `down` also counts toward `degraded`: two
//!   regions seeing "down" and "degraded" agree that the check is at least
//!   degraded.
//! - Only regions with a state that reported within 3 intervals vote; with no
//!   such region the check has no data (the page shows it stale, never green).
//! - A configured quorum larger than the live regions cannot be met: the
//!   check is `up` (one region alone never makes it look down), and the stale
//!   regions are reported on `/readyz` and `/metrics`.

use super::CheckState;

/// How many intervals without a result make a region stale (SPEC §9).
pub const STALE_AFTER_INTERVALS: i64 = 3;

/// One region's view of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionView {
    /// The region's own threshold state; `None` before its first result.
    pub state: Option<CheckState>,
    /// When the region last wrote a result for the check (unix ms).
    pub last_result_ms: i64,
}

impl RegionView {
    /// Whether the region reported within [`STALE_AFTER_INTERVALS`] intervals.
    pub fn is_live(&self, now_ms: i64, interval_ms: i64) -> bool {
        now_ms - self.last_result_ms <= STALE_AFTER_INTERVALS * interval_ms
    }
}

/// The default quorum: more than half of the live regions.
pub fn default_quorum(live: usize) -> usize {
    live / 2 + 1
}

/// The check's state: `down` when at least `quorum` live regions see it
/// down, `degraded` when at least `quorum` see it degraded or down, `up`
/// otherwise; `None` when no live region has a state.
///
/// `quorum` is `[probes] quorum` (`None`: [`default_quorum`] of the live
/// regions). Without a configured quorum, a check only one region reports
/// (every install without `--region`) has that region's state, stale or
/// not, exactly as before regions existed: its freshness says when it is
/// stale. With a quorum the rule applies from the first region on, so the
/// first probe to report cannot take a check down alone.
pub fn combine(
    views: &[RegionView],
    now_ms: i64,
    interval_ms: i64,
    quorum: Option<usize>,
) -> Option<CheckState> {
    if let ([only], None) = (views, quorum) {
        return only.state;
    }
    let live: Vec<CheckState> = views
        .iter()
        .filter(|v| v.is_live(now_ms, interval_ms))
        .filter_map(|v| v.state)
        .collect();
    if live.is_empty() {
        return None;
    }
    let needed = quorum.unwrap_or_else(|| default_quorum(live.len())).max(1);
    let at_least = |worst: CheckState| live.iter().filter(|s| **s >= worst).count();
    Some(if at_least(CheckState::Down) >= needed {
        CheckState::Down
    } else if at_least(CheckState::Degraded) >= needed {
        CheckState::Degraded
    } else {
        CheckState::Up
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckState::{Degraded as G, Down as D, Up as U};

    const NOW: i64 = 1_000_000;
    const INTERVAL: i64 = 10_000;

    fn fresh(state: CheckState) -> RegionView {
        RegionView {
            state: Some(state),
            last_result_ms: NOW - 1_000,
        }
    }

    fn stale(state: CheckState) -> RegionView {
        RegionView {
            state: Some(state),
            last_result_ms: NOW - 3 * INTERVAL - 1,
        }
    }

    #[test]
    fn default_quorum_is_more_than_half_of_the_live_regions() {
        let table = [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3)];
        for (live, quorum) in table {
            assert_eq!(default_quorum(live), quorum, "{live} live regions");
        }
    }

    #[test]
    fn regions_vote_with_the_default_quorum() {
        let table: &[(&[CheckState], Option<CheckState>)] = &[
            (&[U], Some(U)),
            (&[D], Some(D)),
            (&[G], Some(G)),
            (&[U, D], Some(U)),
            (&[D, D], Some(D)),
            (&[U, U, D], Some(U)),
            (&[U, D, D], Some(D)),
            (&[U, G, D], Some(G)),
            (&[G, G, U], Some(G)),
            (&[D, D, G, U], Some(G)),
            (&[D, D, D, U], Some(D)),
            (&[], None),
        ];
        for (states, want) in table {
            let views: Vec<_> = states.iter().copied().map(fresh).collect();
            assert_eq!(combine(&views, NOW, INTERVAL, None), *want, "{states:?}");
        }
    }

    #[test]
    fn a_configured_quorum_overrides_the_majority() {
        let views = [fresh(U), fresh(U), fresh(D)];
        assert_eq!(combine(&views, NOW, INTERVAL, Some(1)), Some(D));
        let views = [fresh(D), fresh(D), fresh(D)];
        assert_eq!(combine(&views, NOW, INTERVAL, Some(4)), Some(U));
        // Zero would make every check down; it counts as one.
        assert_eq!(combine(&[fresh(U)], NOW, INTERVAL, Some(0)), Some(U));
    }

    #[test]
    fn a_stale_region_drops_out_and_never_decides_alone() {
        // Two live regions see it up; the stale one that saw it down is out.
        let views = [fresh(U), fresh(U), stale(D)];
        assert_eq!(combine(&views, NOW, INTERVAL, None), Some(U));
        // Quorum 2 of 3 with one region stale: the two live ones must agree.
        let views = [fresh(D), stale(D), fresh(U)];
        assert_eq!(combine(&views, NOW, INTERVAL, Some(2)), Some(U));
        // Only stale regions: no data, not green.
        assert_eq!(combine(&[stale(U), stale(U)], NOW, INTERVAL, None), None);
    }

    #[test]
    fn a_region_is_live_up_to_exactly_three_intervals() {
        let edge = RegionView {
            state: Some(U),
            last_result_ms: NOW - 3 * INTERVAL,
        };
        assert!(edge.is_live(NOW, INTERVAL));
        assert!(!stale(U).is_live(NOW, INTERVAL));
    }

    #[test]
    fn a_lone_region_keeps_its_state_unless_a_quorum_is_configured() {
        assert_eq!(combine(&[stale(D)], NOW, INTERVAL, None), Some(D));
        assert_eq!(combine(&[stale(D)], NOW, INTERVAL, Some(1)), None);
        assert_eq!(combine(&[fresh(D)], NOW, INTERVAL, Some(2)), Some(U));
    }

    #[test]
    fn a_region_without_a_state_does_not_vote() {
        let none = RegionView {
            state: None,
            last_result_ms: NOW,
        };
        assert_eq!(combine(&[none, fresh(D)], NOW, INTERVAL, None), Some(D));
    }
}
