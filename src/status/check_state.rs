//! The threshold state machine of one check (SPEC §3, "no flapping").

use crate::domain::Outcome;

/// Current state of a check; "no data" is `Option::<CheckState>::None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckState {
    Up,
    Degraded,
    Down,
}

impl CheckState {
    /// Stable storage and display name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckState::Up => "up",
            CheckState::Degraded => "degraded",
            CheckState::Down => "down",
        }
    }

    /// Inverse of [`CheckState::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "up" => Some(CheckState::Up),
            "degraded" => Some(CheckState::Degraded),
            "down" => Some(CheckState::Down),
            _ => None,
        }
    }
}

/// A check's state plus the streak of identical outcomes that may move it.
///
/// The first result of a check that has no data sets its state directly:
/// there is no earlier state to protect from flapping, and an optimistic
/// "up" would show green for a target that has never answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracker {
    pub state: Option<CheckState>,
    /// Outcome of the current streak (the last result).
    pub streak_of: Option<Outcome>,
    /// Length of the current streak of `streak_of` results.
    pub streak: u32,
}

impl Tracker {
    /// A check with no results yet.
    pub const NEW: Tracker = Tracker {
        state: None,
        streak_of: None,
        streak: 0,
    };

    /// SPEC §3: the state after one more result, given the thresholds.
    ///
    /// From `down`, `recovery` consecutive non-failed results bring the check
    /// back (to `degraded` if the last was slow); outside `down`, `failure`
    /// consecutive failed results make it `down`, `failure` consecutive slow
    /// ones make it `degraded`, and `recovery` consecutive ok ones make it `up`.
    pub fn next(self, outcome: Outcome, failure: u32, recovery: u32) -> Tracker {
        // Streaks count "non-failed" together when recovering from down, so a
        // mix of ok and slow results still counts toward recovery.
        let same = match (self.state, self.streak_of) {
            (Some(CheckState::Down), Some(prev)) => {
                (prev == Outcome::Failed) == (outcome == Outcome::Failed)
            }
            (_, Some(prev)) => prev == outcome,
            (_, None) => false,
        };
        let streak = if same {
            self.streak.saturating_add(1)
        } else {
            1
        };
        let state = match self.state {
            None => Some(match outcome {
                Outcome::Ok => CheckState::Up,
                Outcome::Slow => CheckState::Degraded,
                Outcome::Failed => CheckState::Down,
            }),
            Some(CheckState::Down) => match outcome {
                Outcome::Failed => Some(CheckState::Down),
                _ if streak >= recovery => Some(if outcome == Outcome::Slow {
                    CheckState::Degraded
                } else {
                    CheckState::Up
                }),
                _ => Some(CheckState::Down),
            },
            Some(current) => Some(match outcome {
                Outcome::Failed if streak >= failure => CheckState::Down,
                Outcome::Slow if streak >= failure => CheckState::Degraded,
                Outcome::Ok if streak >= recovery => CheckState::Up,
                _ => current,
            }),
        };
        Tracker {
            state,
            streak_of: Some(outcome),
            streak,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckState::*;
    use Outcome::{Failed as F, Ok as O, Slow as S};

    fn run(
        start: Option<CheckState>,
        results: &[Outcome],
        failure: u32,
        recovery: u32,
    ) -> Vec<Option<CheckState>> {
        let mut t = Tracker {
            state: start,
            ..Tracker::NEW
        };
        results
            .iter()
            .map(|&r| {
                t = t.next(r, failure, recovery);
                t.state
            })
            .collect()
    }

    /// name, starting state, results, failure threshold, recovery threshold, states after each result.
    type Case<'a> = (
        &'a str,
        Option<CheckState>,
        &'a [Outcome],
        u32,
        u32,
        &'a [CheckState],
    );

    #[test]
    fn scenarios() {
        let cases: &[Case] = &[
            ("first result decides", None, &[F], 3, 2, &[Down]),
            ("first ok is up", None, &[O], 3, 2, &[Up]),
            ("first slow is degraded", None, &[S], 3, 2, &[Degraded]),
            (
                "down only at the threshold",
                Some(Up),
                &[F, F, F],
                3,
                2,
                &[Up, Up, Down],
            ),
            (
                "threshold one goes down at once",
                Some(Up),
                &[F],
                1,
                1,
                &[Down],
            ),
            (
                "flapping never goes down",
                Some(Up),
                &[F, F, O, F, F, O, F, F],
                3,
                2,
                &[Up; 8],
            ),
            (
                "recovery needs its streak",
                Some(Down),
                &[O, F, O, O],
                3,
                2,
                &[Down, Down, Down, Up],
            ),
            (
                "recovery to degraded if last was slow",
                Some(Down),
                &[O, S],
                3,
                2,
                &[Down, Degraded],
            ),
            (
                "mixed ok and slow count toward recovery",
                Some(Down),
                &[S, O],
                3,
                2,
                &[Down, Up],
            ),
            (
                "slow streak degrades",
                Some(Up),
                &[S, S, S],
                3,
                2,
                &[Up, Up, Degraded],
            ),
            (
                "ok streak clears degraded",
                Some(Degraded),
                &[O, O],
                3,
                2,
                &[Degraded, Up],
            ),
            (
                "slow then fail does not go down early",
                Some(Up),
                &[S, S, F, F],
                3,
                2,
                &[Up, Up, Up, Up],
            ),
            (
                "degraded goes down after fails",
                Some(Degraded),
                &[F, F, F],
                3,
                2,
                &[Degraded, Degraded, Down],
            ),
            (
                "one success resets the failure streak",
                Some(Up),
                &[F, F, O, F, F, F],
                3,
                2,
                &[Up, Up, Up, Up, Up, Down],
            ),
        ];
        for (name, start, results, failure, recovery, want) in cases {
            let got = run(*start, results, *failure, *recovery);
            let want: Vec<_> = want.iter().copied().map(Some).collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn streak_saturates() {
        let t = Tracker {
            state: Some(Down),
            streak_of: Some(F),
            streak: u32::MAX,
        };
        assert_eq!(t.next(F, 3, 2).streak, u32::MAX);
    }

    #[test]
    fn state_names_round_trip() {
        for s in [Up, Degraded, Down] {
            assert_eq!(CheckState::parse(s.as_str()), Some(s));
        }
        assert_eq!(CheckState::parse("sideways"), None);
    }
}
