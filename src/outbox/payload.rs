//! A delivery's stored [`Payload`] (SPEC §8): the webhook body's fields and
//! the readable [`Message`] of chat, e-mail and SMS, built once at fan-out
//! (by [`super::compose`]) and stored with each delivery, so every retry
//! sends the same bytes; plus the subscription-confirmation mail.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::EventKind;
use crate::notify::Message;

/// A delivery's stored payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// The event name (`check.down`).
    pub event: String,
    /// When it happened, RFC 3339.
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// The webhook body besides `id`, `event` and `occurred_at`.
    pub fields: Map<String, Value>,
    /// The same event in words.
    pub message: Message,
    /// Subscribers' mails: the one-click unsubscribe URL (RFC 8058).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe: Option<String>,
}

impl Payload {
    /// This payload for one subscriber: their unsubscribe link at the end
    /// of the text and HTML, and in the mail's headers.
    pub fn for_subscriber(&self, unsubscribe: &str) -> Payload {
        let mut message = self.message.clone();
        message
            .text
            .push_str(&format!("\n--\nUnsubscribe: {unsubscribe}\n"));
        message.html.push_str(&format!(
            "<hr><p><a href=\"{0}\">Unsubscribe</a></p>",
            escape(unsubscribe)
        ));
        Payload {
            message,
            unsubscribe: Some(unsubscribe.to_owned()),
            ..self.clone()
        }
    }
}

/// The double opt-in mail of SPEC §8: one link to `confirm`.
pub fn confirmation(site: &str, confirm: &str, at: chrono::DateTime<chrono::Utc>) -> Payload {
    let line = format!("Confirm your subscription to {site}");
    let text = format!(
        "Someone (hopefully you) asked to be told about incidents and maintenance on {site}.\n\n\
         Confirm within 48 hours: {confirm}\n\nIf it was not you, ignore this mail: nothing will be sent.\n"
    );
    let html = format!(
        "<p>Someone (hopefully you) asked to be told about incidents and maintenance on {}.</p>\
         <p><a href=\"{1}\">Confirm your subscription</a> within 48 hours: {1}</p>\
         <p>If it was not you, ignore this mail: nothing will be sent.</p>",
        escape(site),
        escape(confirm)
    );
    Payload {
        event: EventKind::SubscriptionConfirm.as_str().to_owned(),
        occurred_at: at,
        fields: Map::new(),
        message: Message {
            subject: format!("[{site}] {line}"),
            line,
            text,
            html,
            link: confirm.to_owned(),
        },
        unsubscribe: None,
    }
}

/// HTML-escapes text for the mail's HTML part.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
