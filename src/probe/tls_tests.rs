//! tls checks against real handshakes on 127.0.0.1, with certificates made by
//! rcgen and a test CA injected as the only trusted root.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::*;

const DAY: u64 = 86_400;

fn test_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    // Not rcgen's default name, which the self-signed leaves also carry.
    params
        .distinguished_name
        .push(DnType::CommonName, "Beacon Test CA");
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

fn trusting(ca: &CertifiedIssuer<'static, KeyPair>) -> Arc<RootCertStore> {
    let mut roots = RootCertStore::empty();
    roots.add(ca.der().clone()).unwrap();
    Arc::new(roots)
}

/// A certificate for `localhost` signed by `ca` (or by itself), valid until
/// now + `after` (or now − `after` when `expired`).
fn leaf(
    ca: Option<&CertifiedIssuer<'static, KeyPair>>,
    after: Duration,
    expired: bool,
) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let now = SystemTime::now();
    params.not_before = (now - Duration::from_secs(90 * DAY)).into();
    params.not_after = if expired { now - after } else { now + after }.into();
    let key = KeyPair::generate().unwrap();
    let cert = match ca {
        Some(ca) => params.signed_by(&key, ca).unwrap(),
        None => params.self_signed(&key).unwrap(),
    };
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    (cert.der().clone(), key_der)
}

/// Serves `cert` on 127.0.0.1 until the test ends; completes handshakes, then closes.
async fn serve((cert, key): (CertificateDer<'static>, PrivateKeyDer<'static>)) -> SocketAddr {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            if let Ok(mut tls) = acceptor.accept(stream).await {
                let _ = tls.shutdown().await;
            }
        }
    });
    addr
}

fn check(addr: SocketAddr, server_name: &str) -> TlsCheck {
    TlsCheck {
        address: addr.to_string(),
        server_name: server_name.to_owned(),
        min_days_left: 14,
    }
}

/// An hour on top, so whole days do not round down while the test runs.
fn days_and_an_hour(days: u64) -> Duration {
    Duration::from_secs(days * DAY + 3600)
}

#[tokio::test]
async fn a_certificate_expiring_within_min_days_left_fails_and_one_with_time_to_spare_passes() {
    let ca = test_ca();
    let soon = serve(leaf(Some(&ca), days_and_an_hour(3), false)).await;
    let later = serve(leaf(Some(&ca), days_and_an_hour(60), false)).await;

    let attempt = run_with_roots(&check(soon, "localhost"), trusting(&ca)).await;
    assert_eq!(
        attempt.failure.as_deref(),
        Some("certificate expires in 3 days")
    );
    assert!(attempt.latency.is_some(), "the handshake was timed");

    let attempt = run_with_roots(&check(later, "localhost"), trusting(&ca)).await;
    assert_eq!(attempt.failure, None);
    assert!(attempt.latency.is_some_and(|l| l < Duration::from_secs(5)));
}

#[tokio::test]
async fn untrusted_expired_and_misnamed_certificates_say_why() {
    let ca = test_ca();
    let self_signed = serve(leaf(None, days_and_an_hour(60), false)).await;
    let expired = serve(leaf(Some(&ca), days_and_an_hour(2), true)).await;
    let valid = serve(leaf(Some(&ca), days_and_an_hour(60), false)).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap();

    let cases = [
        (
            check(self_signed, "localhost"),
            "certificate not trusted: unknown issuer",
        ),
        (
            check(expired, "localhost"),
            "certificate expired 2 days ago",
        ),
        (
            check(valid, "other.example"),
            "certificate not valid for the server name",
        ),
        (check(closed, "localhost"), "connection refused"),
    ];
    for (check, want) in cases {
        let attempt = run_with_roots(&check, trusting(&ca)).await;
        let reason = attempt.failure.unwrap_or_default();
        assert!(reason.starts_with(want), "{}: {reason:?}", check.address);
    }
}

#[test]
fn expiry_reasons_count_whole_days() {
    let d = DAY_SECS;
    let cases = [
        (100 * d, 14, None),
        (14 * d, 14, None),
        (14 * d - 1, 14, Some("certificate expires in 13 days")),
        (d + 5, 14, Some("certificate expires in 1 day")),
        (5, 14, Some("certificate expires in less than a day")),
        (5, 0, None),
        (-3 * d - 5, 14, Some("certificate expired 3 days ago")),
        (-5, 0, Some("certificate expired less than a day ago")),
    ];
    for (left, min_days, want) in cases {
        let now = 1_800_000_000;
        assert_eq!(
            expiry_reason(now + left, now, min_days).as_deref(),
            want,
            "{left}s left, {min_days} days required"
        );
    }
}
