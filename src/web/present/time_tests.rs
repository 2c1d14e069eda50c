//! Durations in words and planned windows, in the site timezone.

use super::*;
use chrono::{Duration, TimeZone};

#[test]
fn durations_read_as_words() {
    let cases = [
        (Duration::seconds(20), "less than a minute"),
        (Duration::seconds(40), "1 minute"),
        (Duration::minutes(45), "45 minutes"),
        (Duration::minutes(60), "1 hour"),
        (Duration::minutes(150), "2 hours 30 minutes"),
        (Duration::days(1) + Duration::minutes(1), "1 day 1 minute"),
        (Duration::days(3), "3 days"),
        (Duration::minutes(-5), "less than a minute"),
    ];
    for (d, want) in cases {
        assert_eq!(duration_words(d), want, "{d:?}");
    }
}

#[test]
fn windows_leave_out_the_end_date_on_the_same_day() {
    let mut config = crate::config::Config::demo("127.0.0.1:0".parse().unwrap());
    config.site.timezone = chrono_tz::Europe::Berlin;
    let start = Utc.with_ymd_and_hms(2026, 11, 24, 13, 0, 0).unwrap();
    let w = window(&config, start, start + Duration::hours(2));
    assert_eq!(
        (w.start.text.as_str(), w.end.text.as_str()),
        ("2026-11-24 14:00", "16:00 CET")
    );
    assert_eq!(w.start.iso, "2026-11-24T13:00:00Z");
    assert_eq!(w.duration, "2 hours");
    let w = window(&config, start, start + Duration::hours(12));
    assert_eq!(w.end.text, "2026-11-25 02:00 CET");
}
