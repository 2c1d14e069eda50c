//! The store against a real SQLite file and a real PostgreSQL database (each
//! test runs on both): every function, its errors, and the revision that
//! tells other processes data changed.

use beacon::domain::{
    ComponentStatus, Impact, IncidentEdit, IncidentId, IncidentStatus, MaintenanceEdit,
    MaintenanceId, NewIncident, NewMaintenance, NewUpdate, Outcome,
};
use beacon::store::{Backend, Store, StoreError, generate_token, hash_token};

use crate::databases::TestDatabase;

use crate::helpers::{component_id, recorded as result};
use chrono::{DateTime, TimeZone, Utc};

/// A well-formed incident id that names no incident.
fn unknown_incident() -> IncidentId {
    IncidentId::parse("000000000000").unwrap()
}

/// A well-formed maintenance id that names no maintenance.
fn unknown_maintenance() -> MaintenanceId {
    MaintenanceId::parse("000000000000").unwrap()
}

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
}

store_test!(async fn results_feed_states_rollups_and_the_revision(store, _url) {
    let r0 = store.revision().await.unwrap();
    let mut excluded = result("a", at(10, 2), Outcome::Failed, 0);
    excluded.counted = false;
    store
        .record(&[
            result("a", at(10, 0), Outcome::Ok, 100),
            result("a", at(10, 1), Outcome::Failed, 300),
            excluded,
            result("b", at(11, 0), Outcome::Slow, 900),
        ])
        .await
        .unwrap();
    assert!(store.revision().await.unwrap() > r0);

    let mut states = store.check_states().await.unwrap();
    states.sort_by(|x, y| x.check_id.cmp(&y.check_id));
    assert_eq!(states.len(), 2);
    assert_eq!(states[0].last_result_at, at(10, 2));
    assert_eq!(
        states[0].last_failure.as_ref().map(|f| f.0),
        Some(at(10, 2))
    );
    assert_eq!(states[1].last_latency_ms, Some(900));
    assert_eq!(states[1].last_failure, None, "slow is not a failure");

    let counts = store.daily_counts(at(0, 0).date_naive()).await.unwrap();
    let a = counts.iter().find(|(c, _)| c == "a").unwrap().1;
    assert_eq!(
        (a.good, a.total),
        (1, 2),
        "the excluded result is not counted"
    );

    let hourly = store.hourly_latency("a", at(9, 0)).await.unwrap();
    assert_eq!(hourly.len(), 1);
    assert!((hourly[0].ms - 400.0 / 3.0).abs() < 1e-9, "{hourly:?}");
    assert_eq!(
        store.latency_samples("a", at(10, 1)).await.unwrap().len(),
        2
    );

    assert_eq!(store.prune_results(at(10, 30)).await.unwrap(), 3);
    assert!(
        store
            .latency_samples("a", at(0, 0))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .daily_counts(at(0, 0).date_naive())
            .await
            .unwrap()
            .len(),
        2,
        "rollups survive pruning"
    );
});

store_test!(async fn incidents_keep_their_timeline_and_component_changes(store, _url) {
    let new = NewIncident {
        title: "Slow API".into(),
        status: IncidentStatus::Investigating,
        impact: Impact::Minor,
        body: "Looking".into(),
        components: vec![(component_id("api"), ComponentStatus::DegradedPerformance)],
        auto_component: None,
        notify: true,
    };
    let created = store.create_incident(&new, at(10, 0)).await.unwrap();
    assert_eq!(created.id.as_str().len(), 12);
    assert!(created.is_open());
    let update = NewUpdate {
        status: IncidentStatus::Monitoring,
        body: "Fixed, watching".into(),
        components: vec![(component_id("api"), ComponentStatus::PartialOutage)],
        impact: Some(Impact::Major),
        notify: true,
    };
    let updated = store
        .add_incident_update(&created.id, &update, at(10, 5))
        .await
        .unwrap();
    assert_eq!(updated.impact, Impact::Major);
    assert_eq!(updated.monitoring_at, Some(at(10, 5)));
    assert_eq!(updated.updates.len(), 2);
    assert_eq!(updated.updates[0].body, "Fixed, watching", "newest first");
    let change = &updated.updates[0].affected[0];
    assert_eq!(
        (change.old_status, change.new_status),
        (
            ComponentStatus::DegradedPerformance,
            ComponentStatus::PartialOutage
        )
    );

    let resolve = NewUpdate {
        status: IncidentStatus::Resolved,
        body: "Done".into(),
        components: vec![],
        impact: None,
        notify: true,
    };
    let resolved = store
        .add_incident_update(&created.id, &resolve, at(11, 0))
        .await
        .unwrap();
    assert_eq!(resolved.resolved_at, Some(at(11, 0)));
    assert!(store.recent_incidents(at(11, 1)).await.unwrap().is_empty());
    assert_eq!(store.recent_incidents(at(10, 59)).await.unwrap().len(), 1);

    let edit = IncidentEdit {
        title: Some("Slower API".into()),
        ..Default::default()
    };
    assert_eq!(
        store
            .edit_incident(&created.id, &edit, at(12, 0))
            .await
            .unwrap()
            .title,
        "Slower API"
    );
    assert_eq!(store.incidents(10, 0).await.unwrap().len(), 1);
    assert_eq!(store.incident_count().await.unwrap(), 1);
    store.delete_incident(&created.id).await.unwrap();
    assert!(matches!(
        store.incident(&created.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_incident(&created.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.add_incident_update(&unknown_incident(), &resolve, at(1, 0)).await,
        Err(StoreError::NotFound)
    ));
});

store_test!(async fn auto_incidents_are_found_by_component(store, _url) {
    let new = NewIncident {
        title: "API down".into(),
        status: IncidentStatus::Investigating,
        impact: Impact::Major,
        body: "x".into(),
        components: vec![],
        auto_component: Some(component_id("api")),
        notify: true,
    };
    let created = store.create_incident(&new, at(10, 0)).await.unwrap();
    assert_eq!(
        store.open_auto_components().await.unwrap(),
        vec!["api".to_owned()]
    );
    assert_eq!(
        store.open_auto_incident(&component_id("api")).await.unwrap().map(|i| i.id),
        Some(created.id.clone())
    );
    assert_eq!(store.open_auto_incident(&component_id("web")).await.unwrap(), None);
});

store_test!(async fn maintenances_are_edited_completed_and_cancelled_but_kept(store, _url) {
    let new = NewMaintenance {
        title: "Upgrade".into(),
        body: "Planned".into(),
        starts_at: at(12, 0),
        ends_at: at(13, 0),
        components: vec![component_id("db"), component_id("api")],
        notify: true,
    };
    let m = store.create_maintenance(&new, at(10, 0)).await.unwrap();
    assert_eq!(m.components, vec!["api".to_owned(), "db".to_owned()]);
    let edit = MaintenanceEdit {
        ends_at: Some(at(14, 0)),
        components: Some(vec![component_id("db")]),
        ..Default::default()
    };
    let m2 = store
        .edit_maintenance(&m.id, &edit, at(10, 1))
        .await
        .unwrap();
    assert_eq!(
        (m2.ends_at, m2.components.clone()),
        (at(14, 0), vec![component_id("db")])
    );
    let done = MaintenanceEdit {
        complete: true,
        ..Default::default()
    };
    assert_eq!(
        store
            .edit_maintenance(&m.id, &done, at(12, 30))
            .await
            .unwrap()
            .completed_early_at,
        Some(at(12, 30))
    );
    assert_eq!(
        store
            .maintenances_ending_after(at(12, 31))
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        store
            .maintenances_ending_after(at(12, 29))
            .await
            .unwrap()
            .len(),
        1
    );

    let other = store.create_maintenance(&new, at(10, 0)).await.unwrap();
    let cancelled = store
        .cancel_maintenance(&other.id, at(11, 0))
        .await
        .unwrap();
    assert_eq!(cancelled.cancelled_at, Some(at(11, 0)));
    assert_eq!(
        store.maintenances(10, 0).await.unwrap().len(),
        2,
        "cancelled ones are kept"
    );
    assert_eq!(store.maintenance_count().await.unwrap(), 2);
    assert!(matches!(
        store.cancel_maintenance(&unknown_maintenance(), at(1, 0)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.edit_maintenance(&unknown_maintenance(), &done, at(1, 0)).await,
        Err(StoreError::NotFound)
    ));
});

store_test!(async fn overrides_pin_and_release(store, _url) {
    let pin = store
        .set_override(
            "api",
            ComponentStatus::MajorOutage,
            Some(at(12, 0)),
            at(10, 0),
        )
        .await
        .unwrap();
    assert!(pin.in_force(at(11, 59)) && !pin.in_force(at(12, 0)));
    store
        .set_override("api", ComponentStatus::Operational, None, at(10, 1))
        .await
        .unwrap();
    let pins = store.overrides().await.unwrap();
    assert_eq!(pins.len(), 1);
    assert_eq!(
        (pins[0].status, pins[0].until),
        (ComponentStatus::Operational, None)
    );
    store.clear_override("api").await.unwrap();
    assert!(matches!(
        store.clear_override("api").await,
        Err(StoreError::NotFound)
    ));
});

store_test!(async fn tokens_store_only_hashes_and_authenticate(store, url) {
    let token = generate_token();
    assert!(token.starts_with("bcn_") && token.len() == 47);
    assert_ne!(token, generate_token());
    store.create_token("ci", &token, at(10, 0)).await.unwrap();
    assert!(matches!(
        store.create_token("ci", &generate_token(), at(10, 0)).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.authenticate(&token).await.unwrap().as_deref(),
        Some("ci")
    );
    assert_eq!(store.authenticate("bcn_wrong").await.unwrap(), None);
    assert_eq!(
        store.tokens().await.unwrap()[0].last_used_at,
        None,
        "authenticating writes nothing"
    );
    let uses = [("ci".to_owned(), at(10, 5)), ("gone".to_owned(), at(10, 6))];
    store.record_token_uses(&uses).await.unwrap();
    store
        .record_token_uses(&[("ci".to_owned(), at(10, 1))])
        .await
        .unwrap();
    let listed = store.tokens().await.unwrap();
    assert_eq!(
        (
            listed.len(),
            listed[0].name.as_str(),
            listed[0].last_used_at
        ),
        (1, "ci", Some(at(10, 5))),
        "a later use is kept, an older one never moves it back"
    );

    store.close().await;
    let raw = stored_bytes(url).await;
    let needle = token.as_bytes();
    assert!(
        !raw.windows(needle.len()).any(|w| w == needle),
        "the token itself is never stored"
    );
    assert!(raw.windows(64).any(|w| w == hash_token(&token).as_bytes()));
    let store = Store::open(url).await.unwrap();
    store.revoke_token("ci").await.unwrap();
    assert_eq!(store.authenticate(&token).await.unwrap(), None);
    assert!(matches!(
        store.revoke_token("ci").await,
        Err(StoreError::NotFound)
    ));
});

store_test!(async fn backups_are_consistent_while_writes_go_on_and_never_overwrite(store, _url) {
    store
        .record(&[result("a", at(10, 0), Outcome::Ok, 10)])
        .await
        .unwrap();
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for minute in 1..200 {
                let when = at(10, 0) + chrono::Duration::seconds(minute);
                store
                    .record(&[result("a", when, Outcome::Failed, 5)])
                    .await
                    .unwrap();
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup");
    let bytes = store.backup(&path).await.unwrap();
    assert!(bytes > 0);
    writer.await.unwrap();

    let copy = Store::open(&restored(store.backend(), &path)).await.unwrap();
    let states = copy.check_states().await.unwrap();
    assert_eq!(states.len(), 1);
    let counts = copy.daily_counts(at(0, 0).date_naive()).await.unwrap();
    let samples = copy.latency_samples("a", at(0, 0)).await.unwrap();
    assert_eq!(
        counts[0].1.total as usize,
        samples.len(),
        "rollups and raw rows from one moment"
    );
    assert!(
        matches!(store.backup(&path).await, Err(StoreError::Backup(_))),
        "an existing file is kept"
    );
});

store_test!(async fn listing_incidents_keeps_each_timeline_with_its_own_incident(store, _url) {
    let mut ids = Vec::new();
    for (n, component) in ["api", "web", "db"].iter().enumerate() {
        let component = component_id(component);
        let new = NewIncident {
            title: format!("incident {n}"),
            status: IncidentStatus::Investigating,
            impact: Impact::Minor,
            body: format!("opened {n}"),
            components: vec![(component.clone(), ComponentStatus::DegradedPerformance)],
            auto_component: None,
            notify: true,
        };
        let created = store.create_incident(&new, at(10, n as u32)).await.unwrap();
        let update = NewUpdate {
            status: IncidentStatus::Identified,
            body: format!("found {n}"),
            components: vec![(component.clone(), ComponentStatus::MajorOutage)],
            impact: None,
            notify: true,
        };
        store
            .add_incident_update(&created.id, &update, at(11, n as u32))
            .await
            .unwrap();
        ids.push((created.id, component, n));
    }
    let listed = store.incidents(10, 0).await.unwrap();
    assert_eq!(listed.len(), 3);
    for (id, component, n) in ids {
        let incident = listed.iter().find(|i| i.id == id).unwrap();
        assert_eq!(
            incident.components,
            vec![(component.clone(), ComponentStatus::MajorOutage)]
        );
        let bodies: Vec<&str> = incident.updates.iter().map(|u| u.body.as_str()).collect();
        assert_eq!(
            bodies,
            [format!("found {n}"), format!("opened {n}")],
            "newest first, only its own"
        );
        assert_eq!(incident.updates[0].affected.len(), 1);
        assert_eq!(incident.updates[0].affected[0].component, component);
        assert_eq!(
            incident.updates[0].affected[0].old_status,
            ComponentStatus::DegradedPerformance
        );
    }
});

store_test!(async fn pruning_works_in_batches_the_writer_gets_between(store, _url) {
    // 20,000 old results of 4 checks, written in time order, then a new one.
    let old: Vec<_> = (0..20_000)
        .map(|i| {
            let when = at(0, 0) + chrono::Duration::seconds(i);
            result(["a", "b", "c", "d"][i as usize % 4], when, Outcome::Ok, 10)
        })
        .collect();
    store.record(&old).await.unwrap();
    store
        .record(&[result("a", at(23, 0), Outcome::Ok, 10)])
        .await
        .unwrap();

    let pruning = {
        let store = store.clone();
        tokio::spawn(async move { store.prune_results(at(12, 0)).await.unwrap() })
    };
    // A result written meanwhile commits while pruning is still under way.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    store
        .record(&[result("b", at(23, 1), Outcome::Ok, 10)])
        .await
        .unwrap();
    assert!(
        !pruning.is_finished(),
        "the writer waited for the whole prune"
    );
    assert_eq!(pruning.await.unwrap(), 20_000);

    let kept = store.latency_samples("a", at(0, 0)).await.unwrap();
    assert_eq!(kept.len(), 1, "only the new result of a is kept");
    assert_eq!(store.latency_samples("b", at(0, 0)).await.unwrap().len(), 1);
    let counts = store.daily_counts(at(0, 0).date_naive()).await.unwrap();
    let total: u64 = counts.iter().map(|(_, c)| c.total).sum();
    assert_eq!(total, 20_002, "rollups stay");
});

store_test!(async fn five_minute_buckets_fold_across_batches_and_are_pruned(store, _url) {
    let mut no_latency = result("a", at(10, 4), Outcome::Failed, 0);
    no_latency.result.latency = None;
    store
        .record(&[
            result("a", at(10, 0), Outcome::Ok, 100),
            result("a", at(10, 1), Outcome::Slow, 300),
            result("b", at(10, 2), Outcome::Ok, 7),
        ])
        .await
        .unwrap();
    // A second batch adds to the same bucket, and a failure with no latency
    // counts as a failure without moving the mean.
    store
        .record(&[
            result("a", at(10, 3), Outcome::Ok, 50),
            no_latency,
            result("a", at(10, 5), Outcome::Ok, 20),
        ])
        .await
        .unwrap();

    let a = store.five_minute_latency("a", at(10, 2)).await.unwrap();
    assert_eq!(a.len(), 2, "the bucket holding `since` is included: {a:?}");
    assert_eq!(a[0].start, at(10, 0));
    assert_eq!((a[0].total, a[0].failed), (4, 1));
    assert_eq!(a[0].mean_ms, Some(450.0 / 3.0));
    assert_eq!((a[0].min_ms, a[0].max_ms), (Some(50.0), Some(300.0)));
    assert_eq!(a[1].start, at(10, 5));
    assert_eq!((a[1].total, a[1].mean_ms), (1, Some(20.0)));
    assert_eq!(
        store
            .five_minute_latency("b", at(10, 0))
            .await
            .unwrap()
            .len(),
        1
    );

    assert_eq!(store.prune_five_minute_rollups(at(10, 5)).await.unwrap(), 2);
    let a = store.five_minute_latency("a", at(0, 0)).await.unwrap();
    assert_eq!(a.iter().map(|b| b.start).collect::<Vec<_>>(), [at(10, 5)]);
    assert!(
        store
            .five_minute_latency("b", at(0, 0))
            .await
            .unwrap()
            .is_empty()
    );
});

/// Every byte the database holds: SQLite's file, or PostgreSQL's rows as
/// text (`pg_dump --format=plain`, uncompressed).
async fn stored_bytes(url: &str) -> Vec<u8> {
    match Backend::of_url(url) {
        Backend::Sqlite => std::fs::read(url.trim_start_matches("sqlite://")).unwrap(),
        Backend::Postgres => pg_tool("pg_dump", &["--format=plain", "--dbname", url]),
    }
}

/// A backup restored where a store can open it: the SQLite file itself,
/// or a fresh PostgreSQL database filled by `pg_restore`.
fn restored(backend: Backend, path: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", path.display()),
        Backend::Postgres => {
            let url = crate::databases::postgres_database();
            pg_tool("pg_restore", &["--dbname", &url, path.to_str().unwrap()]);
            url
        }
    }
}

/// Runs one of PostgreSQL's client tools, which must succeed; its stdout.
fn pg_tool(tool: &str, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
