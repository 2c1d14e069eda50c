//! The HTTP server: an accept loop over hyper's HTTP/1.1 connections, with
//! the limits `axum::serve` has no knobs for (SPEC §7).
//!
//! - A client must send a request's headers within `header_timeout`, and a
//!   keep-alive connection waiting for its next request is closed after the
//!   same time (hyper starts the header timer as soon as it waits for a
//!   request), so slow-header (slowloris) and idle clients cannot hold
//!   connections. Slow bodies and slow handlers are bounded by the router's
//!   request timeout.
//! - At most `max_connections` are open at once; one more is answered
//!   `503` with `Retry-After` and closed at once, while the open ones keep
//!   being served.
//! - Memory freed by closed connections is handed back to the system after
//!   a wave of them ([`TRIM_EVERY`]), so RSS comes back after a flood.
//! - On shutdown the listener closes, idle connections close, in-flight
//!   requests get [`DRAIN`] to finish, and whatever is still open then is
//!   dropped, so a client that never finishes its request cannot keep the
//!   process alive.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

use crate::web::counters::ConnectionStats;

/// In-flight requests get this long to finish after shutdown is asked for.
/// With the result flush that runs beside it, the process exits well within
/// SPEC §7's 10 s.
pub const DRAIN: Duration = Duration::from_secs(5);

/// How often to check whether enough connections closed to trim the heap.
pub const TRIM_EVERY: Duration = Duration::from_secs(5);
/// Connections that must have closed since the last trim for another one.
const TRIM_AFTER_CLOSED: u64 = 64;

/// What a connection over the limit is told before it is closed.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 37\r\n\r\ntoo many connections; retry shortly.\n";

/// The connection limits of `[server]`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

/// Serves `router` on `listener` until `stopped` turns true, then drains.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stats: Arc<ConnectionStats>,
    stopped: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let stop = super::until_true(stopped);
    tokio::pin!(stop);
    let mut trim = tokio::time::interval(TRIM_EVERY);
    loop {
        let (stream, peer) = tokio::select! {
            _ = trim.tick() => {
                if stats.take_closed() >= TRIM_AFTER_CLOSED {
                    release_freed_memory();
                }
                continue;
            }
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment
                    // instead of spinning; open connections keep being served.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        while connections.try_join_next().is_some() {}
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            refuse(&stream, &stats);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        let stats = Arc::clone(&stats);
        stats.opened();
        connections.spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            stats.closed();
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            connections = connections.len(),
            "closing connections whose requests did not finish within {DRAIN:?} of shutdown"
        );
        connections.abort_all();
    }
    while connections.join_next().await.is_some() {}
}

/// Tells a connection over the limit to come back, and closes it. The
/// answer fits a fresh socket's send buffer, so this never waits.
fn refuse(stream: &TcpStream, stats: &ConnectionStats) {
    let _ = stream.try_write(REFUSAL);
    if stats.refused() {
        tracing::warn!(
            refused_total = stats.refused_total(),
            "connection limit reached; answering new connections 503"
        );
    }
}

/// Asks glibc's allocator to return the free memory it holds to the
/// system: it keeps what closed connections freed in per-thread arenas
/// otherwise, and RSS would stay at the peak of the last flood. Other
/// allocators return memory by themselves.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions; it only walks the heap
    // under the allocator's own locks.
    unsafe {
        libc::malloc_trim(0);
    }
}
