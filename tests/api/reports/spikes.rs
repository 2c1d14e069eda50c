//! Distinct reporters make one spike a window: by client address, and by
//! `X-Forwarded-For` only from a trusted proxy.

use super::*;

#[tokio::test]
async fn five_reporters_make_one_spike_four_none_and_a_sixth_no_second() {
    five_reporters_make_one_spike_on(None).await;
}

/// The spike test on the database `db` (default: a new SQLite file).
pub async fn five_reporters_make_one_spike_on(db: Option<&str>) {
    let hook = HookReceiver::start(None).await;
    let server = Server::start_on(&with_hook(&hook), db).await;
    for n in 2..=5 {
        assert_eq!(
            server.report(&client_from(n), "api", "login fails").await,
            200
        );
    }
    // One client many times is one reporter.
    assert_eq!(server.report(&client_from(2), "api", "still").await, 200);
    assert_eq!(spikes(&server, "api").await, 0, "four reporters: no spike");
    barrier(&server, &hook, 1).await;
    assert_eq!(
        hook.accepted_events("reports.spike"),
        0,
        "four reporters page no one"
    );

    assert_eq!(
        server.report(&client_from(6), "api", "500 on /login").await,
        200
    );
    let list = server.reports("?component=api").await;
    assert_eq!(list["total"], 6);
    let spiked: Vec<&Value> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["spike"] == true)
        .collect();
    assert_eq!(spiked.len(), 1, "the fifth reporter makes the spike");
    assert_eq!(spiked[0]["note"], "500 on /login");
    wait_until(
        std::time::Duration::from_secs(15),
        "reports.spike at the webhook",
        || async { hook.accepted_events("reports.spike") == 1 },
    )
    .await;
    let delivery = hook
        .requests()
        .into_iter()
        .find(|r| r.header("x-beacon-event") == "reports.spike")
        .unwrap()
        .json();
    assert_eq!(delivery["event"], "reports.spike");
    assert_eq!(delivery["component"]["id"], "api");
    assert_eq!(delivery["reports"]["count"], 5);
    assert_eq!(delivery["reports"]["window_seconds"], 600);
    let notes = delivery["reports"]["notes"].as_array().unwrap();
    assert_eq!(notes[0], "500 on /login", "latest first");
    assert_eq!(notes.len(), 5, "every note of the window, up to five");

    assert_eq!(server.report(&client_from(7), "api", "me too").await, 200);
    assert_eq!(
        spikes(&server, "api").await,
        1,
        "no second spike in the window"
    );
    assert_eq!(spikes(&server, "web").await, 0, "per component");
    barrier(&server, &hook, 2).await;
    assert_eq!(
        hook.accepted_events("reports.spike"),
        1,
        "the sixth pages no one"
    );
}

#[tokio::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    let server = Server::start(&config("")).await;
    let untrusted = client_from(10);
    for n in 1..=3 {
        let forwarded = format!("198.51.100.{n}");
        let body = b"note=".to_vec();
        let (status, ..) = server
            .report_raw(&untrusted, "api", body, Some(&forwarded))
            .await;
        assert_eq!(status, 200);
    }
    // The header was ignored: all three came from 127.0.0.10, whose hour is used up.
    let (status, ..) = server
        .report_raw(&untrusted, "api", b"note=".to_vec(), Some("198.51.100.4"))
        .await;
    assert_eq!(
        status, 429,
        "an untrusted peer's X-Forwarded-For is ignored"
    );
    let list = server.reports("?component=api").await;
    let reporters: std::collections::HashSet<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reporter"].as_str().unwrap())
        .collect();
    assert_eq!(reporters.len(), 1);

    let proxy = client_from(9);
    for n in 1..=4 {
        let forwarded = format!("203.0.113.66, 198.51.100.{n}");
        let (status, ..) = server
            .report_raw(&proxy, "web", b"note=".to_vec(), Some(&forwarded))
            .await;
        assert_eq!(status, 200);
    }
    assert_eq!(spikes(&server, "web").await, 0, "four forwarded reporters");
    let (status, ..) = server
        .report_raw(&proxy, "web", b"note=".to_vec(), Some("198.51.100.5"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(spikes(&server, "web").await, 1, "five forwarded reporters");
    let list = server.reports("?component=web").await;
    let hashes: Vec<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reporter"].as_str().unwrap())
        .collect();
    assert!(
        hashes
            .iter()
            .all(|h| h.len() == 64 && !h.contains("198.51"))
    );
}
