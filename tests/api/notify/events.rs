//! The outbox in the store, on both backends: which writes record which
//! events (once), the delivery lifecycle, and subscribers' opt-in and
//! unsubscribe tokens.

use beacon::domain::{
    EventKind, Impact, IncidentStatus, MaintenanceEdit, NewIncident, NewMaintenance, NewUpdate,
    Outcome,
};
use beacon::duties::announce;
use beacon::status::Tracker;
use beacon::store::{Attempted, NewDelivery, SignUp, Store, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::databases::TestDatabase;
use crate::helpers::{api_health_config, component_id, recorded};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, h, m, 0).unwrap()
}

/// The kinds recorded since the last call (fanning them out to nobody).
async fn drain(store: &Store) -> Vec<(EventKind, bool)> {
    let events = store.events_to_fan_out(100).await.unwrap();
    for e in &events {
        store.fan_out(e.id, &[], at(0, 0)).await.unwrap();
    }
    events.iter().map(|e| (e.kind, e.subscribers)).collect()
}

fn window(start: DateTime<Utc>, hours: i64, notify: bool) -> NewMaintenance {
    NewMaintenance {
        title: "DB upgrade".into(),
        body: String::new(),
        starts_at: start,
        ends_at: start + Duration::hours(hours),
        components: vec![component_id("api")],
        notify,
    }
}

store_test!(async fn maintenance_edges_are_recorded_once_each_and_notify_false_is_kept(store, _url) {
    use EventKind::*;
    let m = store
        .create_maintenance(&window(at(10, 0), 1, false), at(9, 0))
        .await
        .unwrap();
    assert_eq!(drain(&store).await, [(MaintenanceScheduled, false)]);
    store.record_maintenance_edges(at(9, 59)).await.unwrap();
    assert_eq!(drain(&store).await, []);
    for _ in 0..2 {
        store.record_maintenance_edges(at(10, 1)).await.unwrap();
    }
    assert_eq!(drain(&store).await, [(MaintenanceStarted, false)], "once");
    let early = MaintenanceEdit {
        complete: true,
        ..MaintenanceEdit::default()
    };
    store
        .edit_maintenance(&m.id, &early, at(10, 30))
        .await
        .unwrap();
    store.record_maintenance_edges(at(11, 5)).await.unwrap();
    assert_eq!(
        drain(&store).await,
        [(MaintenanceCompleted, false)],
        "completed early, once"
    );

    let backfilled = window(at(1, 0), 1, true);
    store
        .create_maintenance(&backfilled, at(9, 0))
        .await
        .unwrap();
    store.record_maintenance_edges(at(9, 1)).await.unwrap();
    assert_eq!(
        drain(&store).await,
        [],
        "a window already over announces nothing"
    );

    let now = store
        .create_maintenance(&window(at(8, 0), 3, true), at(9, 0))
        .await
        .unwrap();
    assert_eq!(drain(&store).await, [(MaintenanceStarted, true)]);
    for _ in 0..2 {
        store.cancel_maintenance(&now.id, at(9, 10)).await.unwrap();
    }
    store.record_maintenance_edges(at(12, 0)).await.unwrap();
    assert_eq!(
        drain(&store).await,
        [(MaintenanceCancelled, true)],
        "cancelled once, no end"
    );
});

store_test!(async fn incidents_and_check_state_changes_record_their_events(store, _url) {
    use EventKind::*;
    let new = NewIncident {
        title: "Slow".into(),
        status: IncidentStatus::Investigating,
        impact: Impact::Minor,
        body: "b".into(),
        components: vec![],
        auto_component: None,
        notify: false,
    };
    let incident = store.create_incident(&new, at(10, 0)).await.unwrap();
    for (status, notify) in [
        (IncidentStatus::Monitoring, true),
        (IncidentStatus::Resolved, true),
    ] {
        let update = NewUpdate {
            status,
            body: "u".into(),
            components: vec![],
            impact: None,
            notify,
        };
        store
            .add_incident_update(&incident.id, &update, at(10, 5))
            .await
            .unwrap();
    }
    assert_eq!(
        drain(&store).await,
        [
            (IncidentOpened, false),
            (IncidentUpdated, true),
            (IncidentResolved, true)
        ]
    );

    // Check and component changes are announced by the incidents lease's
    // holder from the recorded states (`beacon::duties::announce`).
    let config = api_health_config();
    let mut tracker = Tracker::NEW;
    for (minute, outcome) in [
        (1, Outcome::Ok),
        (2, Outcome::Failed),
        (3, Outcome::Failed),
        (4, Outcome::Ok),
    ] {
        let mut r = recorded("api-health", at(11, minute), outcome, 5);
        tracker = tracker.next(outcome, 1, 1);
        r.tracker = tracker;
        store.record(&[r]).await.unwrap();
        announce::load_and_run(&store, &config, at(11, minute))
            .await
            .unwrap();
    }
    let kinds: Vec<EventKind> = drain(&store).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        kinds,
        [CheckDown, ComponentStatus, CheckUp, ComponentStatus]
    );
});

store_test!(async fn a_delivery_is_fanned_out_once_claimed_once_and_listed_with_its_last_error(store, _url) {
    store
        .create_maintenance(&window(at(10, 0), 1, true), at(9, 0))
        .await
        .unwrap();
    let event = store.events_to_fan_out(10).await.unwrap().remove(0);
    let d = NewDelivery {
        target: "ops".into(),
        recipient: String::new(),
        payload: "{}".into(),
    };
    store
        .fan_out(event.id, std::slice::from_ref(&d), at(9, 0))
        .await
        .unwrap();
    store.fan_out(event.id, &[d], at(9, 0)).await.unwrap();
    let due = store.due_deliveries(at(9, 0), 10).await.unwrap();
    assert_eq!(due.len(), 1, "fanned out once");
    assert!(store.claim_delivery(&due[0], at(9, 1)).await.unwrap());
    assert!(
        !store.claim_delivery(&due[0], at(9, 1)).await.unwrap(),
        "claimed once"
    );
    assert!(
        store.due_deliveries(at(9, 0), 10).await.unwrap().is_empty(),
        "held while in flight"
    );
    let retry = Attempted::RetryAt(at(9, 5), "HTTP 500".into());
    store
        .finish_attempt(&due[0].id, &retry, at(9, 0))
        .await
        .unwrap();
    let pending = store.deliveries(Some("pending"), 10, 0).await.unwrap();
    assert_eq!(pending[0].attempts, 1);
    assert_eq!(pending[0].last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(pending[0].event, "maintenance.scheduled");
    let again = store.due_deliveries(at(9, 5), 10).await.unwrap();
    assert_eq!(
        (again[0].id.as_str(), again[0].attempts),
        (due[0].id.as_str(), 1),
        "same id"
    );
    assert!(store.claim_delivery(&again[0], at(9, 6)).await.unwrap());
    store
        .finish_attempt(&due[0].id, &Attempted::Delivered, at(9, 5))
        .await
        .unwrap();
    assert!(
        store
            .deliveries(Some("pending"), 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .deliveries(Some("delivered"), 10, 0)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.delivery_counts().await.unwrap(),
        [("ops".to_owned(), "delivered".to_owned(), 1)]
    );
});

store_test!(async fn sign_ups_confirm_once_expire_after_48_hours_and_unsubscribe_tokens_are_checked(store, _url) {
    let components = vec![component_id("api")];
    let first = store
        .sign_up(
            "v@example.com",
            &components,
            "tok-1",
            |id| format!("mail for {id}"),
            at(9, 0),
        )
        .await
        .unwrap();
    let SignUp::Queued(id) = first else {
        panic!("queued")
    };
    let again = store
        .sign_up(
            "v@example.com",
            &components,
            "tok-2",
            |_| "m".into(),
            at(9, 1),
        )
        .await
        .unwrap();
    assert_eq!(
        again,
        SignUp::Queued(id.clone()),
        "a pending sign-up is refreshed"
    );
    assert!(matches!(
        store.confirm_subscriber("tok-1", at(9, 2)).await,
        Err(StoreError::NotFound)
    ));
    let confirmed = store.confirm_subscriber("tok-2", at(9, 2)).await.unwrap();
    assert_eq!(
        (confirmed.id.as_str(), confirmed.confirmed_at),
        (id.as_str(), Some(at(9, 2)))
    );
    let known = store
        .sign_up("v@example.com", &[], "tok-3", |_| "m".into(), at(9, 3))
        .await;
    assert_eq!(known.unwrap(), SignUp::AlreadyConfirmed);

    store
        .sign_up("late@example.com", &[], "tok-4", |_| "m".into(), at(9, 0))
        .await
        .unwrap();
    let later = at(9, 0) + Duration::hours(49);
    assert!(
        store.confirm_subscriber("tok-4", later).await.is_err(),
        "expired"
    );
    assert_eq!(store.expire_sign_ups(later).await.unwrap(), 1);

    let hook = store
        .add_webhook_subscriber("https://h.example/x", None, &[], at(9, 0))
        .await
        .unwrap();
    let for_web: Vec<String> = store
        .subscribers_for(&[component_id("web")])
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        for_web,
        std::slice::from_ref(&hook.id),
        "api-only subscriber left out"
    );
    assert_eq!(store.subscribers_for(&components).await.unwrap().len(), 2);

    let token = store.unsubscribe_token(&id).await.unwrap();
    assert_eq!(store.check_unsubscribe_token(&token).await.unwrap(), id);
    let forged = format!("{}.{}", hook.id, token.split_once('.').unwrap().1);
    assert!(store.check_unsubscribe_token(&forged).await.is_err());
    assert!(store.check_unsubscribe_token("nodot").await.is_err());
    store.delete_subscriber(&id).await.unwrap();
    assert!(matches!(
        store.delete_subscriber(&id).await,
        Err(StoreError::NotFound)
    ));
});
