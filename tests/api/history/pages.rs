//! `/incidents?page=N`, `/incidents/{id}` and `/maintenances/{id}`.

use super::*;

#[tokio::test]
async fn incident_history_is_paged_by_twenty_newest_first_and_grouped_by_month() {
    let (app, store) = quiet_app().await;
    // An empty history is a page, not an error; there is no page 2.
    let (status, html) = app.get("/incidents").await;
    assert_eq!(status, 200);
    assert!(page_text(&html).contains("No incidents reported"));
    let (status, html) = app.get("/incidents?page=2").await;
    assert_error_page(status, &html, 404);

    // 45 entries, one a day back from 2025-11-20 12:00 UTC; every third a
    // maintenance (ordered by its start, whenever it was created).
    let base = Utc.with_ymd_and_hms(2025, 11, 20, 12, 0, 0).unwrap();
    for n in 0..45i64 {
        let at = base - chrono::Duration::days(n);
        if n % 3 == 2 {
            store
                .create_maintenance(&window(&format!("entry {n}"), "", at, 1), base)
                .await
                .unwrap();
        } else {
            store
                .create_incident(&opening(&format!("entry {n}"), Impact::Minor, "", &[]), at)
                .await
                .unwrap();
        }
    }
    // 23:30 UTC on 31 October is 00:30 on 1 November in Berlin.
    let edge = Utc.with_ymd_and_hms(2025, 10, 31, 23, 30, 0).unwrap();
    store
        .create_incident(&opening("month edge", Impact::Critical, "", &[]), edge)
        .await
        .unwrap();

    // Pages are cached per snapshot, so wait for each to catch up.
    let page1 = wait_for(&app, "/incidents", 200, "entry 0").await;
    let page2 = wait_for(&app, "/incidents?page=2", 200, "entry 20").await;
    let page3 = wait_for(&app, "/incidents?page=3", 200, "entry 44").await;
    let titles = |html: &str| texts(html, ".history-item .event-title a");
    assert_eq!(titles(&page1).len(), 20);
    assert_eq!(titles(&page2).len(), 20);
    assert_eq!(titles(&page3).len(), 6);
    assert_eq!(titles(&page1)[0], "entry 0");
    assert_eq!(titles(&page3).last().unwrap(), "entry 44");

    // Newest first across all pages, by creation (incidents) or start.
    let mut times = Vec::new();
    for html in [&page1, &page2, &page3] {
        times.extend(attrs(html, ".history-item time", "datetime"));
    }
    assert_eq!(times.len(), 46);
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);

    // Months in the site timezone, newest first: page 1 is 20 November
    // days; page 2 opens with the edge case, in November in Berlin.
    assert_eq!(texts(&page1, ".month h2"), ["November 2025"]);
    assert_eq!(
        texts(&page2, ".month h2"),
        ["November 2025", "October 2025"]
    );
    assert_eq!(
        texts(&page2, ".month:first-of-type .event-title a"),
        ["month edge"]
    );
    assert_eq!(texts(&page3, ".month h2"), ["October 2025"]);

    // Maintenance entries say so, link to their page and name components.
    let labels = texts(&page1, ".history-item .impact");
    assert_eq!(labels[0], "Minor impact");
    assert_eq!(labels[2], "Maintenance");
    let hrefs = attrs(&page1, ".history-item .event-title a", "href");
    assert!(hrefs[2].starts_with("/maintenances/"), "{hrefs:?}");
    assert!(hrefs[0].starts_with("/incidents/"), "{hrefs:?}");
    let items = texts(&page1, ".history-item");
    assert!(items[2].contains("Completed"), "{}", items[2]);
    assert_eq!(
        texts(&page1, ".history-item:nth-child(3) .component-ref"),
        ["Public API", "Website"]
    );
    assert!(items[0].contains("Investigating"));

    // Pager: newer/older links only where there is something.
    assert_eq!(attrs(&page1, ".pager a", "href"), ["/incidents?page=2"]);
    assert_eq!(
        attrs(&page2, ".pager a", "href"),
        ["/incidents", "/incidents?page=3"]
    );
    assert_eq!(attrs(&page3, ".pager a", "href"), ["/incidents?page=2"]);
    assert_eq!(texts(&page2, ".pager-where"), ["Page 2 of 3"]);
    assert_eq!(app.get("/incidents?page=1").await.1, page1);

    for (path, code) in [
        ("/incidents?page=4", 404),
        ("/incidents?page=99999999999999999999", 404),
        ("/incidents?page=abc", 400),
        ("/incidents?page=0", 400),
        ("/incidents?page=-1", 400),
        ("/incidents?page=", 400),
        ("/incidents?page=2.5", 400),
    ] {
        let (status, html) = app.get(path).await;
        assert_error_page(status, &html, code);
    }
    app.stop().await;
}

#[tokio::test]
async fn incident_page_shows_components_and_timeline_newest_first() {
    let (app, store) = quiet_app().await;
    let t = now() - hours(5);
    let i = store
        .create_incident(
            &opening(
                "Login failures",
                Impact::Critical,
                "Users cannot log in.",
                &[("api", ComponentStatus::PartialOutage)],
            ),
            t,
        )
        .await
        .unwrap();
    let steps = [
        (
            IncidentStatus::Identified,
            "Expired certificate.",
            vec![("api", ComponentStatus::MajorOutage)],
        ),
        (IncidentStatus::Monitoring, "Renewed; watching.", vec![]),
        (
            IncidentStatus::Resolved,
            "Fixed for good.",
            vec![("api", ComponentStatus::Operational)],
        ),
    ];
    for (n, (status, body, components)) in steps.iter().enumerate() {
        store
            .add_incident_update(
                &i.id,
                &update(*status, body, components),
                t + hours(n as i64 + 1),
            )
            .await
            .unwrap();
    }
    let path = format!("/incidents/{}", i.id);
    let html = wait_for(&app, &path, 200, "Login failures").await;

    assert_eq!(texts(&html, "h1"), ["Login failures"]);
    assert_eq!(texts(&html, ".hero .impact"), ["Critical impact"]);
    assert_eq!(texts(&html, ".hero-tags .status-label"), ["Resolved"]);
    assert_eq!(texts(&html, ".affected-name"), ["Public API"]);
    assert_eq!(texts(&html, ".affected .status-label"), ["Operational"]);
    assert_eq!(texts(&html, ".facts dd")[2], "3 hours");
    assert_eq!(
        texts(&html, ".timeline-status .status-label"),
        ["Resolved", "Monitoring", "Identified", "Investigating"]
    );
    assert_eq!(
        texts(&html, ".timeline-item .prose"),
        [
            "Fixed for good.",
            "Renewed; watching.",
            "Expired certificate.",
            "Users cannot log in."
        ]
    );
    let times = attrs(&html, ".timeline-item time", "datetime");
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!((times.len(), &times), (4, &sorted));
    let changes = texts(&html, ".changes li");
    assert_eq!(
        changes,
        [
            "Public API : Major Outage → to ✓ Operational",
            "Public API : Partial Outage → to ✕ Major Outage",
            "Public API : Operational → to ✕ Partial Outage",
        ]
    );
    assert_eq!(count(&html, ".auto-note"), 0);

    // Beacon's own incidents say so.
    let mut auto = opening("API is down", Impact::Major, "Checks fail.", &[]);
    auto.auto_component = Some(component_id("api"));
    let auto = store.create_incident(&auto, now()).await.unwrap();
    let html = wait_for(&app, &format!("/incidents/{}", auto.id), 200, "API is down").await;
    assert!(texts(&html, ".auto-note")[0].contains("Opened automatically by Beacon"));

    for path in [
        "/incidents/nope",
        "/incidents/zzzzzzzzzzzz",
        "/maintenances/nope",
    ] {
        let (status, html) = app.get(path).await;
        assert_error_page(status, &html, 404);
    }
    app.stop().await;
}

#[tokio::test]
async fn maintenance_page_shows_window_body_and_a_cancelled_notice() {
    let (app, store) = quiet_app().await;
    let start = now() + hours(24);
    let planned = store
        .create_maintenance(
            &window(
                "Switch upgrade",
                "We **replace** the core switch.",
                start,
                2,
            ),
            now(),
        )
        .await
        .unwrap();
    let cancelled: Maintenance = {
        let m = store
            .create_maintenance(&window("Old plan", "Never mind.", start, 1), now())
            .await
            .unwrap();
        store.cancel_maintenance(&m.id, now()).await.unwrap()
    };

    let html = wait_for(
        &app,
        &format!("/maintenances/{}", planned.id),
        200,
        "Switch upgrade",
    )
    .await;
    assert_eq!(texts(&html, "h1"), ["Switch upgrade"]);
    assert_eq!(texts(&html, ".hero-tags .status-label"), ["Scheduled"]);
    assert_eq!(count(&html, ".cancelled-notice"), 0);
    assert_eq!(count(&html, ".facts time[datetime]"), 2);
    assert!(texts(&html, ".facts").join(" ").contains("2 hours"));
    assert_eq!(texts(&html, ".affected-name"), ["Public API", "Website"]);
    assert_eq!(texts(&html, ".prose strong"), ["replace"]);

    let (status, html) = app.get(&format!("/maintenances/{}", cancelled.id)).await;
    assert_eq!(status, 200);
    assert_eq!(texts(&html, ".hero-tags .status-label"), ["Cancelled"]);
    let notice = texts(&html, ".cancelled-notice");
    assert_eq!(notice.len(), 1);
    assert!(notice[0].contains("Cancelled."), "{notice:?}");
    // Cancelled maintenance is not upcoming on `/`.
    let index = wait_for(&app, "/", 200, "Switch upgrade").await;
    assert!(!page_text(&index).contains("Old plan"));
    app.stop().await;
}
