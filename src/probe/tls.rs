//! `kind = "tls"`: a trusted certificate, valid for the server name, with at
//! least `min_days_left` days to run (SPEC §2). Latency is the handshake.
//!
//! Trust comes from the platform's root store (rustls-native-certs), the same
//! roots the `http` kind trusts through reqwest's platform verifier, so an
//! operator's private CA installed system-wide is trusted by both.

use std::sync::{Arc, LazyLock};
use std::time::{Instant, SystemTime};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::Attempt;
use super::reasons::{DAY_SECS, days, io_reason};
use crate::domain::TlsCheck;

/// The platform's trusted roots, loaded once per process.
static PLATFORM_ROOTS: LazyLock<Result<Arc<RootCertStore>, String>> = LazyLock::new(|| {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found
            .errors
            .first()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        let what = "certificate not trusted: this system has no trusted root certificates";
        return Err(format!("{what}{why}"));
    }
    Ok(Arc::new(roots))
});

/// One attempt against the platform's roots. The caller bounds it with the check's timeout.
pub async fn run(check: &TlsCheck) -> Attempt {
    // Loading reads files: off the async threads, and carried on to the end
    // even when this attempt times out, so that the next one finds it done.
    let roots = tokio::task::spawn_blocking(|| LazyLock::force(&PLATFORM_ROOTS).clone()).await;
    match roots {
        Ok(Ok(roots)) => run_with_roots(check, roots).await,
        Ok(Err(why)) => Attempt::failed(why, None),
        Err(e) => Attempt::failed(format!("loading trusted roots failed: {e}"), None),
    }
}

/// One attempt trusting exactly `roots` (tests inject their own CA here).
pub(crate) async fn run_with_roots(check: &TlsCheck, roots: Arc<RootCertStore>) -> Attempt {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config =
        match ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions() {
            Ok(builder) => builder.with_root_certificates(roots).with_no_client_auth(),
            Err(e) => return Attempt::failed(format!("TLS setup failed: {e}"), None),
        };
    let Ok(server_name) = ServerName::try_from(check.server_name.clone()) else {
        return Attempt::failed("invalid server name".to_owned(), None);
    };
    let tcp = match TcpStream::connect(&check.address).await {
        Ok(tcp) => tcp,
        Err(e) => return Attempt::failed(io_reason(&e), None),
    };
    let started = Instant::now();
    let handshake = TlsConnector::from(Arc::new(config))
        .connect(server_name, tcp)
        .await;
    let latency = Some(started.elapsed());
    let stream = match handshake {
        Ok(stream) => stream,
        Err(e) => return Attempt::failed(io_reason(&e), latency),
    };
    let (_, session) = stream.get_ref();
    let leaf = session.peer_certificates().and_then(|chain| chain.first());
    let not_after = leaf.and_then(|der| {
        let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
        Some(cert.validity().not_after.timestamp())
    });
    let Some(not_after) = not_after else {
        return Attempt::failed("cannot read the certificate's expiry".to_owned(), latency);
    };
    Attempt {
        failure: expiry_reason(not_after, unix_now(), check.min_days_left),
        latency,
    }
}

fn unix_now() -> i64 {
    let since_epoch = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH);
    since_epoch.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Why a certificate valid until `not_after` fails at `now`, if it does
/// (both in Unix seconds): expired, or fewer than `min_days` days left.
fn expiry_reason(not_after: i64, now: i64, min_days: u32) -> Option<String> {
    let left = not_after.saturating_sub(now);
    if left < 0 {
        Some(format!("certificate expired {} ago", days(-left)))
    } else if left < i64::from(min_days) * DAY_SECS {
        Some(format!("certificate expires in {}", days(left)))
    } else {
        None
    }
}

#[cfg(test)]
#[path = "tls_tests.rs"]
mod tests;
