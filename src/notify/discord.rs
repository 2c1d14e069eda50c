//! Discord's webhook payload: `content` (at most 2,000 characters), one line
//! and a link, with mentions switched off so that operator text containing
//! `@everyone` pings nobody.

use serde_json::{Value, json};

use super::Message;
use super::text::shorten;

/// Discord refuses longer `content`.
const MAX_CONTENT_CHARS: usize = 2000;

/// `{"content": "<line>\n<link>", "allowed_mentions": {"parse": []}}`.
pub(super) fn payload(message: &Message) -> Value {
    let room = MAX_CONTENT_CHARS.saturating_sub(message.link.chars().count() + 1);
    let line = shorten(&message.line, room);
    json!({
        "content": format!("{line}\n{}", message.link),
        "allowed_mentions": { "parse": [] },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::chat::tests::message;

    #[test]
    fn one_line_a_link_and_no_mentions() {
        let got = payload(&message("@everyone API is down", "https://s.example/c/api"));
        assert_eq!(
            got,
            json!({
                "content": "@everyone API is down\nhttps://s.example/c/api",
                "allowed_mentions": { "parse": [] },
            })
        );
    }

    #[test]
    fn long_lines_are_cut_to_fit() {
        let got = payload(&message(&"é".repeat(3000), "https://s.example/"));
        let content = got["content"].as_str().unwrap();
        assert_eq!(content.chars().count(), MAX_CONTENT_CHARS);
        assert!(content.ends_with("…\nhttps://s.example/"), "{content}");
    }
}
