//! `kind = "slack" | "discord" | "teams"` (SPEC §8): the platform's
//! incoming-webhook JSON, POSTed to a URL that is itself the credential.

use std::time::Duration;

use reqwest::Client;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use super::delivery::{DEFAULT_TIMEOUT, Message};
use super::http::post;
use super::outcome::Outcome;
use super::secret::SecretUrl;
use super::{discord, slack, teams};

/// Which platform's payload a [`Chat`] target takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    /// Slack (and Mattermost, Rocket.Chat): `{"text": ...}`.
    Slack,
    /// Discord: `{"content": ...}`.
    Discord,
    /// Microsoft Teams incoming webhook: a MessageCard.
    Teams,
}

impl ChatKind {
    /// The JSON this platform's incoming webhook takes for `message`.
    pub fn payload(self, message: &Message) -> Value {
        match self {
            ChatKind::Slack => slack::payload(message),
            ChatKind::Discord => discord::payload(message),
            ChatKind::Teams => teams::payload(message),
        }
    }
}

/// A chat incoming webhook.
#[derive(Debug, Clone)]
pub struct Chat {
    client: Client,
    kind: ChatKind,
    url: SecretUrl,
    timeout: Duration,
}

impl Chat {
    /// A `kind` webhook at `url` (http or https).
    pub fn new(client: Client, kind: ChatKind, url: &str) -> Result<Chat, String> {
        Ok(Chat {
            client,
            kind,
            url: SecretUrl::parse(url)?,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same target, giving up after `timeout` instead of [`DEFAULT_TIMEOUT`].
    pub fn with_timeout(self, timeout: Duration) -> Chat {
        Chat { timeout, ..self }
    }

    /// One attempt: the payload as JSON; any 2xx is delivered.
    pub async fn send(&self, message: &Message) -> Outcome {
        let request = self
            .client
            .post(self.url.expose().clone())
            .header(CONTENT_TYPE, "application/json")
            .body(self.kind.payload(message).to_string());
        post(request, self.timeout).await
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A message with this line and link (subject "subject").
    pub(crate) fn message(line: &str, link: &str) -> Message {
        Message {
            line: line.to_owned(),
            subject: "subject".to_owned(),
            text: "text".to_owned(),
            html: "<p>html</p>".to_owned(),
            link: link.to_owned(),
        }
    }

    #[test]
    fn each_kind_takes_its_own_payload() {
        let m = message("API is down", "https://s.example/");
        assert!(ChatKind::Slack.payload(&m)["text"].is_string());
        assert!(ChatKind::Discord.payload(&m)["content"].is_string());
        assert_eq!(ChatKind::Teams.payload(&m)["@type"], "MessageCard");
    }
}
