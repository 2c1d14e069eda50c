//! One mail as lettre builds it: plain text and HTML alternatives, a
//! Message-ID stable across retries, and any extra headers (the
//! subscription mails' RFC 8058 one-click unsubscribe).

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use crate::notify::Message;

/// `List-Unsubscribe-Post`'s one value (RFC 8058 §3.1).
pub const ONE_CLICK: &str = "List-Unsubscribe=One-Click";

/// One mail to send: who gets it, what it says, and its extra headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    id: String,
    to: Vec<String>,
    message: Message,
    headers: Vec<(String, String)>,
}

impl Mail {
    /// `message` to each address of `to` (all in one `To:`). `id` is the
    /// delivery id, the same on every retry: it becomes the Message-ID's
    /// left part, so a mail client shows an at-least-once repeat once. It
    /// must be made of letters, digits, `.`, `-` and `_`.
    pub fn new(id: &str, to: Vec<String>, message: Message) -> Mail {
        Mail {
            id: id.to_owned(),
            to,
            message,
            headers: Vec::new(),
        }
    }

    /// Adds a header; names and values with line breaks are refused at send.
    pub fn header(mut self, name: &str, value: &str) -> Mail {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds RFC 8058's `List-Unsubscribe: <url>` and
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: mail clients
    /// show an "Unsubscribe" button that POSTs to `url`.
    pub fn one_click_unsubscribe(self, url: &str) -> Mail {
        self.header("List-Unsubscribe", &format!("<{url}>"))
            .header("List-Unsubscribe-Post", ONE_CLICK)
    }

    /// The lettre message from `from`, or why it cannot be built (an
    /// address that is no address, a header with a line break): the same
    /// mail would fail the same way again.
    pub(super) fn build(&self, from: &Mailbox) -> Result<lettre::Message, String> {
        let mut builder = lettre::Message::builder()
            .from(from.clone())
            .subject(self.message.subject.clone())
            .message_id(Some(self.message_id(from)?));
        if self.to.is_empty() {
            return Err("no recipient".to_owned());
        }
        for to in &self.to {
            let mailbox: Mailbox = to
                .parse()
                .map_err(|e| format!("invalid recipient {to:?}: {e}"))?;
            builder = builder.to(mailbox);
        }
        for (name, value) in &self.headers {
            builder = builder.raw_header(header(name, value)?);
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                self.message.text.clone(),
                self.message.html.clone(),
            ))
            .map_err(|e| format!("the mail cannot be built: {e}"))
    }

    fn message_id(&self, from: &Mailbox) -> Result<String, String> {
        let clean = !self.id.is_empty()
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !clean {
            return Err(format!("delivery id {:?} cannot be a Message-ID", self.id));
        }
        Ok(format!("<{}@{}>", self.id, from.email.domain()))
    }
}

fn header(name: &str, value: &str) -> Result<HeaderValue, String> {
    if value.chars().any(char::is_control) {
        return Err(format!(
            "header {name:?} holds a line break or control character"
        ));
    }
    let name = HeaderName::new_from_ascii(name.to_owned())
        .map_err(|_| format!("{name:?} is not a header name"))?;
    Ok(HeaderValue::new(name, value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::chat::tests::message;

    fn from() -> Mailbox {
        "Acme Status <status@acme.example>".parse().unwrap()
    }

    fn mail(id: &str, to: &[&str]) -> Mail {
        let to = to.iter().map(|s| (*s).to_owned()).collect();
        Mail::new(id, to, message("API is down", "https://s.example/"))
    }

    #[test]
    fn builds_alternatives_with_a_stable_message_id() {
        let built = mail("d-42", &["oncall@acme.example"])
            .one_click_unsubscribe("https://s.example/subscriptions/unsubscribe/tok")
            .build(&from())
            .unwrap();
        let raw = String::from_utf8(built.formatted()).unwrap();
        for want in [
            "Message-ID: <d-42@acme.example>",
            "List-Unsubscribe: <https://s.example/subscriptions/unsubscribe/tok>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Content-Type: multipart/alternative",
            "Content-Type: text/plain",
            "Content-Type: text/html",
        ] {
            assert!(raw.contains(want), "{want} in:\n{raw}");
        }
    }

    #[test]
    fn refuses_what_would_fail_again() {
        let cases = [
            (mail("d-1", &[]), "no recipient"),
            (mail("d-1", &["not an address"]), "invalid recipient"),
            (
                mail("bad id", &["a@acme.example"]),
                "cannot be a Message-ID",
            ),
            (
                mail("d-1", &["a@acme.example"]).header("X-Note", "a\r\nBcc: victim@x.example"),
                "line break",
            ),
            (
                mail("d-1", &["a@acme.example"]).header("Bad Name", "x"),
                "not a header name",
            ),
        ];
        for (mail, want) in cases {
            let got = mail.build(&from()).unwrap_err();
            assert!(got.contains(want), "{want}: {got}");
        }
    }
}
