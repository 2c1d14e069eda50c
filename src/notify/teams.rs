//! Microsoft Teams' incoming-webhook payload: a MessageCard with the subject
//! as title, the line as text, and a button opening the page. (Teams
//! workflows built from the "Post to a channel when a webhook request is
//! received" template accept the same card.)

use serde_json::{Value, json};

use super::Message;

/// A MessageCard (`@type`, `@context`, `summary`, `title`, `text`, one `OpenUri` action).
pub(super) fn payload(message: &Message) -> Value {
    json!({
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": message.subject,
        "title": message.subject,
        "text": message.line,
        "potentialAction": [{
            "@type": "OpenUri",
            "name": "Open the status page",
            "targets": [{ "os": "default", "uri": message.link }],
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::chat::tests::message;

    #[test]
    fn a_message_card_with_a_link() {
        let got = payload(&message("API is down", "https://s.example/c/api"));
        assert_eq!(got["@type"], "MessageCard");
        assert_eq!(got["summary"], "subject");
        assert_eq!(got["text"], "API is down");
        assert_eq!(
            got["potentialAction"][0]["targets"][0]["uri"],
            "https://s.example/c/api"
        );
    }
}
