//! The outbox when several processes share one database, on both
//! backends: what PostgreSQL's READ COMMITTED would let two processes do
//! twice (claim one delivery, announce one check change) happens once.
//! Each "process" is a second [`Store`] opened on the same URL: its own
//! pool, its own connections, as a second `beacon serve` would have.

use std::collections::HashSet;

use beacon::domain::{EventKind, NewMaintenance, Outcome};
use beacon::duties::announce;
use beacon::status::{CheckState, Tracker};
use beacon::store::{NewDelivery, Store};
use chrono::{DateTime, TimeZone, Utc};

use crate::databases::TestDatabase;
use crate::helpers::{api_health_config, recorded};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, h, m, 0).unwrap()
}

const DELIVERIES: usize = 120;

/// One sender's loop: every due delivery it can take, until none is due.
async fn claim_all(store: Store) -> Vec<String> {
    let mut claimed = Vec::new();
    loop {
        let due = store.due_deliveries(at(9, 0), 40).await.unwrap();
        if due.is_empty() {
            return claimed;
        }
        for d in &due {
            if store.claim_delivery(d, at(9, 30)).await.unwrap() {
                claimed.push(d.id.clone());
            }
        }
    }
}

store_test!(async fn two_senders_never_claim_one_delivery_twice(store, url) {
    let window = NewMaintenance {
        title: "DB upgrade".into(),
        body: String::new(),
        starts_at: at(10, 0),
        ends_at: at(11, 0),
        components: vec![],
        notify: true,
    };
    store.create_maintenance(&window, at(9, 0)).await.unwrap();
    let event = store.events_to_fan_out(10).await.unwrap().remove(0);
    let targets: Vec<NewDelivery> = (0..DELIVERIES)
        .map(|n| NewDelivery {
            target: format!("hook-{n}"),
            recipient: String::new(),
            payload: "{}".into(),
        })
        .collect();
    store.fan_out(event.id, &targets, at(9, 0)).await.unwrap();

    let other = Store::open(url).await.unwrap();
    // Two senders in each process, all walking the same due list.
    let senders = [store.clone(), store.clone(), other.clone(), other];
    let runs: Vec<_> = senders.into_iter().map(|s| tokio::spawn(claim_all(s))).collect();
    let mut all = Vec::new();
    for run in runs {
        all.extend(run.await.unwrap());
    }
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(distinct.len(), DELIVERIES, "every delivery is claimed");
    assert_eq!(all.len(), DELIVERIES, "and none twice");
    let listed = store.deliveries(Some("pending"), 500, 0).await.unwrap();
    assert_eq!(listed.len(), DELIVERIES);
    assert!(
        listed.iter().all(|d| d.attempts == 1),
        "one attempt counted each: {:?}",
        listed.iter().map(|d| d.attempts).collect::<Vec<_>>()
    );
});

store_test!(async fn two_announcers_at_once_announce_each_check_change_once(store, url) {
    // The incidents lease lets one process announce at a time; a stalled
    // holder waking up beside its heir still announces nothing twice.
    let other = Store::open(url).await.unwrap();
    let config = api_health_config();
    let mut tracker = Tracker::NEW;
    let mut want = Vec::new();
    for (round, outcome) in [Outcome::Failed, Outcome::Ok, Outcome::Failed, Outcome::Ok]
        .into_iter()
        .enumerate()
    {
        tracker = tracker.next(outcome, 1, 1);
        if tracker.state == Some(CheckState::Down) {
            want.push(EventKind::CheckDown);
        } else {
            want.push(EventKind::CheckUp);
        }
        want.push(EventKind::ComponentStatus);
        let minute = u32::try_from(round).unwrap();
        let mut r = recorded("api-health", at(11, minute), outcome, 5);
        r.tracker = tracker;
        store.record(&[r]).await.unwrap();
        // Both processes see the same change and announce it at once.
        let (ra, rb) = tokio::join!(
            announce::load_and_run(&store, &config, at(11, minute)),
            announce::load_and_run(&other, &config, at(11, minute)),
        );
        assert_eq!(ra.unwrap() + rb.unwrap(), 2, "round {round}");
    }
    let kinds: Vec<EventKind> = store
        .events_to_fan_out(100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, want);
});
