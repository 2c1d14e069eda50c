//! Defect 5 of issue 10: a separate `beacon probe` stops (SIGSTOP). /readyz
//! fails as soon as the data is stale (3 intervals, SPEC §3), naming the
//! check, without waiting for a snapshot rebuild; SIGCONT makes it ready.

use std::time::{Duration, Instant};

use crate::beacon::{Beacon, Sink, client, config, database_in, get_json, scratch, wait_until};

#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_prober_fails_readiness_within_two_intervals_of_going_stale() {
    let dir = scratch();
    let database = database_in(dir.path());
    let sink = Sink::start();
    let config = config(sink.addr, "1s", "");
    let server = Beacon::start(dir.path(), &config, &database, &["serve", "--no-probe"]);
    let prober = Beacon::start(dir.path(), &config, &database, &["probe"]);
    let http = client();
    wait_until(
        Duration::from_secs(10),
        "ready with the prober's results",
        || async { get_json(&http, &server.url("/readyz")).await.0 == 200 },
    )
    .await;

    prober.signal("-STOP");
    let stopped = Instant::now();
    let noticed = wait_until(Duration::from_secs(10), "readyz fails", || async {
        let (status, body) = get_json(&http, &server.url("/readyz")).await;
        status == 503 && body["stale_checks"] == serde_json::json!(["api-tcp"])
    })
    .await;
    eprintln!("readyz failed {noticed:?} after the prober stopped (stale at 3 s)");
    // Stale 3 intervals after the last result; allowed: 2 more intervals.
    assert!(noticed <= Duration::from_secs(5), "{noticed:?}");
    assert!(
        stopped.elapsed() >= Duration::from_secs(2),
        "not before the data is stale"
    );
    let (_, body) = get_json(&http, &server.url("/readyz")).await;
    assert_eq!(body["database"], "ok", "{body}");

    prober.signal("-CONT");
    let back = wait_until(Duration::from_secs(10), "ready again", || async {
        get_json(&http, &server.url("/readyz")).await.0 == 200
    })
    .await;
    eprintln!("ready again {back:?} after SIGCONT");
}
