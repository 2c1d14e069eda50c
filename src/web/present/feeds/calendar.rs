//! `/maintenances.ics` (SPEC §5, RFC 5545): maintenances of the last 30
//! days and the future, one `VEVENT` each, for calendar apps to subscribe.
//!
//! - `UID`: `maintenance-{id}@{host of the base URL}`, stable for ever.
//! - `DTSTART`/`DTEND`: UTC (`…Z`); a window completed early ends then.
//! - `DTSTAMP` and `LAST-MODIFIED`: the maintenance's last change, so the
//!   bytes change only when the data does; `SEQUENCE` grows with each
//!   change of status, so clients replace what they hold.
//! - `STATUS:CANCELLED` for cancelled windows (kept, as SPEC §5 asks),
//!   `CONFIRMED` otherwise.
//! - Text is escaped (`\\`, `;`, `,`, newlines) and lines are folded at
//!   75 octets without splitting a character; lines end in CRLF.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{Maintenance, MaintenanceStatus};
use crate::status;

/// How far back completed and cancelled windows are kept.
pub const KEEP_DAYS: i64 = 30;

/// The calendar of `maintenances` (any order) as of `now`.
pub fn calendar(
    config: &Config,
    maintenances: &[Maintenance],
    now: DateTime<Utc>,
    base: &str,
) -> String {
    let host = url::Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "beacon".to_owned());
    let mut out = String::new();
    let mut line = |text: &str| fold(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Beacon//Status page//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!(
        "X-WR-CALNAME:{}",
        escape(&format!("{} maintenance", config.site.title))
    ));
    let since = now - chrono::Duration::days(KEEP_DAYS);
    let mut shown: Vec<&Maintenance> = maintenances
        .iter()
        .filter(|m| status::maintenance::effective_end(m) >= since)
        .collect();
    shown.sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
    for m in shown {
        let state = status::maintenance::status(m, now);
        let names: Vec<&str> = m
            .components
            .iter()
            .map(|id| config.component_name(id.as_str()))
            .collect();
        let mut description = format!("Affected: {}", names.join(", "));
        if !m.body.trim().is_empty() {
            description.push_str("\n\n");
            description.push_str(&m.body);
        }
        let sequence = match state {
            MaintenanceStatus::Scheduled => 0,
            MaintenanceStatus::InProgress => 1,
            MaintenanceStatus::Completed => 2,
            MaintenanceStatus::Cancelled => 3,
        };
        line("BEGIN:VEVENT");
        line(&format!("UID:maintenance-{}@{host}", m.id));
        line(&format!("DTSTAMP:{}", stamp(m.updated_at)));
        line(&format!("LAST-MODIFIED:{}", stamp(m.updated_at)));
        line(&format!("DTSTART:{}", stamp(m.starts_at)));
        line(&format!(
            "DTEND:{}",
            stamp(status::maintenance::effective_end(m).max(m.starts_at))
        ));
        line(&format!("SEQUENCE:{sequence}"));
        line(&format!("SUMMARY:{}", escape(&m.title)));
        line(&format!("DESCRIPTION:{}", escape(&description)));
        line(&format!("URL:{base}/maintenances/{}", m.id));
        let status = match state {
            MaintenanceStatus::Cancelled => "CANCELLED",
            _ => "CONFIRMED",
        };
        line(&format!("STATUS:{status}"));
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// `20260501T100000Z`.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 §3.3.11 TEXT escaping; control characters other than
/// newlines are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `text` as one content line folded at 75 octets (RFC 5545 §3.1).
fn fold(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_folded_on_character_boundaries() {
        assert_eq!(escape("a;b,c\\d\ne\r\u{7}"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        fold(&mut out, &long);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }
}
