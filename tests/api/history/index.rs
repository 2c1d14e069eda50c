//! `/` with incidents and maintenance: the banner, active events, past incidents.

use super::*;

#[tokio::test]
async fn index_shows_active_incident_latest_update_maintenance_and_past_incidents() {
    let (app, store) = quiet_app().await;
    let t = now();
    let open = store
        .create_incident(
            &opening(
                "Elevated API errors",
                Impact::Major,
                "We are **investigating** reports.",
                &[("api", ComponentStatus::PartialOutage)],
            ),
            t - hours(2),
        )
        .await
        .unwrap();
    store
        .add_incident_update(
            &open.id,
            &update(
                IncidentStatus::Identified,
                "A bad deploy; rolling back. See [notes](https://example.test/notes).",
                &[],
            ),
            t - hours(1),
        )
        .await
        .unwrap();
    let past = resolved(&store, "Slow dashboard", t - hours(30), t - hours(29)).await;
    let old = resolved(
        &store,
        "Ancient outage",
        t - hours(24 * 10),
        t - hours(24 * 9),
    )
    .await;
    let upcoming = store
        .create_maintenance(
            &window(
                "Database upgrade",
                "Expect *brief* interruptions.",
                t + hours(48),
                2,
            ),
            t,
        )
        .await
        .unwrap();

    let html = wait_for(&app, "/", 200, "Database upgrade").await;

    // The active incident, linked, with its impact, status and latest update.
    let section = "section[aria-labelledby=active-h]";
    assert_eq!(texts(&html, &format!("{section} h2")), ["Active incidents"]);
    assert_eq!(
        texts(&html, &format!("{section} .event-title a")),
        ["Elevated API errors"]
    );
    assert_eq!(
        attrs(&html, &format!("{section} .event-title a"), "href"),
        [format!("/incidents/{}", open.id)]
    );
    assert_eq!(
        texts(&html, &format!("{section} .impact")),
        ["Major impact"]
    );
    assert_eq!(
        texts(&html, &format!("{section} .update-head .status-label")),
        ["Identified"]
    );
    let body = texts(&html, &format!("{section} .update .prose")).join(" ");
    assert!(body.contains("A bad deploy; rolling back."), "{body}");
    assert!(!body.contains("investigating"), "only the latest update");
    assert_eq!(
        attrs(&html, &format!("{section} .prose a"), "rel"),
        ["nofollow noopener noreferrer"]
    );
    let at = attrs(&html, &format!("{section} .update-head time"), "datetime");
    assert_eq!(at.len(), 1);
    assert!(at[0].ends_with('Z'), "{at:?}");
    assert_eq!(
        texts(&html, &format!("{section} .component-ref")),
        ["Public API"]
    );

    // Upcoming maintenance: linked, window in the site timezone, components.
    let section = "section[aria-labelledby=upcoming-h]";
    assert_eq!(
        attrs(&html, &format!("{section} .event-title a"), "href"),
        [format!("/maintenances/{}", upcoming.id)]
    );
    assert_eq!(
        texts(&html, &format!("{section} .status-label")),
        ["Scheduled"]
    );
    let window = texts(&html, &format!("{section} .window")).join("");
    assert!(
        window.contains("CET") || window.contains("CEST"),
        "{window}"
    );
    assert_eq!(
        count(&html, &format!("{section} .window time[datetime]")),
        2
    );
    assert_eq!(
        texts(&html, &format!("{section} .component-ref")),
        ["Public API", "Website"]
    );
    assert_eq!(count(&html, &format!("{section} .prose em")), 1);
    assert_eq!(count(&html, "section[aria-labelledby=now-h]"), 0);

    // Past incidents: the last 7 days only, and a way to the history.
    let section = "section[aria-labelledby=past-h]";
    assert_eq!(
        texts(&html, &format!("{section} .event-title a")),
        ["Slow dashboard"]
    );
    assert_eq!(
        attrs(&html, &format!("{section} .event-title a"), "href"),
        [format!("/incidents/{}", past.id)]
    );
    assert!(!page_text(&html).contains(&old.title));
    assert_eq!(
        texts(&html, &format!("{section} a[href='/incidents']")),
        ["Incident history →"]
    );

    // The open major incident raises the banner.
    assert_eq!(texts(&html, ".banner-text"), ["Partial System Outage"]);
    app.stop().await;
}

#[tokio::test]
async fn maintenance_in_progress_puts_its_components_under_maintenance() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&config(&target.url())).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    wait_for(&app, "/", 200, "All Systems Operational").await;
    let mut m = window("Network work", "", now() - hours(1), 3);
    m.components = vec![component_id("api")];
    let m = store.create_maintenance(&m, now()).await.unwrap();

    let html = wait_for(&app, "/", 200, "Service Under Maintenance").await;
    assert_eq!(texts(&html, ".banner-text"), ["Service Under Maintenance"]);
    let names = texts(&html, ".component .component-name");
    let labels = texts(&html, ".component .status-label");
    let api = names.iter().position(|n| n == "Public API").unwrap();
    assert_eq!(labels[api], "Under Maintenance");
    let section = "section[aria-labelledby=now-h]";
    assert_eq!(
        texts(&html, &format!("{section} h2")),
        ["Maintenance in progress"]
    );
    assert_eq!(
        attrs(&html, &format!("{section} .event-title a"), "href"),
        [format!("/maintenances/{}", m.id)]
    );
    assert_eq!(
        texts(&html, &format!("{section} .status-label")),
        ["In progress"]
    );
    assert_eq!(count(&html, "section[aria-labelledby=upcoming-h]"), 0);
    app.stop().await;
}

/// Serves sample incidents and maintenance for a look in a browser:
/// `BEACON_HOLD_SECS=300 cargo nextest run --run-ignored only sample_history`
/// writes the address to `$TMPDIR/beacon-sample-addr` and keeps serving.
#[tokio::test]
#[ignore = "serves sample pages for screenshots; run by hand"]
async fn sample_history() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&config(&target.url())).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    let t = now();
    let i = store
        .create_incident(
            &opening(
                "Elevated error rates on the Public API",
                Impact::Major,
                "We are investigating elevated **5xx** rates on `POST /v1/orders`.",
                &[("api", ComponentStatus::PartialOutage)],
            ),
            t - hours(2),
        )
        .await
        .unwrap();
    store
        .add_incident_update(
            &i.id,
            &update(
                IncidentStatus::Identified,
                "The cause is a failed database failover. We are:\n\n- promoting the replica\n- draining the old primary\n\nDetails in the [runbook](https://example.test/runbook).",
                &[("api", ComponentStatus::MajorOutage)],
            ),
            t - hours(1),
        )
        .await
        .unwrap();
    let mut w = window(
        "Website CDN migration",
        "We are moving the website to a new CDN. Pages may load slowly.",
        t - hours(1),
        3,
    );
    w.components = vec![component_id("web")];
    store.create_maintenance(&w, t).await.unwrap();
    store
        .create_maintenance(
            &window(
                "Database engine upgrade",
                "Upgrade to the next major version. Expect up to **5 minutes** of read-only mode.",
                t + hours(50),
                2,
            ),
            t,
        )
        .await
        .unwrap();
    let cancelled = store
        .create_maintenance(
            &window(
                "Rack move",
                "Moving servers to a new rack.",
                t + hours(80),
                4,
            ),
            t,
        )
        .await
        .unwrap();
    store.cancel_maintenance(&cancelled.id, t).await.unwrap();
    let r = resolved(&store, "Slow dashboard loads", t - hours(30), t - hours(28)).await;
    let _ = r;
    let mut auto = opening(
        "Website is down",
        Impact::Major,
        "Beacon detected an outage of **Website**: status 503, expected 2xx.",
        &[("web", ComponentStatus::MajorOutage)],
    );
    auto.auto_component = Some(component_id("web"));
    let a = store.create_incident(&auto, t - hours(80)).await.unwrap();
    store
        .add_incident_update(
            &a.id,
            &update(
                IncidentStatus::Resolved,
                "Website recovered after 12 minutes.",
                &[("web", ComponentStatus::Operational)],
            ),
            t - hours(80) + chrono::Duration::minutes(12),
        )
        .await
        .unwrap();
    for n in 0..26i64 {
        let at = t - chrono::Duration::days(5 + n * 3);
        if n % 4 == 1 {
            store
                .create_maintenance(
                    &window(&format!("Scheduled network maintenance #{n}"), "", at, 2),
                    at,
                )
                .await
                .unwrap();
        } else {
            let impact =
                [Impact::Minor, Impact::Major, Impact::Critical, Impact::None][n as usize % 4];
            let i = store
                .create_incident(
                    &opening(
                        &format!("Intermittent login failures #{n}"),
                        impact,
                        "Looking into it.",
                        &[("api", ComponentStatus::DegradedPerformance)],
                    ),
                    at,
                )
                .await
                .unwrap();
            store
                .add_incident_update(
                    &i.id,
                    &update(
                        IncidentStatus::Resolved,
                        "Resolved.",
                        &[("api", ComponentStatus::Operational)],
                    ),
                    at + hours(1),
                )
                .await
                .unwrap();
        }
    }
    let addr = std::env::temp_dir().join("beacon-sample-addr");
    std::fs::write(&addr, format!("{} {} {}", app.addr, i.id, cancelled.id)).unwrap();
    let hold = std::env::var("BEACON_HOLD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    tokio::time::sleep(Duration::from_secs(hold)).await;
    app.stop().await;
}
