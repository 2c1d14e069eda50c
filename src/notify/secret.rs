//! Values that must never show in `Debug` output or logs: signing keys,
//! passwords, and URLs whose path is the credential (Slack, Discord and
//! Teams webhook URLs, tokens in query strings).

use std::fmt;

use url::Url;

/// A secret string; `Debug` prints `"<redacted>"`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret (read from the environment variable the operator named).
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// An http(s) URL whose `Debug` and [`SecretUrl::redacted`] show only the
/// scheme, host and port: the path and query of a chat webhook are its key.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(Url);

impl SecretUrl {
    /// Parses an `http://` or `https://` URL with a host.
    pub fn parse(url: &str) -> Result<SecretUrl, String> {
        let parsed = Url::parse(url).map_err(|e| format!("invalid URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err("the URL must start with http:// or https:// and name a host".to_owned());
        }
        Ok(SecretUrl(parsed))
    }

    /// `https://hooks.slack.com/…`: enough to tell targets apart in a log.
    pub fn redacted(&self) -> String {
        let host = self.0.host_str().unwrap_or_default();
        match self.0.port() {
            Some(port) => format!("{}://{host}:{port}/…", self.0.scheme()),
            None => format!("{}://{host}/…", self.0.scheme()),
        }
    }

    /// The URL itself, for the request.
    pub fn expose(&self) -> &Url {
        &self.0
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret_and_the_path() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "\"<redacted>\"");
        assert_eq!(secret.expose(), "hunter2");
        let url = SecretUrl::parse("https://hooks.slack.com/services/T0/B0/XYZ?x=1").unwrap();
        assert_eq!(format!("{url:?}"), "\"https://hooks.slack.com/…\"");
        let url = SecretUrl::parse("http://127.0.0.1:9000/hook/abc").unwrap();
        assert_eq!(url.redacted(), "http://127.0.0.1:9000/…");
        assert_eq!(url.expose().path(), "/hook/abc");
    }

    #[test]
    fn only_http_urls_with_a_host() {
        for bad in [
            "ftp://example.com/x",
            "not a url",
            "mailto:a@b.c",
            "file:///etc",
        ] {
            assert!(SecretUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
