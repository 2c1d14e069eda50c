//! Exactly-once duties through the lease (SPEC §9), with real binaries on
//! PostgreSQL: two `beacon serve` nodes, both probing one target that
//! fails and recovers, open one automatic incident and resolve it once,
//! with one webhook delivery per event; after `kill -9` of the holder the
//! other node takes the lease over within 15 s and runs the duties. Two
//! nodes of one probe region: only the holder of `probe:<region>` probes,
//! and its standby takes over within 15 s of a `kill -9`.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::databases::postgres_database;
use crate::helpers::{Mode, Target, metric, wait_until};
use crate::notify::outbox::{SECRET, Served, by_id, serve_on, serve_operational_on, webhook};
use crate::receivers::HookReceiver;

const INCIDENT_EVENTS: &str = r#"events = ["incident.opened", "incident.resolved"]"#;

/// Whether the node at `url` holds the lease of `duty`; `None` when it
/// does not answer.
async fn holds(client: &reqwest::Client, url: &str, duty: &str) -> Option<bool> {
    let text = client
        .get(format!("{url}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    Some(metric(&text, &format!("beacon_lease_held{{duty=\"{duty}\"}}")) == 1.0)
}

/// The automatic incidents of component `api`, from the v2 API of `url`.
async fn api_incidents(client: &reqwest::Client, url: &str) -> Vec<Value> {
    let text = client
        .get(format!("{url}/api/v2/incidents.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    body["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            i["name"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Public API:")
        })
        .cloned()
        .collect()
}

/// Two nodes over one new database, both probing `target`, the first
/// started (and holding both leases) before the second.
async fn two_nodes(dir: &tempfile::TempDir, target: &Target, hook: &HookReceiver) -> [Served; 2] {
    let db = postgres_database();
    let notifiers = webhook("ops", &hook.url(), INCIDENT_EVENTS);
    // Two probing nodes, each its own probe region: two probers of one
    // region would take turns overwriting that region's check state
    // (README: one prober per region).
    let on = |region| {
        [
            ("BEACON_DATABASE_URL", db.as_str()),
            ("BEACON_REGION", region),
        ]
    };
    let first = serve_operational_on(dir, target, &notifiers, &on("eu")).await;
    let second = serve_on(dir.path(), &on("us"));
    let client = reqwest::Client::new();
    for (served, held) in [(&first, true), (&second, false)] {
        for duty in ["incidents", "notifications"] {
            wait_until(Duration::from_secs(10), "the lease settled", || async {
                holds(&client, &served.url, duty).await == Some(held)
            })
            .await;
        }
    }
    [first, second]
}

#[tokio::test]
async fn two_probing_nodes_open_one_incident_and_resolve_it_once() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let dir = tempfile::tempdir().unwrap();
    let [first, second] = two_nodes(&dir, &target, &hook).await;
    let client = reqwest::Client::new();

    target.set(Mode::Status(503));
    wait_until(Duration::from_secs(15), "an automatic incident", || async {
        !api_incidents(&client, &first.url).await.is_empty()
    })
    .await;
    // Both nodes keep probing and failing: time for a second one to appear.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for served in [&first, &second] {
        let open = api_incidents(&client, &served.url).await;
        assert_eq!(open.len(), 1, "one incident on {}: {open:#?}", served.url);
        assert_ne!(open[0]["status"], "resolved", "{open:#?}");
    }

    target.set(Mode::Ok);
    wait_until(Duration::from_secs(15), "the incident resolved", || async {
        api_incidents(&client, &second.url)
            .await
            .iter()
            .all(|i| i["status"] == "resolved")
    })
    .await;
    wait_until(
        Duration::from_secs(10),
        "incident.resolved at the webhook",
        || async { !by_id(&hook, "incident.resolved").is_empty() },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let incidents = api_incidents(&client, &first.url).await;
    assert_eq!(incidents.len(), 1, "{incidents:#?}");
    let resolutions = incidents[0]["incident_updates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["status"] == "resolved")
        .count();
    assert_eq!(resolutions, 1, "{incidents:#?}");
    for event in ["incident.opened", "incident.resolved"] {
        let sent = by_id(&hook, event);
        assert_eq!(sent.len(), 1, "one {event} delivery: {sent:?}");
        assert_eq!(
            sent.values().sum::<usize>(),
            1,
            "{event} sent once: {sent:?}"
        );
    }
}

#[tokio::test]
async fn the_other_node_takes_the_lease_over_within_15_s_of_a_kill_9() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let dir = tempfile::tempdir().unwrap();
    let [mut holder, heir] = two_nodes(&dir, &target, &hook).await;
    let client = reqwest::Client::new();

    holder.process.kill_9();
    let killed = Instant::now();
    wait_until(
        Duration::from_secs(25),
        "the heir holds both leases",
        || async {
            holds(&client, &heir.url, "incidents").await == Some(true)
                && holds(&client, &heir.url, "notifications").await == Some(true)
        },
    )
    .await;
    let took = killed.elapsed();
    // 12 s TTL + 3 s between tries, with slack for a busy machine.
    assert!(took <= Duration::from_secs(18), "took over after {took:?}");
    eprintln!("lease taken over {took:?} after kill -9");

    // The heir runs the duties: an outage now opens an incident and its
    // webhook delivery goes out.
    target.set(Mode::Status(503));
    wait_until(Duration::from_secs(15), "the heir's incident", || async {
        api_incidents(&client, &heir.url).await.len() == 1
    })
    .await;
    wait_until(
        Duration::from_secs(10),
        "incident.opened at the webhook",
        || async { by_id(&hook, "incident.opened").len() == 1 },
    )
    .await;
}

/// Results recorded so far, of every check and region.
async fn results_so_far(store: &beacon::store::Store) -> u64 {
    let totals = store.result_totals().await.unwrap();
    totals.iter().map(|(_, _, total)| total).sum()
}

/// Results recorded over the next 6 s: one prober of the 300 ms check
/// records about 20, two would record about 40.
async fn results_in_six_seconds(store: &beacon::store::Store) -> u64 {
    let before = results_so_far(store).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    results_so_far(store).await - before
}

#[tokio::test]
async fn one_process_probes_a_region_and_its_standby_takes_over_within_15_s_of_a_kill_9() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let dir = tempfile::tempdir().unwrap();
    let db = postgres_database();
    let env = [
        ("BEACON_DATABASE_URL", db.as_str()),
        ("BEACON_REGION", "eu"),
    ];
    let notifiers = webhook("ops", &hook.url(), INCIDENT_EVENTS);
    let mut first = serve_operational_on(&dir, &target, &notifiers, &env).await;
    let standby = serve_on(dir.path(), &env);
    let client = reqwest::Client::new();
    for (served, held) in [(&first, true), (&standby, false)] {
        wait_until(
            Duration::from_secs(10),
            "the probe lease settled",
            || async { holds(&client, &served.url, "probe:eu").await == Some(held) },
        )
        .await;
    }
    let store = beacon::store::Store::open(&db).await.unwrap();
    let probed = results_in_six_seconds(&store).await;
    eprintln!("{probed} results in 6 s while both nodes run");
    assert!(
        (5..=28).contains(&probed),
        "one prober in region eu: {probed} results in 6 s"
    );

    first.process.kill_9();
    let killed = Instant::now();
    wait_until(
        Duration::from_secs(25),
        "the standby holds the probe lease",
        || async { holds(&client, &standby.url, "probe:eu").await == Some(true) },
    )
    .await;
    let took = killed.elapsed();
    assert!(took <= Duration::from_secs(18), "took over after {took:?}");
    eprintln!("probe lease taken over {took:?} after kill -9");
    let probed = results_in_six_seconds(&store).await;
    assert!(
        (5..=28).contains(&probed),
        "the standby probes: {probed} results in 6 s"
    );
    // And its results move the check's state on: the page follows.
    target.set(Mode::Status(503));
    wait_until(
        Duration::from_secs(10),
        "the standby sees the outage",
        || async {
            crate::notify::outbox::component_status(&client, &standby.url).await == "major_outage"
        },
    )
    .await;
    store.close().await;
}
