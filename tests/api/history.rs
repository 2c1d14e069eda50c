//! Incidents and maintenance on the public pages: `/`, `/incidents?page=N`,
//! `/incidents/{id}`, `/maintenances/{id}`. Data goes in through a second
//! `Store` on the app's database, as the admin API or CLI would write it; the
//! app sees it when its snapshot follows the store revision.

use std::time::Duration;

use beacon::domain::{
    ComponentStatus, Impact, Incident, IncidentStatus, Maintenance, NewIncident, NewMaintenance,
    NewUpdate,
};
use beacon::store::Store;
use chrono::{DateTime, TimeZone, Utc};

use crate::helpers::{
    Mode, Target, TestApp, database_url, page_text, spawn_app, spawn_app_in, texts,
};

const WAIT: Duration = Duration::from_secs(8);

/// Two components; `api` has a quick check against `url`.
fn config(url: &str) -> String {
    format!(
        r#"
[site]
title = "History Test"
timezone = "Europe/Berlin"

[[components]]
id = "api"
name = "Public API"

[[components]]
id = "web"
name = "Website"

[[checks]]
id = "api-health"
component = "api"
kind = "http"
url = "{url}"
interval = "300ms"
timeout = "250ms"
failure_threshold = 2
recovery_threshold = 2
"#
    )
}

/// An app without the probe worker (its pages need no check results).
async fn quiet_app() -> (TestApp, Store) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_in(dir, &config("http://127.0.0.1:9/"), false).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    (app, store)
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn hours(h: i64) -> chrono::Duration {
    chrono::Duration::hours(h)
}

fn opening(
    title: &str,
    impact: Impact,
    body: &str,
    components: &[(&str, ComponentStatus)],
) -> NewIncident {
    NewIncident {
        title: title.into(),
        status: IncidentStatus::Investigating,
        impact,
        body: body.into(),
        components: components
            .iter()
            .map(|(c, s)| ((*c).to_owned(), *s))
            .collect(),
        auto_component: None,
        notify: true,
    }
}

fn update(status: IncidentStatus, body: &str, components: &[(&str, ComponentStatus)]) -> NewUpdate {
    NewUpdate {
        status,
        body: body.into(),
        components: components
            .iter()
            .map(|(c, s)| ((*c).to_owned(), *s))
            .collect(),
        impact: None,
        notify: true,
    }
}

fn window(title: &str, body: &str, starts: DateTime<Utc>, length_h: i64) -> NewMaintenance {
    NewMaintenance {
        title: title.into(),
        body: body.into(),
        starts_at: starts,
        ends_at: starts + hours(length_h),
        components: vec!["api".into(), "web".into()],
        notify: true,
    }
}

/// Waits until `path` answers `status` with a page whose text contains
/// `needle` (the app follows the store within half a second); returns it.
async fn wait_for(app: &TestApp, path: &str, status: u16, needle: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (got, html) = app.get(path).await;
        if got == status && page_text(&html).contains(needle) {
            return html;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {path} to show {needle:?}; last: {got} {html}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

fn count(html: &str, selector: &str) -> usize {
    let doc = scraper::Html::parse_document(html);
    doc.select(&scraper::Selector::parse(selector).unwrap())
        .count()
}

/// The styled error page with this status code.
fn assert_error_page(status: u16, html: &str, code: u16) {
    assert_eq!(status, code, "{html}");
    assert!(html.contains("/static/style."), "not styled: {html}");
    assert_eq!(texts(html, ".error-code"), [code.to_string()]);
}

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

/// An incident opened at `at` and resolved at `resolved`.
async fn resolved(
    store: &Store,
    title: &str,
    at: DateTime<Utc>,
    resolved: DateTime<Utc>,
) -> Incident {
    let i = store
        .create_incident(&opening(title, Impact::Minor, "Looking.", &[]), at)
        .await
        .unwrap();
    store
        .add_incident_update(
            &i.id,
            &update(IncidentStatus::Resolved, "All good again.", &[]),
            resolved,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn maintenance_in_progress_puts_its_components_under_maintenance() {
    let target = Target::start(Mode::Ok).await;
    let app = spawn_app(&config(&target.url())).await;
    let store = Store::open(&database_url(&app.dir)).await.unwrap();
    wait_for(&app, "/", 200, "All Systems Operational").await;
    let mut m = window("Network work", "", now() - hours(1), 3);
    m.components = vec!["api".into()];
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
    auto.auto_component = Some("api".into());
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

const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>",
];

#[tokio::test]
async fn operator_text_never_reaches_a_page_unescaped() {
    let (app, store) = quiet_app().await;
    let all = HOSTILE.join(" ");
    let block = HOSTILE.join("\n\n");
    let mut ids = Vec::new();
    for (n, hostile) in HOSTILE.iter().enumerate() {
        let i = store
            .create_incident(
                &opening(
                    hostile,
                    Impact::Major,
                    &block,
                    &[("api", ComponentStatus::MajorOutage)],
                ),
                now() - hours(3),
            )
            .await
            .unwrap();
        store
            .add_incident_update(&i.id, &update(IncidentStatus::Identified, &all, &[]), now())
            .await
            .unwrap();
        let resolved = store
            .create_incident(
                &opening(hostile, Impact::Minor, &all, &[]),
                now() - hours(2),
            )
            .await
            .unwrap();
        store
            .add_incident_update(
                &resolved.id,
                &update(IncidentStatus::Resolved, &block, &[]),
                now() - hours(1),
            )
            .await
            .unwrap();
        let upcoming = store
            .create_maintenance(&window(hostile, &block, now() + hours(5), 1), now())
            .await
            .unwrap();
        let running = store
            .create_maintenance(&window(hostile, &all, now() - hours(1), 2), now())
            .await
            .unwrap();
        ids.push(format!("/incidents/{}", i.id));
        ids.push(format!("/incidents/{}", resolved.id));
        ids.push(format!("/maintenances/{}", upcoming.id));
        ids.push(format!("/maintenances/{}", running.id));
        assert!(n < HOSTILE.len());
    }
    wait_for(&app, "/", 200, "Maintenance in progress").await;

    let mut paths = vec!["/".to_owned(), "/incidents".to_owned()];
    paths.extend(ids);
    for path in &paths {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(path, &html);
    }
    // The titles are still there, as text.
    let (_, html) = app.get(&paths[2]).await;
    assert_eq!(texts(&html, "h1"), [HOSTILE[0]]);
    app.stop().await;
}

/// No script, no event handler, no `javascript:` target, no injected element.
pub fn assert_inert(path: &str, html: &str) {
    for raw in ["<script", "<img", "<iframe", "<style"] {
        assert!(!html.contains(raw), "{path}: {raw:?} unescaped");
    }
    let doc = scraper::Html::parse_document(html);
    for node in doc.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        assert!(
            !matches!(el.name(), "script" | "img" | "iframe" | "object" | "embed"),
            "{path}: <{}>",
            el.name()
        );
        for (name, value) in el.attrs() {
            assert!(
                !name.starts_with("on") && name != "style",
                "{path}: {name}={value}"
            );
            assert!(
                !value.trim().to_ascii_lowercase().starts_with("javascript:"),
                "{path}: {name}={value}"
            );
        }
    }
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
    w.components = vec!["web".into()];
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
    auto.auto_component = Some("web".into());
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
