//! `kind = "email"` and the subscription mails (SPEC §8): SMTP through
//! lettre over rustls — STARTTLS or implicit TLS, optional AUTH, each send
//! bounded by a timeout.
//!
//! The server's certificate is checked against the platform's roots plus,
//! for operators with a private CA, the certificates given in
//! [`EmailSettings::extra_roots_pem`]. No connection is kept between
//! sends: each mail is one SMTP session, so one failure never poisons the
//! next.

mod compose;
mod server;

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

pub use compose::{Mail, ONE_CLICK};
pub use server::{SUBMISSION_PORT, SUBMISSIONS_PORT, Security, SmtpServer};

use super::{DEFAULT_TIMEOUT, Outcome, Secret};

/// What [`Mailer::new`] needs: the `[email]` table with its secrets read.
#[derive(Debug, Clone)]
pub struct EmailSettings {
    /// Where to send (`[email] smtp`, `tls`).
    pub server: SmtpServer,
    /// The `From:` mailbox, e.g. `Acme Status <status@acme.example>`.
    pub from: String,
    /// AUTH username and password, read from the named variables.
    pub credentials: Option<(String, Secret)>,
    /// PEM certificates trusted besides the platform's roots.
    pub extra_roots_pem: Option<Vec<u8>>,
    /// Every send gives up after this long.
    pub timeout: Duration,
}

impl EmailSettings {
    /// Settings for `server` and `from`, without AUTH or extra roots,
    /// with the [`DEFAULT_TIMEOUT`].
    pub fn new(server: SmtpServer, from: &str) -> EmailSettings {
        EmailSettings {
            server,
            from: from.to_owned(),
            credentials: None,
            extra_roots_pem: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// Sends [`Mail`]s through one SMTP server.
#[derive(Debug, Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
}

impl Mailer {
    /// Checks `settings` and loads the trusted roots (file reads, done on
    /// the blocking pool). Build one at start-up and share it.
    pub async fn new(settings: EmailSettings) -> Result<Mailer, String> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("invalid from address {:?}: {e}", settings.from))?;
        let host = settings.server.host.clone();
        let extra = settings.extra_roots_pem.clone();
        let tls = tokio::task::spawn_blocking(move || tls_parameters(host, extra.as_deref()))
            .await
            .map_err(|e| format!("loading trusted roots failed: {e}"))??;
        let tls = match settings.server.security {
            Security::StartTlsIfOffered => Tls::Opportunistic(tls),
            Security::StartTlsRequired => Tls::Required(tls),
            Security::ImplicitTls => Tls::Wrapper(tls),
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.server.host)
                .port(settings.server.port)
                .tls(tls)
                .timeout(Some(settings.timeout));
        if let Some((username, password)) = settings.credentials {
            let password = password.expose().to_owned();
            builder = builder.credentials(Credentials::new(username, password));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            timeout: settings.timeout,
        })
    }

    /// One attempt to send `mail`. SMTP's permanent answers (5xx) and mails
    /// that cannot be built are [`Outcome::Permanent`]; everything else
    /// (4xx, refused or dropped connections, TLS failures, timeouts) is
    /// retried.
    pub async fn send(&self, mail: &Mail) -> Outcome {
        self.send_within(mail, self.timeout).await
    }

    /// Like [`Mailer::send`], bounded by `limit` too when it is shorter (a
    /// notifier's own `timeout`: the sender's claim on the attempt lasts
    /// only that long).
    pub async fn send_within(&self, mail: &Mail, limit: Duration) -> Outcome {
        let message = match mail.build(&self.from) {
            Ok(message) => message,
            Err(why) => return Outcome::Permanent(why),
        };
        let timeout = self.timeout.min(limit);
        match tokio::time::timeout(timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Outcome::Delivered,
            Ok(Err(e)) => smtp_outcome(&e, timeout),
            Err(_) => Outcome::Retry(timed_out(timeout)),
        }
    }
}

fn tls_parameters(host: String, extra_pem: Option<&[u8]>) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(host);
    if let Some(pem) = extra_pem {
        let unusable = |e: &dyn std::fmt::Display| format!("the extra CA certificates: {e}");
        let certificates = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| unusable(&e))?;
        if certificates.is_empty() {
            return Err(unusable(&"no PEM certificate found"));
        }
        for der in certificates {
            let certificate = Certificate::from_der(der.to_vec()).map_err(|e| unusable(&e))?;
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder
        .build()
        .map_err(|e| format!("TLS setup failed: {e}"))
}

fn smtp_outcome(e: &SmtpError, timeout: Duration) -> Outcome {
    if e.is_timeout() {
        return Outcome::Retry(timed_out(timeout));
    }
    // lettre repeats its kind in its source ("Connection error: Connection
    // error: invalid peer certificate: UnknownIssuer"): say it once.
    let text = e.to_string();
    let mut said: Vec<&str> = Vec::new();
    for segment in text.split(": ") {
        if said.last() != Some(&segment) {
            said.push(segment);
        }
    }
    let why = said.join(": ");
    if e.is_permanent() {
        Outcome::Permanent(format!("SMTP server refused: {why}"))
    } else {
        Outcome::Retry(format!("SMTP: {why}"))
    }
}

fn timed_out(timeout: Duration) -> String {
    format!("timed out after {}", humantime::format_duration(timeout))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> EmailSettings {
        let server = SmtpServer::parse("smtp://mail.acme.example", false).unwrap();
        EmailSettings::new(server, "Acme Status <status@acme.example>")
    }

    #[tokio::test]
    async fn refuses_a_bad_from_address_or_unusable_extra_roots() {
        assert!(Mailer::new(settings()).await.is_ok());
        let mut bad_from = settings();
        bad_from.from = "Acme Status".to_owned();
        let why = Mailer::new(bad_from).await.unwrap_err();
        assert!(
            why.starts_with("invalid from address \"Acme Status\""),
            "{why}"
        );
        for pem in [
            "-----BEGIN CERTIFICATE-----\nnope\n",
            "a key, not a certificate",
        ] {
            let mut bad_pem = settings();
            bad_pem.extra_roots_pem = Some(pem.as_bytes().to_vec());
            let why = Mailer::new(bad_pem).await.unwrap_err();
            assert!(why.starts_with("the extra CA certificates: "), "{why}");
        }
    }
}
