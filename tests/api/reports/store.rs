//! Reports in the store, on both backends: the per-client limit, the spike
//! (once, even when two servers file its reports at once), the listing,
//! the public count and pruning.

use std::net::{IpAddr, Ipv4Addr};

use beacon::config::Reports;
use beacon::domain::EventKind;
use beacon::store::{Filed, Store};
use chrono::{DateTime, TimeZone, Utc};

use crate::databases::TestDatabase;

fn at(m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 10, m, s).unwrap()
}

fn client(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(203, 0, 113, n))
}

/// How many `reports.spike` events are waiting in the outbox.
async fn spikes(store: &Store) -> usize {
    let events = store.events_to_fan_out(100).await.unwrap();
    events
        .iter()
        .filter(|e| e.kind == EventKind::ReportsSpike)
        .count()
}

store_test!(async fn limits_spikes_lists_counts_and_prunes(store, _url) {
    let rules = Reports::default();
    for n in 0..3 {
        let filed = store
            .file_report("api", client(1), "slow", &rules, at(0, n))
            .await
            .unwrap();
        assert_eq!(filed, Filed::Stored { spike: None });
    }
    let fourth = store.file_report("api", client(1), "", &rules, at(0, 5)).await;
    assert_eq!(fourth.unwrap(), Filed::Limited, "three per client and hour");
    let other = store.file_report("web", client(1), "", &rules, at(0, 6)).await;
    assert_eq!(other.unwrap(), Filed::Stored { spike: None }, "per component");

    for n in 2..5 {
        let filed = store
            .file_report("api", client(n), "", &rules, at(1, u32::from(n)))
            .await
            .unwrap();
        assert_eq!(filed, Filed::Stored { spike: None }, "reporter {n}");
    }
    let Filed::Stored { spike: Some(spike) } = store
        .file_report("api", client(5), "down for me", &rules, at(2, 0))
        .await
        .unwrap()
    else {
        panic!("the fifth reporter makes a spike");
    };
    assert_eq!(spike.count, 5);
    assert_eq!(spike.notes, ["down for me", "slow", "slow", "slow"]);
    let sixth = store.file_report("api", client(6), "", &rules, at(3, 0)).await;
    assert_eq!(sixth.unwrap(), Filed::Stored { spike: None }, "once per window");
    assert_eq!(spikes(&store).await, 1);

    let (listed, total) = store.reports(Some("api"), 0, 3).await.unwrap();
    assert_eq!(total, 8);
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].at(), at(3, 0), "newest first");
    assert!(listed[1].spike && !listed[0].spike && !listed[2].spike);
    let counts = store.reporters_since(at(0, 0)).await.unwrap();
    assert_eq!((counts["api"], counts["web"]), (6, 1));

    assert_eq!(store.prune_reports(at(1, 0)).await.unwrap(), 4);
    assert_eq!(store.reports(None, 0, 50).await.unwrap().1, 5);
});

store_test!(async fn two_servers_filing_at_once_make_one_spike(store, url) {
    let other = Store::open(url).await.unwrap();
    let rules = Reports::default();
    let now = at(0, 0);
    let mut filing = Vec::new();
    for n in 0..12u8 {
        let server = if n % 2 == 0 { store.clone() } else { other.clone() };
        let rules = rules.clone();
        filing.push(tokio::spawn(async move {
            server.file_report("api", client(n), "", &rules, now).await
        }));
    }
    let mut made = 0;
    for f in filing {
        if let Filed::Stored { spike: Some(_) } = f.await.unwrap().unwrap() {
            made += 1;
        }
    }
    assert_eq!(made, 1, "one burst, one spike");
    assert_eq!(spikes(&store).await, 1);
    assert_eq!(store.reports(None, 0, 50).await.unwrap().1, 12);
});
