//! What a status badge says and in which colour (SPEC §5 `GET /badge/...`):
//! the component's status words, or its 30-day uptime.

use crate::domain::ComponentStatus;
use crate::status::{Freshness, uptime};

const GREEN: &str = "#4c1";
const YELLOW_GREEN: &str = "#a4a61d";
const YELLOW: &str = "#dfb317";
const ORANGE: &str = "#fe7d37";
const RED: &str = "#e05d44";
const BLUE: &str = "#007ec6";
const GREY: &str = "#9f9f9f";

/// The status badge's words and colour; like `/`, no data and stale data
/// are said as such rather than shown green.
pub fn status_message(status: ComponentStatus, freshness: Freshness) -> (String, &'static str) {
    let color = match freshness {
        Freshness::NoData => return ("no data".to_owned(), GREY),
        Freshness::Stale => return ("stale data".to_owned(), GREY),
        Freshness::Fresh => match status {
            ComponentStatus::Operational => GREEN,
            ComponentStatus::UnderMaintenance => BLUE,
            ComponentStatus::DegradedPerformance => YELLOW,
            ComponentStatus::PartialOutage => ORANGE,
            ComponentStatus::MajorOutage => RED,
        },
    };
    (status.label().to_lowercase(), color)
}

/// The uptime badge's figure and colour.
pub fn uptime_message(percent: Option<f64>) -> (String, &'static str) {
    match percent {
        None => ("no data".to_owned(), GREY),
        Some(p) => {
            let color = if p >= 99.9 {
                GREEN
            } else if p >= 99.0 {
                YELLOW_GREEN
            } else if p >= 95.0 {
                YELLOW
            } else if p >= 90.0 {
                ORANGE
            } else {
                RED
            };
            (uptime::format_percent(p), color)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_scenarios() {
        use ComponentStatus::*;
        let cases = [
            (Operational, Freshness::Fresh, "operational", GREEN),
            (MajorOutage, Freshness::Fresh, "major outage", RED),
            (
                UnderMaintenance,
                Freshness::Fresh,
                "under maintenance",
                BLUE,
            ),
            (Operational, Freshness::NoData, "no data", GREY),
            (MajorOutage, Freshness::Stale, "stale data", GREY),
        ];
        for (status, freshness, words, color) in cases {
            assert_eq!(
                status_message(status, freshness),
                (words.to_owned(), color),
                "{status:?} {freshness:?}"
            );
        }
        assert_eq!(uptime_message(None).0, "no data");
        assert_eq!(uptime_message(Some(99.999)), ("99.99%".to_owned(), GREEN));
        assert_eq!(uptime_message(Some(50.0)).1, RED);
    }
}
