//! Maintenance lifecycle (SPEC §3): `scheduled → in_progress → completed`
//! at the window edges, derived from `now` so no request is needed.

use chrono::{DateTime, Utc};

use crate::domain::{Maintenance, MaintenanceStatus};

/// The status of `m` at `now`.
pub fn status(m: &Maintenance, now: DateTime<Utc>) -> MaintenanceStatus {
    if m.cancelled_at.is_some() {
        MaintenanceStatus::Cancelled
    } else if now >= effective_end(m) {
        MaintenanceStatus::Completed
    } else if now >= m.starts_at {
        MaintenanceStatus::InProgress
    } else {
        MaintenanceStatus::Scheduled
    }
}

/// When it ends (or ended): early completion wins over the planned end.
pub fn effective_end(m: &Maintenance) -> DateTime<Utc> {
    m.completed_early_at
        .map_or(m.ends_at, |early| early.min(m.ends_at))
}

/// When `m` went in progress, if it has by `now`: at its start, unless it
/// was cancelled, or completed early, before then.
pub fn started_at(m: &Maintenance, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let cut = m.cancelled_at.is_some_and(|c| c <= m.starts_at);
    (now >= m.starts_at && effective_end(m) > m.starts_at && !cut).then_some(m.starts_at)
}

/// When `m` completed, if it has by `now`; a maintenance cancelled before
/// its end never completes.
pub fn completed_at(m: &Maintenance, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let end = effective_end(m);
    let cut = m.cancelled_at.is_some_and(|c| c <= end);
    (now >= end && !cut).then_some(end)
}

/// Whether `m` covers `component` and is in progress at `at`.
pub fn covers(m: &Maintenance, component: &str, at: DateTime<Utc>) -> bool {
    status(m, at) == MaintenanceStatus::InProgress
        && m.components.iter().any(|c| c.as_str() == component)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ComponentId;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap()
    }

    fn window() -> Maintenance {
        Maintenance {
            id: crate::domain::MaintenanceId::parse("m00000000001").unwrap(),
            title: "t".into(),
            body: String::new(),
            starts_at: t(10),
            ends_at: t(12),
            components: vec![ComponentId::parse("api").unwrap()],
            completed_early_at: None,
            cancelled_at: None,
            created_at: t(1),
            updated_at: t(1),
        }
    }

    #[test]
    fn lifecycle_scenarios() {
        use MaintenanceStatus::*;
        let early = Maintenance {
            completed_early_at: Some(t(11)),
            ..window()
        };
        let cancelled = Maintenance {
            cancelled_at: Some(t(9)),
            ..window()
        };
        let cases = [
            ("before", window(), t(9), Scheduled),
            ("at start", window(), t(10), InProgress),
            ("inside", window(), t(11), InProgress),
            ("at end", window(), t(12), Completed),
            ("after", window(), t(13), Completed),
            ("completed early", early.clone(), t(11), Completed),
            ("before early completion", early, t(10), InProgress),
            ("cancelled beats all", cancelled, t(11), Cancelled),
        ];
        for (name, m, now, want) in cases {
            assert_eq!(status(&m, now), want, "{name}");
        }
    }

    #[test]
    fn edges_are_reached_in_order_and_cut_by_a_cancellation() {
        let m = window();
        assert_eq!((started_at(&m, t(9)), completed_at(&m, t(9))), (None, None));
        assert_eq!(
            (started_at(&m, t(11)), completed_at(&m, t(11))),
            (Some(t(10)), None)
        );
        assert_eq!(completed_at(&m, t(13)), Some(t(12)));
        let cancelled_inside = Maintenance {
            cancelled_at: Some(t(11)),
            ..window()
        };
        assert_eq!(started_at(&cancelled_inside, t(13)), Some(t(10)));
        assert_eq!(completed_at(&cancelled_inside, t(13)), None);
        let cancelled_before = Maintenance {
            cancelled_at: Some(t(9)),
            ..window()
        };
        assert_eq!(started_at(&cancelled_before, t(13)), None);
        let ended_before_start = Maintenance {
            completed_early_at: Some(t(9)),
            ..window()
        };
        assert_eq!(started_at(&ended_before_start, t(13)), None);
        assert_eq!(completed_at(&ended_before_start, t(13)), Some(t(9)));
    }

    #[test]
    fn covers_only_its_components_while_in_progress() {
        let m = window();
        assert!(covers(&m, "api", t(11)));
        assert!(!covers(&m, "web", t(11)));
        assert!(!covers(&m, "api", t(9)));
        assert!(!covers(&m, "api", t(12)));
    }
}
