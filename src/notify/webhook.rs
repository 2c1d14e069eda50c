//! `kind = "webhook"` (SPEC §8): the delivery's JSON body, POSTed as is,
//! with its event and id in headers and, when a secret is set, an
//! HMAC-SHA256 signature of the exact bytes.

use std::fmt;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use reqwest::Client;
use reqwest::header::CONTENT_TYPE;
use sha2::Sha256;

use super::delivery::{DEFAULT_TIMEOUT, Delivery};
use super::http::post;
use super::outcome::Outcome;
use super::secret::{Secret, SecretUrl};

/// A webhook target: a URL and an optional signing secret.
#[derive(Debug, Clone)]
pub struct Webhook {
    client: Client,
    url: SecretUrl,
    signer: Option<Signer>,
    timeout: Duration,
}

impl Webhook {
    /// A target at `url` (http or https), signing with `secret` when given.
    pub fn new(client: Client, url: &str, secret: Option<&Secret>) -> Result<Webhook, String> {
        Ok(Webhook {
            client,
            url: SecretUrl::parse(url)?,
            signer: secret.map(Signer::new).transpose()?,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same target, giving up after `timeout` instead of [`DEFAULT_TIMEOUT`].
    pub fn with_timeout(self, timeout: Duration) -> Webhook {
        Webhook { timeout, ..self }
    }

    /// One attempt: `Content-Type: application/json`, `X-Beacon-Event`,
    /// `X-Beacon-Delivery` and, with a secret, `X-Beacon-Signature`.
    pub async fn send(&self, delivery: &Delivery) -> Outcome {
        let mut request = self
            .client
            .post(self.url.expose().clone())
            .header(CONTENT_TYPE, "application/json")
            .header("X-Beacon-Event", &delivery.event)
            .header("X-Beacon-Delivery", &delivery.id)
            .body(delivery.body.clone());
        if let Some(signer) = &self.signer {
            request = request.header("X-Beacon-Signature", signer.sign(&delivery.body));
        }
        post(request, self.timeout).await
    }
}

/// HMAC-SHA256 keyed with the webhook's secret; `Debug` shows nothing of it.
#[derive(Clone)]
struct Signer(Hmac<Sha256>);

impl Signer {
    fn new(secret: &Secret) -> Result<Signer, String> {
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret.expose().as_bytes())
            .map(Signer)
            .map_err(|e| format!("unusable webhook secret: {e}"))
    }

    /// `sha256=<hex HMAC-SHA256 of body>`; a receiver recomputes it over
    /// the raw body it got.
    fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.0.clone();
        mac.update(body);
        let digest = mac.finalize().into_bytes();
        let mut value = String::with_capacity(7 + 2 * digest.len());
        value.push_str("sha256=");
        for byte in digest {
            value.push_str(&format!("{byte:02x}"));
        }
        value
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::client;

    #[test]
    fn signature_matches_rfc_4231_test_case_2() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let want = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let signer = Signer::new(&Secret::new("Jefe")).unwrap();
        assert_eq!(signer.sign(b"what do ya want for nothing?"), want);
    }

    #[test]
    fn debug_shows_neither_secret_nor_path() {
        let hook = Webhook::new(
            client().unwrap(),
            "https://hooks.acme.example/beacon/t0ken",
            Some(&Secret::new("s3cret")),
        )
        .unwrap();
        let debug = format!("{hook:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("t0ken"),
            "{debug}"
        );
        assert!(debug.contains("hooks.acme.example"), "{debug}");
    }
}
