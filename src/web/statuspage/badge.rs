//! Shields-style flat badges (SPEC §5 `GET /badge/{component}.svg`): a grey
//! label and a coloured message, sized from the text like shields.io does.

use askama::Template;

use crate::domain::ComponentStatus;
use crate::status::{Freshness, uptime};

/// Advance widths of ASCII 32..=126 in Verdana 11px, in tenths of a pixel
/// (shields.io measures its badges in the same font and size).
const ASCII_WIDTHS: [u16; 95] = [
    39, 43, 51, 90, 70, 118, 80, 30, 50, 50, 70, 90, 40, 50, 40, 50, // ' '..'/'
    70, 70, 70, 70, 70, 70, 70, 70, 70, 70, // '0'..'9'
    50, 50, 90, 90, 90, 60, 110, // ':'..'@'
    75, 75, 77, 85, 70, 63, 85, 83, 46, 50, 76, 61, 93, 82, 87, 66, 87, 76, 75, 68, 80, 75, 109,
    75, 68, 75, // 'A'..'Z'
    50, 50, 50, 90, 70, 70, // '['..'`'
    66, 69, 57, 69, 66, 39, 69, 70, 30, 38, 65, 30, 107, 70, 67, 69, 69, 47, 57, 43, 70, 65, 90,
    65, 65, 58, // 'a'..'z'
    70, 50, 70, 90, // '{'..'~'
];

/// Width of `text` in tenths of a pixel; characters outside ASCII count
/// as a wide letter (CJK and emoji as two).
pub fn text_width(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            ' '..='~' => u32::from(ASCII_WIDTHS[c as usize - 32]),
            c if u32::from(c) >= 0x2E80 => 110,
            _ => 75,
        })
        .sum()
}

/// One rendered badge (`templates/badge.svg`).
#[derive(Debug, Template)]
#[template(path = "badge.svg")]
pub struct Badge {
    pub label: String,
    pub message: String,
    pub color: &'static str,
    /// Whole badge, label part and message part, in pixels.
    pub width: u32,
    pub label_width: u32,
    pub message_width: u32,
    /// Text centres and lengths in tenths of a pixel (the text is scaled by .1).
    pub label_x: u32,
    pub label_text: u32,
    pub message_x: u32,
    pub message_text: u32,
}

impl Badge {
    /// Lays out a badge: each side is its text plus 5 px padding each side.
    pub fn new(label: &str, message: &str, color: &'static str) -> Badge {
        let label_text = text_width(label).div_ceil(10) * 10;
        let message_text = text_width(message).div_ceil(10) * 10;
        let label_width = label_text / 10 + 10;
        let message_width = message_text / 10 + 10;
        Badge {
            label: label.to_owned(),
            message: message.to_owned(),
            color,
            width: label_width + message_width,
            label_width,
            message_width,
            label_x: label_width * 5,
            label_text,
            message_x: label_width * 10 + message_width * 5,
            message_text,
        }
    }
}

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
    fn widths_follow_the_text() {
        assert_eq!(text_width(""), 0);
        assert!(text_width("iiii") < text_width("mmmm"));
        assert!(text_width("Public API") < text_width("Public API gateway"));
        let badge = Badge::new("api", "operational", GREEN);
        assert_eq!(badge.width, badge.label_width + badge.message_width);
        assert!(badge.label_x < badge.message_x);
    }

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
