//! Shields-style flat badges (SPEC §5 `GET /badge/{component}.svg`): a grey
//! label and a coloured message, sized from the text like shields.io does.
//! What a badge says, and in which colour, is [`crate::web::present::badge`].

use askama::Template;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_text() {
        assert_eq!(text_width(""), 0);
        assert!(text_width("iiii") < text_width("mmmm"));
        assert!(text_width("Public API") < text_width("Public API gateway"));
        let badge = Badge::new("api", "operational", "#4c1");
        assert_eq!(badge.width, badge.label_width + badge.message_width);
        assert!(badge.label_x < badge.message_x);
    }
}
