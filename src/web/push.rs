//! `GET|POST /api/push/{token}` (SPEC §2 `push`, §5): a monitored job says
//! it ran. The ping goes to the database, where the probe worker (perhaps
//! another process) finds it. Pings are rate-limited per check in memory,
//! against floods only: a job may ping more often than its interval
//! (retries, several workers), so at least [`BURST`] pings per interval and
//! [`PER_SECOND`] per second are always accepted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use chrono::Utc;
use subtle::ConstantTimeEq;

use super::api_error::ApiError;
use super::state::AppState;
use crate::config::Config;
use crate::domain::{CheckKind, CheckSpec};

/// Pings accepted at once, and at least per interval (SPEC §2: 10).
const BURST: f64 = 10.0;
/// Pings per second always accepted, however long the interval (SPEC §2: 5).
const PER_SECOND: f64 = 5.0;

/// Routes of this module; each router built gets its own rate limiter.
pub fn router() -> Router<AppState> {
    let limiter = Arc::new(RateLimiter::default());
    Router::new()
        .route("/api/push/{token}", get(ping).post(ping))
        .layer(Extension(limiter))
}

#[tracing::instrument(skip_all, fields(check))]
async fn ping(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<RateLimiter>>,
    Path(token): Path<String>,
) -> Response {
    no_store(match record(&state, &limiter, &token).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    })
}

async fn record(state: &AppState, limiter: &RateLimiter, token: &str) -> Result<(), ApiError> {
    let config = Arc::clone(&state.config);
    let check = push_check(&config, token)
        .ok_or_else(|| ApiError::NotFound("no push check has this token".to_owned()))?;
    tracing::Span::current().record("check", check.id.as_str());
    let rate = pings_per_second(check.interval);
    if let Err(wait) = limiter.admit(check.id.as_str(), rate, Instant::now()) {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Err(ApiError::RateLimited {
            message: format!("too many pings: at most {BURST} at once and {rate:.1} per second"),
            retry_after_secs: seconds.max(1),
        });
    }
    Ok(state
        .store
        .record_ping(check.id.as_str(), Utc::now())
        .await?)
}

/// The push check whose token this is; tokens compare in constant time.
fn push_check<'c>(config: &'c Config, token: &str) -> Option<&'c Arc<CheckSpec>> {
    config.checks.iter().find(|c| match &c.kind {
        CheckKind::Push(push) => bool::from(push.token.as_bytes().ct_eq(token.as_bytes())),
        _ => false,
    })
}

/// Answers to pings are about this moment only; no cache may keep them.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The sustained rate a check's pings may keep up: [`BURST`] per interval
/// or [`PER_SECOND`], whichever is more.
fn pings_per_second(interval: Duration) -> f64 {
    let per_interval = BURST / interval.as_secs_f64().max(f64::EPSILON);
    per_interval.max(PER_SECOND)
}

/// A token bucket per key (a configured check id, so memory is bounded):
/// [`BURST`] pings at once, refilled at the key's rate. Any pattern of at most
/// [`BURST`] pings per interval and [`PER_SECOND`] per second stays within it.
#[derive(Debug, Default)]
struct RateLimiter {
    buckets: Mutex<HashMap<String, (Instant, f64)>>,
}

impl RateLimiter {
    /// Counts one ping for `key` at `now`, refilling at `rate` per second;
    /// `Err` holds how long until one more would be accepted.
    fn admit(&self, key: &str, rate: f64, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (at, tokens) = buckets.entry(key.to_owned()).or_insert((now, BURST));
        let refilled = now.saturating_duration_since(*at).as_secs_f64() * rate;
        (*at, *tokens) = (now, (*tokens + refilled).min(BURST));
        if *tokens < 1.0 {
            return Err(Duration::from_secs_f64((1.0 - *tokens) / rate));
        }
        *tokens -= 1.0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_ten_per_interval_or_five_per_second_whichever_is_more() {
        let rate = |ms| pings_per_second(Duration::from_millis(ms));
        assert_eq!(rate(86_400_000), 5.0);
        assert_eq!(rate(2_000), 5.0);
        assert_eq!(rate(1_000), 10.0);
        assert_eq!(rate(100), 100.0);
    }

    #[test]
    fn the_limiter_admits_bursts_and_steady_pings_but_not_floods() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        for n in 0..10 {
            assert_eq!(limiter.admit("a", 5.0, at(0)), Ok(()), "burst ping {n}");
        }
        let wait = limiter
            .admit("a", 5.0, at(0))
            .expect_err("the 11th at once");
        assert!(wait.abs_diff(Duration::from_millis(200)) < Duration::from_millis(1));
        assert_eq!(limiter.admit("b", 5.0, at(0)), Ok(()), "keys apart");
        // Five per second go on forever once the burst is spent.
        for ms in (200..60_000).step_by(200) {
            assert_eq!(limiter.admit("a", 5.0, at(ms)), Ok(()), "{ms} ms");
        }
        // 10 per interval of a day: a burst, refilled over the day at 5/s.
        let flood = (0..100).filter(|_| limiter.admit("c", 5.0, at(0)).is_ok());
        assert_eq!(flood.count(), 10);
    }
}
