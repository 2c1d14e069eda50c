//! Failure reasons a person can read (SPEC §3) and a visitor may see (SPEC
//! §2): each error is mapped to a class such as "connection refused", "DNS
//! lookup failed" or "TLS handshake failed: certificate expired". The texts
//! of reqwest, hickory and rustls errors embed URLs and host names, so they
//! are never passed on as they are; the full error goes to the log.

use std::error::Error;
use std::io;

use rustls::CertificateError;

/// Seconds in a day.
pub(super) const DAY_SECS: i64 = 86_400;

/// A readable reason for an I/O error ("connection refused", ...).
pub(super) fn io_reason(e: &io::Error) -> String {
    use io::ErrorKind::*;
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return tls_reason(tls);
    }
    match e.kind() {
        ConnectionRefused => "connection refused".to_owned(),
        ConnectionReset => "connection reset".to_owned(),
        ConnectionAborted => "connection aborted".to_owned(),
        UnexpectedEof => "connection closed before a response".to_owned(),
        HostUnreachable => "host unreachable".to_owned(),
        NetworkUnreachable => "network unreachable".to_owned(),
        TimedOut => "connection timed out".to_owned(),
        AddrNotAvailable => "address not available".to_owned(),
        PermissionDenied => "connection not permitted".to_owned(),
        kind => format!("connection failed ({kind})"),
    }
}

/// A readable reason for a failed request of the `http` kind.
pub(super) fn http_reason(e: &reqwest::Error) -> String {
    tracing::debug!(error = %e, "http check failed");
    if e.is_redirect() {
        return "too many redirects".to_owned();
    }
    if e.is_timeout() {
        return "timed out".to_owned();
    }
    let chain = std::iter::successors(e.source(), |s| (*s).source());
    // hyper-util's resolver error reads "dns error" (its type is private).
    if chain
        .clone()
        .any(|c| c.to_string().starts_with("dns error"))
    {
        return "DNS lookup failed".to_owned();
    }
    for cause in chain.clone() {
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            return io_reason(io);
        }
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return tls_reason(tls);
        }
    }
    if e.is_connect() {
        "cannot connect".to_owned()
    } else if e.is_decode() {
        "the body could not be decoded".to_owned()
    } else {
        // hyper's protocol errors ("connection closed before message
        // completed") name no URL; reqwest's own text (skipped) does.
        chain
            .last()
            .map_or_else(|| "request failed".to_owned(), |c| c.to_string())
    }
}

/// A readable reason for a failed TLS handshake.
pub(super) fn tls_reason(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(cert) => certificate_reason(cert),
        rustls::Error::AlertReceived(alert) => {
            format!("TLS handshake failed: the server sent alert {alert:?}")
        }
        rustls::Error::PeerIncompatible(_) => {
            "TLS handshake failed: no protocol version or cipher in common".to_owned()
        }
        rustls::Error::NoCertificatesPresented => {
            "TLS handshake failed: no certificate presented".to_owned()
        }
        _ => "TLS handshake failed".to_owned(),
    }
}

fn certificate_reason(e: &CertificateError) -> String {
    let ago = |later: u64, earlier: u64| {
        days(i64::try_from(later.saturating_sub(earlier)).unwrap_or(i64::MAX))
    };
    match e {
        CertificateError::UnknownIssuer => "certificate not trusted: unknown issuer".to_owned(),
        CertificateError::BadSignature => "certificate not trusted: bad signature".to_owned(),
        CertificateError::ExpiredContext { time, not_after } => {
            let ago = ago(time.as_secs(), not_after.as_secs());
            format!("certificate expired {ago} ago")
        }
        CertificateError::Expired => "certificate expired".to_owned(),
        CertificateError::NotValidYetContext { time, not_before } => {
            let until = ago(not_before.as_secs(), time.as_secs());
            format!("certificate not valid yet (starts in {until})")
        }
        CertificateError::NotValidYet => "certificate not valid yet".to_owned(),
        CertificateError::Revoked => "certificate revoked".to_owned(),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "certificate not valid for the server name".to_owned()
        }
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "certificate not valid for server authentication".to_owned()
        }
        _ => "certificate invalid".to_owned(),
    }
}

/// Whole days in `secs`, as words: "less than a day", "1 day", "3 days".
pub(super) fn days(secs: i64) -> String {
    match secs / DAY_SECS {
        0 => "less than a day".to_owned(),
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_classes_without_their_text() {
        let cases = [
            (io::ErrorKind::ConnectionRefused, "connection refused"),
            (
                io::ErrorKind::UnexpectedEof,
                "connection closed before a response",
            ),
            (
                io::ErrorKind::InvalidData,
                "connection failed (invalid data)",
            ),
        ];
        for (kind, want) in cases {
            let e = io::Error::new(kind, "connect to db.internal:5432 (10.0.0.5) failed");
            assert_eq!(io_reason(&e), want, "{kind:?}");
        }
        let tls = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        let wrapped = io::Error::new(io::ErrorKind::InvalidData, tls);
        assert_eq!(
            io_reason(&wrapped),
            "certificate not valid for the server name"
        );
    }

    #[test]
    fn tls_errors_name_the_problem_not_the_host() {
        let cases = [
            (
                rustls::Error::InvalidCertificate(CertificateError::Expired),
                "certificate expired",
            ),
            (
                rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
                "certificate not trusted: unknown issuer",
            ),
            (
                rustls::Error::General("peer api.internal misbehaved".into()),
                "TLS handshake failed",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(tls_reason(&e), want, "{e:?}");
        }
    }
}
