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

/// SPEC §2: no data until the first ping or until `window` (interval +
/// grace) has passed since `started` (the worker's start-up), whichever
/// comes first; failed when no ping came within `window` of the later of
/// `started` and the last ping; ok otherwise, without a latency.
fn judge(
    window: Duration,
    last_ping: Option<DateTime<Utc>>,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Attempt> {
    let since = last_ping.map_or(started, |ping| ping.max(started));
    let waited = (now - since).to_std().unwrap_or(Duration::ZERO);
    match (waited > window, last_ping) {
        (false, None) => None,
        (false, Some(_)) => Some(Attempt {
            failure: None,
            latency: None,
        }),
        (true, None) => Some(Attempt::failed(
            format!("no ping within {} of start-up", compact(window)),
            None,
        )),
        (true, Some(_)) => Some(Attempt::failed(
            format!("no ping within {}", compact(window)),
            None,
        )),
    }
}

/// When the worker first judges a push check: just after its start-up
/// window (interval + grace) closes, in the phase of its interval, so a job
/// that never pings is down at `interval + grace`, not up to an interval
/// later. Later judgements follow one interval apart.
pub fn first_judgement(interval: Duration, grace: Duration) -> Duration {
    const JUST_AFTER: Duration = Duration::from_millis(50);
    let due = interval + grace + JUST_AFTER;
    let (due_ns, interval_ns) = (due.as_nanos(), interval.as_nanos().max(1));
    Duration::from_nanos(u64::try_from(due_ns % interval_ns).unwrap_or(0))
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
            ("never pinged, window open", None, s(90), None),
            ("never pinged, window over", None, s(91), Some(Some("no ping within 1m30s of start-up"))),
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

    #[test]
    fn the_first_judgement_falls_just_after_the_start_up_window() {
        let (ms, secs) = (Duration::from_millis, Duration::from_secs);
        #[rustfmt::skip]
        let cases = [
            // (interval, grace, first judgement): then every interval.
            (secs(2), secs(1), ms(1_050)),       // 1.05, 3.05 s, ...
            (secs(60), secs(30), ms(30_050)),    // 30.05, 90.05 s, ...
            (secs(10), secs(10), ms(50)),        // 0.05, ..., 20.05 s, ...
            (ms(500), ms(250), ms(300)),         // 0.3, 0.8 s, ...
        ];
        for (interval, grace, want) in cases {
            let first = first_judgement(interval, grace);
            assert_eq!(first, want, "{interval:?} + {grace:?}");
            let window = interval + grace;
            let mut at = first;
            while at <= window {
                at += interval;
            }
            assert!(at - window <= ms(50), "judged {at:?}, window {window:?}");
        }
    }
}
