//! Automatic incidents (SPEC §3): what to do about a component's outage,
//! given its check-derived status and the incident Beacon already opened.

use std::time::Duration;

use crate::domain::{ComponentStatus, Impact};

/// The incident Beacon opened for a component and has not resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenAuto {
    pub impact: Impact,
    /// How long the outage has lasted so far.
    pub age: Duration,
}

/// What the worker should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open an incident (status `investigating`) setting the component to `status`.
    Open {
        impact: Impact,
        status: ComponentStatus,
    },
    /// The outage changed size: post an update with the new impact.
    Update {
        impact: Impact,
        status: ComponentStatus,
    },
    /// The component recovered: post `resolved` with the outage duration.
    Resolve { outage: Duration },
}

/// The impact of an outage status: partial → minor, major → major.
pub fn impact_of(status: ComponentStatus) -> Option<Impact> {
    match status {
        ComponentStatus::PartialOutage => Some(Impact::Minor),
        ComponentStatus::MajorOutage => Some(Impact::Major),
        _ => None,
    }
}

/// SPEC §3: open when the component enters a partial or major outage outside
/// maintenance (and `auto_incidents` is on); update when the impact changes;
/// resolve when it is no longer in an outage. An outage during maintenance
/// opens nothing; if it outlasts the window, the first decision after the
/// window opens it like any new outage.
pub fn decide(
    derived: ComponentStatus,
    in_maintenance: bool,
    enabled: bool,
    open: Option<OpenAuto>,
) -> Option<Action> {
    match (impact_of(derived), open) {
        (Some(impact), None) if enabled && !in_maintenance => Some(Action::Open {
            impact,
            status: derived,
        }),
        (Some(impact), Some(current)) if impact != current.impact => Some(Action::Update {
            impact,
            status: derived,
        }),
        (None, Some(current)) => Some(Action::Resolve {
            outage: current.age,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComponentStatus::*;

    #[test]
    fn scenarios() {
        let open_minor = Some(OpenAuto {
            impact: Impact::Minor,
            age: Duration::from_secs(90),
        });
        let cases = [
            ("healthy stays quiet", Operational, false, true, None, None),
            (
                "degraded is no outage",
                DegradedPerformance,
                false,
                true,
                None,
                None,
            ),
            (
                "partial opens minor",
                PartialOutage,
                false,
                true,
                None,
                Some(Action::Open {
                    impact: Impact::Minor,
                    status: PartialOutage,
                }),
            ),
            (
                "major opens major",
                MajorOutage,
                false,
                true,
                None,
                Some(Action::Open {
                    impact: Impact::Major,
                    status: MajorOutage,
                }),
            ),
            (
                "maintenance suppresses",
                MajorOutage,
                true,
                true,
                None,
                None,
            ),
            (
                "auto_incidents = false",
                MajorOutage,
                false,
                false,
                None,
                None,
            ),
            (
                "same impact: nothing new",
                PartialOutage,
                false,
                true,
                open_minor,
                None,
            ),
            (
                "growing outage updates",
                MajorOutage,
                false,
                true,
                open_minor,
                Some(Action::Update {
                    impact: Impact::Major,
                    status: MajorOutage,
                }),
            ),
            (
                "recovery resolves with duration",
                Operational,
                false,
                true,
                open_minor,
                Some(Action::Resolve {
                    outage: Duration::from_secs(90),
                }),
            ),
            (
                "degraded after outage resolves",
                DegradedPerformance,
                false,
                true,
                open_minor,
                Some(Action::Resolve {
                    outage: Duration::from_secs(90),
                }),
            ),
        ];
        for (name, derived, maint, enabled, open, want) in cases {
            assert_eq!(decide(derived, maint, enabled, open), want, "{name}");
        }
    }
}
