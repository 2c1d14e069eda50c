//! `kind = "sms"` (SPEC §8): Twilio's Messages API shape — a form POST of
//! `From`, `To` and `Body` with HTTP basic auth (account and token), one
//! POST per recipient. Most SMS gateways accept this shape.

use std::time::Duration;

use reqwest::Client;

use super::delivery::{DEFAULT_TIMEOUT, Message};
use super::http::post;
use super::outcome::Outcome;
use super::secret::{Secret, SecretUrl};
use super::text::shorten;

/// The longest `Body` sent: one SMS segment (SPEC §8).
pub const SMS_MAX_CHARS: usize = 160;

/// An SMS gateway and the numbers to text.
#[derive(Debug, Clone)]
pub struct Sms {
    client: Client,
    url: SecretUrl,
    from: String,
    to: Vec<String>,
    username: String,
    password: Secret,
    timeout: Duration,
}

impl Sms {
    /// A gateway at `url`, texting from `from` to each of `to`, with basic
    /// auth `username`:`password`.
    pub fn new(
        client: Client,
        url: &str,
        from: &str,
        to: Vec<String>,
        username: &str,
        password: Secret,
    ) -> Result<Sms, String> {
        if to.is_empty() {
            return Err("an sms notifier needs at least one number in `to`".to_owned());
        }
        Ok(Sms {
            client,
            url: SecretUrl::parse(url)?,
            from: from.to_owned(),
            to,
            username: username.to_owned(),
            password,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same gateway, giving up after `timeout` instead of [`DEFAULT_TIMEOUT`].
    pub fn with_timeout(self, timeout: Duration) -> Sms {
        Sms { timeout, ..self }
    }

    /// The numbers this notifier texts.
    pub fn recipients(&self) -> &[String] {
        &self.to
    }

    /// One attempt to text `message` to `to` (one of [`Sms::recipients`]).
    /// Each recipient is its own delivery: a retry for one number must not
    /// text the others again.
    pub async fn send(&self, to: &str, message: &Message) -> Outcome {
        let body = sms_body(message);
        let form = [("From", self.from.as_str()), ("To", to), ("Body", &body)];
        let request = self
            .client
            .post(self.url.expose().clone())
            .basic_auth(&self.username, Some(self.password.expose()))
            .form(&form);
        post(request, self.timeout).await
    }
}

/// The text sent: the line and the link when both fit in
/// [`SMS_MAX_CHARS`], else the line alone, shortened with "…" if need be.
pub fn sms_body(message: &Message) -> String {
    let both = format!("{} {}", message.line, message.link);
    if both.chars().count() <= SMS_MAX_CHARS {
        both
    } else {
        shorten(&message.line, SMS_MAX_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::chat::tests::message;
    use crate::notify::client;

    #[test]
    fn body_fits_one_segment() {
        let link = "https://status.acme.example/components/api";
        let short = message("Public API is down", link);
        assert_eq!(sms_body(&short), format!("Public API is down {link}"));
        let long = message(&"Public API is down: connection refused. ".repeat(6), link);
        let body = sms_body(&long);
        assert_eq!(body.chars().count(), SMS_MAX_CHARS, "{body}");
        assert!(body.starts_with("Public API is down: connection refused."));
        assert!(body.ends_with("refused.…"), "cut at a word: {body}");
    }

    #[test]
    fn needs_a_number_and_hides_the_token() {
        let c = client().unwrap();
        let url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json";
        let none = Sms::new(c.clone(), url, "+1555", vec![], "AC1", Secret::new("tok"));
        assert!(none.is_err());
        let sms = Sms::new(
            c,
            url,
            "+1555",
            vec!["+1666".into()],
            "AC1",
            Secret::new("t0k3n"),
        );
        let debug = format!("{:?}", sms.unwrap());
        assert!(!debug.contains("t0k3n"), "{debug}");
    }
}
