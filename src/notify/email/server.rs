//! `[email] smtp` (SPEC §8): where the mail goes and how it is protected.
//!
//! `smtp://host[:port]` speaks STARTTLS when the server offers it (port 587
//! by default, the submission port) and, with `tls = "required"`, refuses
//! to go on without it; `smtps://host[:port]` is TLS from the first byte
//! (port 465 by default). Credentials never go in the URL: they come from
//! the environment variables `[email]` names.

use std::fmt;

use url::Url;

/// The submission port (RFC 6409), for `smtp://`.
pub const SUBMISSION_PORT: u16 = 587;
/// The implicit-TLS submission port (RFC 8314), for `smtps://`.
pub const SUBMISSIONS_PORT: u16 = 465;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: STARTTLS when offered, plain text otherwise.
    StartTlsIfOffered,
    /// `smtp://` with `tls = "required"`: STARTTLS or no mail.
    StartTlsRequired,
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
}

/// A parsed `[email] smtp` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpServer {
    /// The host to connect to, and the name its certificate must carry.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// STARTTLS or implicit TLS.
    pub security: Security,
}

impl SmtpServer {
    /// Parses `smtp://host[:port]` or `smtps://host[:port]`; `tls_required`
    /// is `tls = "required"` (for `smtps://` TLS is always required).
    pub fn parse(url: &str, tls_required: bool) -> Result<SmtpServer, String> {
        let parsed = Url::parse(url).map_err(|e| format!("invalid SMTP URL: {e}"))?;
        let (security, default_port) = match (parsed.scheme(), tls_required) {
            ("smtp", false) => (Security::StartTlsIfOffered, SUBMISSION_PORT),
            ("smtp", true) => (Security::StartTlsRequired, SUBMISSION_PORT),
            ("smtps", _) => (Security::ImplicitTls, SUBMISSIONS_PORT),
            (other, _) => {
                return Err(format!(
                    "the SMTP URL must start with smtp:// or smtps://, not {other}://"
                ));
            }
        };
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(
                "no credentials in the SMTP URL: name environment variables in \
                        username_env and password_env"
                    .to_owned(),
            );
        }
        if !matches!(parsed.path(), "" | "/") || parsed.query().is_some() {
            return Err("the SMTP URL takes only a host and a port".to_owned());
        }
        let host = match parsed.host_str() {
            Some(host) if !host.is_empty() => host.trim_matches(['[', ']']).to_ascii_lowercase(),
            _ => return Err("the SMTP URL names no host".to_owned()),
        };
        Ok(SmtpServer {
            host,
            port: parsed.port().unwrap_or(default_port),
            security,
        })
    }
}

impl fmt::Display for SmtpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.security {
            Security::ImplicitTls => "smtps",
            _ => "smtp",
        };
        write!(f, "{scheme}://{}:{}", self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(host: &str, port: u16, security: Security) -> SmtpServer {
        SmtpServer {
            host: host.to_owned(),
            port,
            security,
        }
    }

    #[test]
    fn url_table() {
        use Security::*;
        let cases = [
            (
                "smtp://mail.acme.example",
                false,
                server("mail.acme.example", 587, StartTlsIfOffered),
            ),
            (
                "smtp://mail.acme.example:25",
                true,
                server("mail.acme.example", 25, StartTlsRequired),
            ),
            (
                "smtps://mail.acme.example",
                false,
                server("mail.acme.example", 465, ImplicitTls),
            ),
            (
                "smtps://127.0.0.1:2465/",
                true,
                server("127.0.0.1", 2465, ImplicitTls),
            ),
            (
                "SMTP://Mail.Acme.Example:587",
                false,
                server("mail.acme.example", 587, StartTlsIfOffered),
            ),
            (
                "smtp://[::1]:2525",
                false,
                server("::1", 2525, StartTlsIfOffered),
            ),
        ];
        for (url, required, want) in cases {
            assert_eq!(
                SmtpServer::parse(url, required).as_ref(),
                Ok(&want),
                "{url}"
            );
        }
        assert_eq!(
            SmtpServer::parse("smtps://mail.acme.example", false)
                .unwrap()
                .to_string(),
            "smtps://mail.acme.example:465"
        );
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        let cases = [
            (
                "mail.acme.example:587",
                "must start with smtp:// or smtps://",
            ),
            (
                "https://mail.acme.example",
                "smtp:// or smtps://, not https://",
            ),
            (
                "smtp://user:pass@mail.acme.example",
                "no credentials in the SMTP URL",
            ),
            (
                "smtp://mail.acme.example/?tls=required",
                "only a host and a port",
            ),
            ("smtp://mail.acme.example/relay", "only a host and a port"),
            ("smtp://:587", "invalid SMTP URL"),
        ];
        for (url, want) in cases {
            let got = SmtpServer::parse(url, false).unwrap_err();
            assert!(got.contains(want), "{url}: {got}");
        }
    }
}
