//! The probe worker: the only outbound network I/O. One scheduler runs every
//! check at its interval, each attempt bounded by its timeout; results go to
//! one writer task that records them in batches, off the web request path.

mod dns;
pub mod http;
pub mod lag;
mod pending;
mod push;
mod reasons;
mod record;
pub mod schedule;
mod tcp;
mod tls;
mod worker;
mod writer;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::config::Config;
use crate::domain::{CheckKind, CheckResult, CheckSpec, Outcome, RegionId};
use crate::store::Store;
use worker::Worker;

/// What one attempt found, before thresholds and `degraded_over` apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// Why it failed; `None` = it answered as expected.
    pub failure: Option<String>,
    pub latency: Option<Duration>,
}

impl Attempt {
    fn failed(reason: String, latency: Option<Duration>) -> Attempt {
        Attempt {
            failure: Some(reason),
            latency,
        }
    }
}

/// Runs one check once, bounded by its timeout, and judges the attempt.
pub async fn probe_once(spec: &CheckSpec, client: &reqwest::Client) -> CheckResult {
    let at = Utc::now();
    let attempt = tokio::time::timeout(spec.timeout, async {
        match &spec.kind {
            CheckKind::Http(check) => http::run(client, check).await,
            CheckKind::Tcp(check) => tcp::run(check).await,
            CheckKind::Dns(check) => dns::run(check).await,
            CheckKind::Tls(check) => tls::run(check).await,
            // Judged from pings by `run_check`; there is nothing to probe.
            CheckKind::Push(_) => Attempt::failed("push checks are not probed".to_owned(), None),
        }
    })
    .await
    .unwrap_or_else(|_| Attempt::failed(http::timeout_reason(spec.timeout), None));
    judge(spec, at, attempt)
}

/// Runs one check once: probes network kinds, reads the last ping of push
/// checks. `None` = nothing to record (a push check that was never pinged).
async fn run_check(
    spec: &CheckSpec,
    client: &reqwest::Client,
    store: &Store,
    started: chrono::DateTime<Utc>,
) -> Option<CheckResult> {
    match &spec.kind {
        CheckKind::Push(check) => {
            let at = Utc::now();
            let attempt = push::run(store, spec, check, started, at).await?;
            Some(judge(spec, at, attempt))
        }
        _ => Some(probe_once(spec, client).await),
    }
}

/// Applies `degraded_over` to an attempt: failed, slow or ok.
fn judge(spec: &CheckSpec, at: chrono::DateTime<Utc>, attempt: Attempt) -> CheckResult {
    let (outcome, reason) = match (attempt.failure, attempt.latency, spec.degraded_over) {
        (Some(reason), _, _) => (Outcome::Failed, Some(reason)),
        (None, Some(latency), Some(limit)) if latency > limit => (
            Outcome::Slow,
            Some(format!(
                "slow: {} ms, over {}",
                latency.as_millis(),
                humantime::format_duration(limit)
            )),
        ),
        (None, _, _) => (Outcome::Ok, None),
    };
    CheckResult {
        check: spec.id.clone(),
        at,
        outcome,
        latency: attempt.latency,
        reason,
    }
}

/// Runs every configured check until `shutdown` turns true, then flushes
/// pending results and returns. Attempts still in flight are abandoned:
/// they have no result to lose. How late each attempt started goes to
/// `lag`. Results and check states are `region`'s (SPEC §9).
pub async fn run_until_stopped(
    store: Store,
    config: Arc<Config>,
    region: RegionId,
    lag: Arc<lag::ScheduleLag>,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let client = http::client().context("cannot build the HTTP client")?;
    let states = store
        .region_check_states(region.as_str())
        .await
        .context("cannot load check states")?;
    let (results, inbox) = mpsc::channel(1024);
    let writer = tokio::spawn(writer::run(
        store.clone(),
        Arc::clone(&config),
        region.clone(),
        states,
        inbox,
    ));
    let checks = config.checks.len();
    let mut worker = Worker::new(config, store, client, results, lag, Instant::now());
    tracing::info!(checks, region = %region, "probe worker started");
    let mut wake = worker.run_due(Instant::now());
    while !*shutdown.borrow() {
        // No check configured: only shutdown is awaited.
        let sleep = async {
            match wake {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = sleep => wake = worker.run_due(Instant::now()),
            // The sender gone counts as a shutdown.
            changed = shutdown.changed() => if changed.is_err() { break },
        }
    }
    // Dropping the worker drops its sender: the writer flushes and ends.
    worker.stop().await;
    writer.await.context("result writer panicked")?;
    tracing::info!("probe worker stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CheckId, ComponentId, TcpCheck};

    fn spec(degraded_over: Option<Duration>) -> CheckSpec {
        CheckSpec {
            id: CheckId::parse("c").unwrap(),
            label: "c".into(),
            public_target: false,
            component: ComponentId::parse("x").unwrap(),
            kind: CheckKind::Tcp(TcpCheck {
                address: "127.0.0.1:1".into(),
            }),
            interval: Duration::from_secs(10),
            timeout: Duration::from_secs(1),
            degraded_over,
            failure_threshold: 1,
            recovery_threshold: 1,
        }
    }

    #[test]
    fn judging_attempts() {
        let ms = Duration::from_millis;
        let cases = [
            (
                "ok",
                None,
                Attempt {
                    failure: None,
                    latency: Some(ms(10)),
                },
                Outcome::Ok,
            ),
            (
                "slow",
                Some(ms(5)),
                Attempt {
                    failure: None,
                    latency: Some(ms(10)),
                },
                Outcome::Slow,
            ),
            (
                "fast enough",
                Some(ms(50)),
                Attempt {
                    failure: None,
                    latency: Some(ms(10)),
                },
                Outcome::Ok,
            ),
            (
                "failed beats slow",
                Some(ms(5)),
                Attempt::failed("x".into(), Some(ms(10))),
                Outcome::Failed,
            ),
        ];
        for (name, limit, attempt, want) in cases {
            let r = judge(&spec(limit), Utc::now(), attempt);
            assert_eq!(r.outcome, want, "{name}");
            assert_eq!(r.reason.is_some(), want != Outcome::Ok, "{name}");
        }
    }

    #[tokio::test]
    async fn refused_tcp_connect_reads_connection_refused() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        drop(listener);
        let mut s = spec(None);
        s.kind = CheckKind::Tcp(TcpCheck { address });
        let r = probe_once(&s, &http::client().unwrap()).await;
        assert_eq!(r.outcome, Outcome::Failed);
        assert_eq!(r.reason.as_deref(), Some("connection refused"));
    }
}
