//! `GET|POST /api/push/{token}` (SPEC §2 `push`, §5): a monitored job says
//! it ran. The ping goes to the database, where the probe worker (perhaps
//! another process) finds it; pings are rate-limited per token in memory.

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

/// At most this many pings per token per [`WINDOW`]; more are answered 429.
const LIMIT: u32 = 10;
const WINDOW: Duration = Duration::from_secs(10);

/// Routes of this module; each router built gets its own rate limiter.
pub fn router() -> Router<AppState> {
    let limiter = Arc::new(RateLimiter::new(LIMIT, WINDOW));
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
    let config = Arc::clone(&state.snapshot.get().config);
    let check = push_check(&config, token)
        .ok_or_else(|| ApiError::NotFound("no push check has this token".to_owned()))?;
    tracing::Span::current().record("check", check.id.as_str());
    if let Err(wait) = limiter.admit(check.id.as_str(), Instant::now()) {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Err(ApiError::RateLimited {
            message: format!("at most {LIMIT} pings per {}s", WINDOW.as_secs()),
            retry_after_secs: seconds.max(1),
        });
    }
    Ok(state
        .store
        .record_ping(check.id.as_str(), Utc::now())
        .await?)
}

/// The push check whose token this is; tokens compare in constant time.
fn push_check<'c>(config: &'c Config, token: &str) -> Option<&'c CheckSpec> {
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

/// A fixed-window counter per key (a configured check id, so memory is bounded).
#[derive(Debug)]
struct RateLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `key` at `now`; `Err` holds how long until it may try again.
    fn admit(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let (start, count) = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            (*start, *count) = (now, 0);
        }
        if *count >= self.limit {
            return Err(self.window.saturating_sub(now.duration_since(*start)));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_admits_the_limit_per_window_and_per_key() {
        let limiter = RateLimiter::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        for ms in [0, 100, 200] {
            assert_eq!(limiter.admit("a", at(ms)), Ok(()), "{ms}");
        }
        assert_eq!(
            limiter.admit("a", at(2_500)),
            Err(Duration::from_millis(7_500))
        );
        assert_eq!(
            limiter.admit("b", at(2_500)),
            Ok(()),
            "keys are counted apart"
        );
        assert_eq!(limiter.admit("a", at(10_000)), Ok(()), "a new window");
    }
}
