//! The page's overall indicator: Statuspage's worst-of roll-up (SPEC §3).

use super::component::ComponentStatus;
use super::freshness::Freshness;
use crate::domain::Impact;

/// Statuspage's `status.indicator` values.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    None,
    Maintenance,
    Minor,
    Major,
    Critical,
}

impl Indicator {
    /// The enum value, e.g. `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::None => "none",
            Indicator::Maintenance => "maintenance",
            Indicator::Minor => "minor",
            Indicator::Major => "major",
            Indicator::Critical => "critical",
        }
    }

    /// SPEC §3's words for the banner and `status.description`.
    pub fn description(self) -> &'static str {
        match self {
            Indicator::None => "All Systems Operational",
            Indicator::Maintenance => "Service Under Maintenance",
            Indicator::Minor => "Partially Degraded Service",
            Indicator::Major => "Partial System Outage",
            Indicator::Critical => "Major System Outage",
        }
    }
}

/// SPEC §3: any major outage → critical; else any partial outage → major;
/// else any degradation → minor; else maintenance in progress →
/// maintenance; else none. `incident_impact` (the worst impact of the
/// unresolved incidents, as an indicator) can raise it, never lower it.
pub fn indicator(
    statuses: &[ComponentStatus],
    maintenance_in_progress: bool,
    incident_impact: Option<Indicator>,
) -> Indicator {
    let has = |s| statuses.contains(&s);
    let from_components = if has(ComponentStatus::MajorOutage) {
        Indicator::Critical
    } else if has(ComponentStatus::PartialOutage) {
        Indicator::Major
    } else if has(ComponentStatus::DegradedPerformance) {
        Indicator::Minor
    } else if maintenance_in_progress || has(ComponentStatus::UnderMaintenance) {
        Indicator::Maintenance
    } else {
        Indicator::None
    };
    from_components.max(incident_impact.unwrap_or(Indicator::None))
}

/// SPEC §3: the indicator an unresolved incident of `impact` raises the
/// page to (Statuspage's impact and indicator share their words).
pub fn of_impact(impact: Impact) -> Indicator {
    match impact {
        Impact::None => Indicator::None,
        Impact::Minor => Indicator::Minor,
        Impact::Major => Indicator::Major,
        Impact::Critical => Indicator::Critical,
    }
}

/// What the page may say overall (SPEC §3, honesty about the monitor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    /// The indicator, vouched for.
    Indicator(Indicator),
    /// "All operational" would rest on stale data.
    Stale,
    /// "All operational" would rest on no data at all yet.
    NoData,
}

/// The indicator, except that a green "All Systems Operational" is only
/// said when every component has fresh data (`components`: their freshness).
pub fn headline(indicator: Indicator, components: &[Freshness]) -> Headline {
    if indicator != Indicator::None {
        Headline::Indicator(indicator)
    } else if components.contains(&Freshness::Stale) {
        Headline::Stale
    } else if components.contains(&Freshness::NoData) {
        Headline::NoData
    } else {
        Headline::Indicator(indicator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComponentStatus::*;

    /// name, component statuses, maintenance in progress, incident impact, expected indicator.
    type Case<'a> = (
        &'a str,
        &'a [ComponentStatus],
        bool,
        Option<Indicator>,
        Indicator,
    );

    #[test]
    fn roll_up_scenarios() {
        let cases: &[Case] = &[
            ("nothing", &[], false, None, Indicator::None),
            (
                "all fine",
                &[Operational, Operational],
                false,
                None,
                Indicator::None,
            ),
            (
                "one degraded",
                &[Operational, DegradedPerformance],
                false,
                None,
                Indicator::Minor,
            ),
            (
                "partial beats degraded",
                &[PartialOutage, DegradedPerformance],
                false,
                None,
                Indicator::Major,
            ),
            (
                "major beats all",
                &[PartialOutage, MajorOutage, UnderMaintenance],
                true,
                None,
                Indicator::Critical,
            ),
            (
                "maintenance flag",
                &[Operational],
                true,
                None,
                Indicator::Maintenance,
            ),
            (
                "component under maintenance",
                &[UnderMaintenance],
                false,
                None,
                Indicator::Maintenance,
            ),
            (
                "degraded beats maintenance",
                &[UnderMaintenance, DegradedPerformance],
                true,
                None,
                Indicator::Minor,
            ),
            (
                "incident raises",
                &[Operational],
                false,
                Some(Indicator::Major),
                Indicator::Major,
            ),
            (
                "incident never lowers",
                &[MajorOutage],
                false,
                Some(Indicator::Minor),
                Indicator::Critical,
            ),
        ];
        for (name, statuses, maint, impact, want) in cases {
            assert_eq!(indicator(statuses, *maint, *impact), *want, "{name}");
        }
    }

    #[test]
    fn impacts_raise_to_the_indicator_of_the_same_name() {
        let cases = [
            (Impact::None, Indicator::None),
            (Impact::Minor, Indicator::Minor),
            (Impact::Major, Indicator::Major),
            (Impact::Critical, Indicator::Critical),
        ];
        for (impact, want) in cases {
            assert_eq!(of_impact(impact), want, "{impact:?}");
        }
    }

    #[test]
    fn a_green_headline_needs_fresh_data() {
        use Freshness::*;
        let cases: &[(Indicator, &[Freshness], Headline)] = &[
            (
                Indicator::None,
                &[Fresh, Fresh],
                Headline::Indicator(Indicator::None),
            ),
            (Indicator::None, &[Fresh, Stale, NoData], Headline::Stale),
            (Indicator::None, &[Fresh, NoData], Headline::NoData),
            (
                Indicator::Major,
                &[Stale],
                Headline::Indicator(Indicator::Major),
            ),
            (Indicator::None, &[], Headline::Indicator(Indicator::None)),
        ];
        for (indicator, components, want) in cases {
            assert_eq!(
                headline(*indicator, components),
                *want,
                "{indicator:?} {components:?}"
            );
        }
    }

    #[test]
    fn words_match_the_spec() {
        assert_eq!(Indicator::Critical.description(), "Major System Outage");
        assert_eq!(Indicator::None.description(), "All Systems Operational");
    }
}
