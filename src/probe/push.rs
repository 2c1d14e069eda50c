//! `kind = "push"`: judged from the last ping in the database, with no
//! network I/O (SPEC §2). The web server records pings; this only reads them.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Attempt;
use crate::domain::{CheckSpec, PushCheck};
use crate::store::Store;

/// One evaluation at `now`; `None` = nothing to record (never pinged, or the
/// database could not be read: that says nothing about the monitored job).
pub async fn run(
    store: &Store,
    spec: &CheckSpec,
    push: &PushCheck,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Attempt> {
    let read = tokio::time::timeout(spec.timeout, store.last_ping(spec.id.as_str())).await;
    let last_ping = match read {
        Ok(Ok(last_ping)) => last_ping,
        Ok(Err(e)) => {
            tracing::warn!(check = %spec.id, error = %e, "cannot read the last ping");
            return None;
        }
        Err(_) => {
            tracing::warn!(check = %spec.id, "reading the last ping timed out");
            return None;
        }
    };
    judge(spec.interval + push.grace, last_ping, started, now)
}

/// SPEC §2: no data until the first ping; failed when no ping came within
/// `window` (interval + grace) of the later of `started` (the worker's
/// start-up) and the last ping; ok otherwise, without a latency.
fn judge(
    window: Duration,
    last_ping: Option<DateTime<Utc>>,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Attempt> {
    let since = last_ping?.max(started);
    let waited = (now - since).to_std().unwrap_or(Duration::ZERO);
    if waited > window {
        Some(Attempt::failed(
            format!("no ping within {}", compact(window)),
            None,
        ))
    } else {
        Some(Attempt {
            failure: None,
            latency: None,
        })
    }
}

/// A duration as `25h`, `1m30s` or `750ms`: hours never roll into days.
fn compact(d: Duration) -> String {
    let ms = d.as_millis();
    let parts = [
        (ms / 3_600_000, "h"),
        (ms / 60_000 % 60, "m"),
        (ms / 1_000 % 60, "s"),
        (ms % 1_000, "ms"),
    ];
    let text: String = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if text.is_empty() {
        "0s".to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn judging_pings() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let s = |secs| start + TimeDelta::seconds(secs);
        let window = Duration::from_secs(90);
        let late = Some("no ping within 1m30s");
        #[rustfmt::skip]
        let cases = [
            ("never pinged", None, s(1_000), None),
            ("pinged just now", Some(s(100)), s(101), Some(None)),
            ("within the window", Some(s(100)), s(190), Some(None)),
            ("past the window", Some(s(100)), s(191), Some(late)),
            ("old ping, worker just started", Some(s(-5_000)), s(60), Some(None)),
            ("old ping, start-up window over", Some(s(-5_000)), s(91), Some(late)),
            ("clock behind the ping", Some(s(100)), s(50), Some(None)),
        ];
        for (name, last_ping, now, want) in cases {
            let got = judge(window, last_ping, start, now);
            let got = got.map(|a| a.failure);
            let want = want.map(|w| w.map(str::to_owned));
            assert_eq!(got, want, "{name}");
        }
        let hours = Duration::from_secs(25 * 3600);
        assert_eq!(compact(hours), "25h");
        assert_eq!(compact(Duration::from_millis(61_500)), "1m1s500ms");
        assert_eq!(compact(Duration::ZERO), "0s");
        let ms = judge(Duration::from_millis(750), Some(s(0)), start, s(1));
        assert_eq!(
            ms.and_then(|a| a.failure).as_deref(),
            Some("no ping within 750ms")
        );
    }
}
