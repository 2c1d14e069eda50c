//! Single values as the history pages show them: impacts and statuses as
//! class, label and icon (never colour alone), times to the minute in the
//! site timezone, planned windows, and durations in words.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{Impact, IncidentStatus, MaintenanceStatus};
use crate::web::incident_views::{ImpactView, WindowView};
use crate::web::views::{StatusView, TimeView};

/// The impact stripe of a maintenance in the history list.
pub(super) const MAINTENANCE: ImpactView = ImpactView {
    class: "maintenance",
    label: "Maintenance",
};

pub(super) fn impact_view(impact: Impact) -> ImpactView {
    match impact {
        Impact::None => ImpactView {
            class: "none",
            label: "No impact",
        },
        Impact::Minor => ImpactView {
            class: "minor",
            label: "Minor impact",
        },
        Impact::Major => ImpactView {
            class: "major",
            label: "Major impact",
        },
        Impact::Critical => ImpactView {
            class: "critical",
            label: "Critical impact",
        },
    }
}

pub(super) fn incident_status_view(s: IncidentStatus) -> StatusView {
    let (class, icon) = match s {
        IncidentStatus::Investigating => ("investigating", "?"),
        IncidentStatus::Identified => ("identified", "!"),
        IncidentStatus::Monitoring => ("monitoring", "…"),
        IncidentStatus::Resolved => ("resolved", "✓"),
    };
    StatusView {
        class,
        label: s.label(),
        icon,
    }
}

pub(super) fn maintenance_status_view(s: MaintenanceStatus) -> StatusView {
    let (class, icon) = match s {
        MaintenanceStatus::Scheduled => ("scheduled", "→"),
        MaintenanceStatus::InProgress => ("maintenance", "⚒"),
        MaintenanceStatus::Completed => ("resolved", "✓"),
        MaintenanceStatus::Cancelled => ("cancelled", "✕"),
    };
    StatusView {
        class,
        label: s.label(),
        icon,
    }
}

/// A time to the minute in the site timezone, e.g. "2026-11-24 14:05 CET".
pub(super) fn minute_view(config: &Config, at: DateTime<Utc>) -> TimeView {
    TimeView {
        iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        text: at
            .with_timezone(&config.site.timezone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
    }
}

/// "2026-11-24 14:00 – 16:00 CET", or both dates when it spans days.
pub(super) fn window_view(config: &Config, start: DateTime<Utc>, end: DateTime<Utc>) -> WindowView {
    let tz = &config.site.timezone;
    let (s, e) = (start.with_timezone(tz), end.with_timezone(tz));
    let end_format = if s.date_naive() == e.date_naive() {
        "%H:%M %Z"
    } else {
        "%Y-%m-%d %H:%M %Z"
    };
    WindowView {
        start: TimeView {
            iso: start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: s.format("%Y-%m-%d %H:%M").to_string(),
        },
        end: TimeView {
            iso: end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: e.format(end_format).to_string(),
        },
        duration: duration_words(end - start),
    }
}

/// "1 day 2 hours", "45 minutes", "less than a minute" (to the nearest minute).
pub(super) fn duration_words(d: chrono::Duration) -> String {
    let minutes = (d.num_seconds().max(0) + 30) / 60;
    let parts = [
        (minutes / 1440, "day"),
        (minutes / 60 % 24, "hour"),
        (minutes % 60, "minute"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        "less than a minute".to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod tests;
