//! A component's status from its checks, maintenance, incidents and overrides (SPEC §3).

use super::check_state::CheckState;
pub use crate::domain::ComponentStatus;

/// What decides one component's status right now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComponentInputs {
    /// The state of each of its checks; `None` = no data yet (left out).
    pub checks: Vec<Option<CheckState>>,
    /// A maintenance window covering it is in progress.
    pub in_maintenance: bool,
    /// The worst status set by its unresolved operator incidents.
    pub incident: Option<ComponentStatus>,
    /// An admin override in force.
    pub pinned: Option<ComponentStatus>,
}

/// Status derived from check states alone: all down → major outage, some
/// down → partial outage, any degraded → degraded performance. Checks with no
/// data are left out; a component with no data at all reads operational (the
/// page shows "no data" beside it, see [`super::Freshness`]).
pub fn from_checks(checks: &[Option<CheckState>]) -> ComponentStatus {
    let known: Vec<CheckState> = checks.iter().flatten().copied().collect();
    let down = known.iter().filter(|s| **s == CheckState::Down).count();
    if down > 0 && down == known.len() {
        ComponentStatus::MajorOutage
    } else if down > 0 {
        ComponentStatus::PartialOutage
    } else if known.contains(&CheckState::Degraded) {
        ComponentStatus::DegradedPerformance
    } else {
        ComponentStatus::Operational
    }
}

/// SPEC §3: override beats maintenance beats the worse of checks and incidents.
pub fn evaluate(inputs: &ComponentInputs) -> ComponentStatus {
    if let Some(pinned) = inputs.pinned {
        return pinned;
    }
    if inputs.in_maintenance {
        return ComponentStatus::UnderMaintenance;
    }
    let checks = from_checks(&inputs.checks);
    inputs.incident.map_or(checks, |i| checks.worst(i))
}

/// A group of components (a Statuspage group row) is as bad as its worst
/// member; an empty group is operational.
pub fn of_group(members: impl IntoIterator<Item = ComponentStatus>) -> ComponentStatus {
    members
        .into_iter()
        .fold(ComponentStatus::Operational, ComponentStatus::worst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckState::*;
    use ComponentStatus::*;

    #[test]
    fn a_group_is_its_worst_member() {
        assert_eq!(of_group([]), Operational);
        assert_eq!(of_group([Operational, UnderMaintenance]), UnderMaintenance);
        assert_eq!(
            of_group([PartialOutage, DegradedPerformance]),
            PartialOutage
        );
    }

    #[test]
    fn from_checks_scenarios() {
        let cases: &[(&str, &[Option<CheckState>], ComponentStatus)] = &[
            ("no checks", &[], Operational),
            ("no data", &[None, None], Operational),
            ("all up", &[Some(Up), Some(Up)], Operational),
            (
                "one degraded",
                &[Some(Up), Some(Degraded)],
                DegradedPerformance,
            ),
            ("one of two down", &[Some(Up), Some(Down)], PartialOutage),
            (
                "down beats degraded",
                &[Some(Degraded), Some(Down)],
                PartialOutage,
            ),
            ("all down", &[Some(Down), Some(Down)], MajorOutage),
            ("single down check", &[Some(Down)], MajorOutage),
            (
                "no-data checks are left out",
                &[Some(Down), None],
                MajorOutage,
            ),
        ];
        for (name, checks, want) in cases {
            assert_eq!(from_checks(checks), *want, "{name}");
        }
    }

    #[test]
    fn evaluate_scenarios() {
        let down = vec![Some(Down)];
        let up = vec![Some(Up)];
        let cases = [
            (
                "checks alone",
                ComponentInputs {
                    checks: down.clone(),
                    ..Default::default()
                },
                MajorOutage,
            ),
            (
                "maintenance beats checks",
                ComponentInputs {
                    checks: down.clone(),
                    in_maintenance: true,
                    ..Default::default()
                },
                UnderMaintenance,
            ),
            (
                "incident raises",
                ComponentInputs {
                    checks: up.clone(),
                    incident: Some(PartialOutage),
                    ..Default::default()
                },
                PartialOutage,
            ),
            (
                "incident never lowers",
                ComponentInputs {
                    checks: down.clone(),
                    incident: Some(DegradedPerformance),
                    ..Default::default()
                },
                MajorOutage,
            ),
            (
                "override beats everything",
                ComponentInputs {
                    checks: down,
                    in_maintenance: true,
                    incident: Some(MajorOutage),
                    pinned: Some(Operational),
                },
                Operational,
            ),
        ];
        for (name, inputs, want) in cases {
            assert_eq!(evaluate(&inputs), want, "{name}");
        }
    }

    #[test]
    fn worst_is_symmetric() {
        for a in ComponentStatus::ALL {
            for b in ComponentStatus::ALL {
                assert_eq!(a.worst(b), b.worst(a));
            }
        }
    }
}
