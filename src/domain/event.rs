//! The events of SPEC §8: what the outbox records and notifiers filter on.

/// One kind of event (SPEC §8 "Events"), named as in the config file and
/// the webhook body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    CheckDown,
    CheckUp,
    ComponentStatus,
    IncidentOpened,
    IncidentUpdated,
    IncidentResolved,
    MaintenanceScheduled,
    MaintenanceStarted,
    MaintenanceCompleted,
    MaintenanceCancelled,
    ReportsSpike,
    /// `beacon notify test ID`: never recorded, never filtered out.
    Test,
    /// A visitor's double opt-in mail: recorded with its one delivery.
    SubscriptionConfirm,
}

impl EventKind {
    /// Every kind an operator may name in `events = [...]`.
    pub const ALL: [EventKind; 11] = [
        EventKind::CheckDown,
        EventKind::CheckUp,
        EventKind::ComponentStatus,
        EventKind::IncidentOpened,
        EventKind::IncidentUpdated,
        EventKind::IncidentResolved,
        EventKind::MaintenanceScheduled,
        EventKind::MaintenanceStarted,
        EventKind::MaintenanceCompleted,
        EventKind::MaintenanceCancelled,
        EventKind::ReportsSpike,
    ];

    /// The name, e.g. `check.down`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CheckDown => "check.down",
            EventKind::CheckUp => "check.up",
            EventKind::ComponentStatus => "component.status",
            EventKind::IncidentOpened => "incident.opened",
            EventKind::IncidentUpdated => "incident.updated",
            EventKind::IncidentResolved => "incident.resolved",
            EventKind::MaintenanceScheduled => "maintenance.scheduled",
            EventKind::MaintenanceStarted => "maintenance.started",
            EventKind::MaintenanceCompleted => "maintenance.completed",
            EventKind::MaintenanceCancelled => "maintenance.cancelled",
            EventKind::ReportsSpike => "reports.spike",
            EventKind::Test => "test",
            EventKind::SubscriptionConfirm => "subscription.confirm",
        }
    }

    /// Inverse of [`EventKind::as_str`] for the kinds in [`EventKind::ALL`].
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// [`EventKind::parse`], and the kinds Beacon records for itself.
    pub fn parse_recorded(name: &str) -> Option<EventKind> {
        let internal = [EventKind::SubscriptionConfirm];
        EventKind::parse(name).or_else(|| internal.into_iter().find(|k| k.as_str() == name))
    }

    /// What visitor subscribers get (SPEC §8): incidents and maintenances.
    pub fn for_subscribers(self) -> bool {
        matches!(
            self,
            EventKind::IncidentOpened
                | EventKind::IncidentUpdated
                | EventKind::IncidentResolved
                | EventKind::MaintenanceScheduled
                | EventKind::MaintenanceStarted
                | EventKind::MaintenanceCompleted
                | EventKind::MaintenanceCancelled
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_subscribers_get_incidents_and_maintenances() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            let public =
                kind.as_str().starts_with("incident.") || kind.as_str().starts_with("maintenance.");
            assert_eq!(kind.for_subscribers(), public, "{kind:?}");
        }
        assert_eq!(EventKind::parse("test"), None);
        assert_eq!(EventKind::parse("check.sideways"), None);
    }
}
