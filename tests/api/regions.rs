//! Regional probes end to end (SPEC §9): three real `beacon probe
//! --region` processes with `quorum = 2` and one `beacon serve --no-probe`
//! on one SQLite file, and again on one PostgreSQL database. Each region
//! runs in a network namespace of its own (`unshare -n`) with its own
//! target on its own loopback, so the test fails the target of one region
//! at a time by writing the status code the target answers into that
//! region's file. The probes reach PostgreSQL over the cluster's unix
//! socket (a namespace has no route to its 127.0.0.1); the server and the
//! webhook receiver stay in the test's namespace.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::admin_cli::{beacon, start_server};
use crate::binary::{Process, assert_one_line_error, run};
use crate::databases::{over_unix_socket, postgres_database};
use crate::helpers::{metric, wait_until};
use crate::notify::outbox::by_id;
use crate::receivers::HookReceiver;

/// The port every region's target listens on, each on its own loopback.
const TARGET_PORT: u16 = 18_080;

/// Answers every GET with the status code written in the file `argv[2]`;
/// creates `argv[2].ready` once it listens.
const TARGET: &str = r#"
import http.server, sys
port, path = int(sys.argv[1]), sys.argv[2]
class Target(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(path) as f:
            code = int(f.read().strip())
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Target)
open(path + ".ready", "w").close()
server.serve_forever()
"#;

const CONFIG: &str = r#"
[probes]
quorum = 2

[[components]]
id = "api"
name = "Public API"

[[checks]]
id = "api-health"
label = "API health"
component = "api"
kind = "http"
url = "http://127.0.0.1:18080/"
interval = "1s"
timeout = "800ms"
failure_threshold = 1
recovery_threshold = 1

[[notifiers]]
id = "ops"
kind = "webhook"
url = "{hook}"
events = ["check.down", "check.up", "component.status"]
"#;

/// One region: its target and probe, each in the region's namespace.
struct Region {
    name: &'static str,
    status: PathBuf,
    /// The target's process (`unshare -n` exec'ing python3): the namespace.
    _target: Process,
    probe: Process,
}

impl Region {
    fn start(dir: &Path, db: &str, config: &Path, name: &'static str) -> Region {
        let status = dir.join(format!("{name}.status"));
        std::fs::write(&status, "200").unwrap();
        let script = dir.join("target.py");
        std::fs::write(&script, TARGET).unwrap();
        let unshare = Command::new("unshare")
            .args(["-n", "true"])
            .status()
            .map(|s| s.success());
        assert!(
            matches!(unshare, Ok(true)),
            "this test needs network namespaces: `unshare -n` failed ({unshare:?}); \
             run it as root or where unprivileged user namespaces are allowed"
        );
        let target = Process::spawn(
            Command::new("unshare")
                .args(["-n", "sh", "-c"])
                .arg("ip link set lo up && exec python3 \"$0\" \"$1\" \"$2\"")
                .arg(&script)
                .arg(TARGET_PORT.to_string())
                .arg(&status)
                .stdin(Stdio::null()),
        );
        let namespace = format!("/proc/{}/ns/net", target.0.id());
        // The target listens in its namespace before the probe starts, so
        // the first results are the target's answers, not refusals.
        let ready = dir.join(format!("{name}.status.ready"));
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while !ready.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "{name}'s target did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Half the regions name themselves by flag, one by environment.
        let mut cmd = beacon(dir, db);
        cmd.env_remove("BEACON_REGION");
        if name == "asia" {
            cmd.env("BEACON_REGION", name).args(["probe"]);
        } else {
            cmd.args(["probe", "--region", name]);
        }
        cmd.arg("--config").arg(config);
        let mut entered = Command::new("nsenter");
        entered
            .arg(format!("--net={namespace}"))
            .arg(cmd.get_program())
            .args(cmd.get_args())
            .current_dir(dir);
        for (key, value) in cmd.get_envs() {
            match value {
                Some(value) => entered.env(key, value),
                None => entered.env_remove(key),
            };
        }
        let probe = Process::spawn(&mut entered);
        Region {
            name,
            status,
            _target: target,
            probe,
        }
    }

    /// Makes this region's target answer `code`.
    fn answer(&self, code: u16) {
        std::fs::write(&self.status, code.to_string()).unwrap();
    }
}

async fn json(client: &reqwest::Client, url: String) -> (u16, Value) {
    match client.get(url).send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            (status, serde_json::from_str(&body).unwrap_or_default())
        }
        Err(_) => (0, Value::Null),
    }
}

/// The `api` component's status in the v2 API and the incidents there.
async fn status_and_incidents(client: &reqwest::Client, url: &str) -> (String, Vec<Value>) {
    let (_, components) = json(client, format!("{url}/api/v2/components.json")).await;
    let status = components["components"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == "Public API")
        .and_then(|c| c["status"].as_str())
        .unwrap_or_default()
        .to_owned();
    let (_, incidents) = json(client, format!("{url}/api/v2/incidents.json")).await;
    let incidents = incidents["incidents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (status, incidents)
}

/// Each region's stored state of the check, by region.
async fn region_states(store: &beacon::store::Store) -> Vec<(String, Option<&'static str>)> {
    let states = store.check_states().await.unwrap_or_default();
    states
        .into_iter()
        .map(|s| (s.region, s.tracker.state.map(|s| s.as_str())))
        .collect()
}

/// Waits for `event` at the webhook, then 3 s more (several decision
/// rounds of the lease's holder): one delivery, sent once.
async fn exactly_one(hook: &HookReceiver, event: &str) {
    wait_until(
        Duration::from_secs(10),
        &format!("{event} at the webhook"),
        || async { !by_id(hook, event).is_empty() },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sent = by_id(hook, event);
    assert_eq!(sent.len(), 1, "one {event}: {sent:?}");
}

/// The `component.status` changes the webhook got, as `old → new`.
fn status_changes(hook: &HookReceiver) -> Vec<String> {
    hook.requests()
        .iter()
        .filter(|r| r.header("x-beacon-event") == "component.status")
        .map(|r| {
            let body = r.json();
            let old = body["component"]["old_status"]
                .as_str()
                .unwrap_or("?")
                .to_owned();
            format!(
                "{old} → {}",
                body["component"]["status"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[tokio::test]
async fn three_regions_with_quorum_two_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("beacon.db").display());
    three_regions_with_quorum_two_decide_together_and_a_dead_one_goes_stale(&dir, &db, &db).await;
}

#[tokio::test]
async fn three_regions_with_quorum_two_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let db = postgres_database();
    let probes_db = over_unix_socket(&db);
    three_regions_with_quorum_two_decide_together_and_a_dead_one_goes_stale(&dir, &db, &probes_db)
        .await;
}

/// The scenario on the database at `db`, which the probes reach at
/// `probes_db`.
async fn three_regions_with_quorum_two_decide_together_and_a_dead_one_goes_stale(
    dir: &tempfile::TempDir,
    db: &str,
    probes_db: &str,
) {
    let hook = HookReceiver::start(None).await;
    let config = dir.path().join("beacon.toml");
    std::fs::write(&config, CONFIG.replace("{hook}", &hook.url())).unwrap();
    let out = run(beacon(dir.path(), db).arg("migrate"));
    assert!(out.status.success(), "{out:?}");
    let mut regions: Vec<Region> = ["eu", "us", "asia"]
        .into_iter()
        .map(|name| Region::start(dir.path(), probes_db, &config, name))
        .collect();
    let (_server, url) = start_server(dir.path(), db, &config);
    let store = beacon::store::Store::open(db).await.unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let all_up = |want: [&'static str; 3]| {
        let store = store.clone();
        async move {
            let got = region_states(&store).await;
            let want: Vec<_> = [("asia", want[2]), ("eu", want[0]), ("us", want[1])]
                .into_iter()
                .map(|(r, s)| (r.to_owned(), Some(s)))
                .collect();
            got == want
        }
    };
    wait_until(
        Duration::from_secs(20),
        "every region sees the check up",
        || all_up(["up", "up", "up"]),
    )
    .await;
    let component_page = || async {
        let page = client.get(format!("{url}/components/api")).send().await;
        page.unwrap().text().await.unwrap()
    };
    wait_until(
        Duration::from_secs(5),
        "the page shows each region up",
        || async {
            let page = component_page().await;
            let regions = ["eu", "us", "asia"].map(|r| format!("<th scope=\"col\">{r}</th>"));
            page.contains("By probe region")
                && regions.iter().all(|r| page.contains(r.as_str()))
                && page.matches("status-operational").count() >= 3
        },
    )
    .await;
    assert_eq!(status_and_incidents(&client, &url).await.0, "operational");
    crate::browser::audit(&url, &["/components/api"]).await;

    // One region failing is not a quorum: the check stays up, no incident.
    regions[0].answer(503);
    wait_until(Duration::from_secs(10), "eu sees the check down", || {
        all_up(["down", "up", "up"])
    })
    .await;
    for _ in 0..6 {
        let (status, incidents) = status_and_incidents(&client, &url).await;
        assert_eq!(status, "operational", "one region of three is not a quorum");
        assert!(incidents.is_empty(), "{incidents:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        hook.requests().is_empty(),
        "one region of three announces nothing: {:?}",
        hook.requests()
    );

    // Two regions failing are: down, and one automatic incident.
    regions[1].answer(503);
    wait_until(
        Duration::from_secs(10),
        "the page shows a major outage",
        || async {
            let (status, incidents) = status_and_incidents(&client, &url).await;
            status == "major_outage" && incidents.len() == 1
        },
    )
    .await;
    // Every probe contends for the incidents lease and its holder decides
    // at least every second: several more rounds later, still one incident.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (status, incidents) = status_and_incidents(&client, &url).await;
    assert_eq!(status, "major_outage");
    assert_eq!(
        incidents.len(),
        1,
        "one incident for one outage: {incidents:?}"
    );
    assert_eq!(incidents[0]["status"], "investigating", "{incidents:?}");
    // One check.down for one outage, however many regions see it down
    // (the third one too), from one process: the incidents lease's holder.
    regions[2].answer(503);
    exactly_one(&hook, "check.down").await;
    assert_eq!(status_changes(&hook), ["operational → major_outage"]);
    regions[2].answer(200);
    let (ready, body) = json(&client, format!("{url}/readyz")).await;
    assert_eq!(
        (ready, &body["stale_regions"]),
        (200, &serde_json::json!([])),
        "{body}"
    );

    // A dead region goes stale on /readyz and /metrics; the two live ones
    // still agree that the check is down.
    assert_eq!(regions[2].name, "asia");
    regions[2].probe.kill_9();
    wait_until(Duration::from_secs(15), "asia stale on /readyz", || async {
        let (status, body) = json(&client, format!("{url}/readyz")).await;
        status == 503 && body["stale_regions"] == serde_json::json!(["asia"])
    })
    .await;
    let metrics = client.get(format!("{url}/metrics")).send().await.unwrap();
    let metrics = metrics.text().await.unwrap();
    let age = |region: &str| {
        metric(
            &metrics,
            &format!("beacon_region_last_result_age_seconds{{region=\"{region}\"}}"),
        )
    };
    assert!(age("asia") > 3.0, "{metrics}");
    assert!(age("eu") < 3.0 && age("us") < 3.0, "{metrics}");
    assert_eq!(
        metric(&metrics, "beacon_region_stale{region=\"asia\"}"),
        1.0
    );
    assert_eq!(metric(&metrics, "beacon_region_stale{region=\"eu\"}"), 0.0);
    let (status, incidents) = status_and_incidents(&client, &url).await;
    assert_eq!((status.as_str(), incidents.len()), ("major_outage", 1));

    // The two live regions recover: one check.up, and still one check.down.
    regions[0].answer(200);
    regions[1].answer(200);
    exactly_one(&hook, "check.up").await;
    assert_eq!(by_id(&hook, "check.down").len(), 1);
    assert_eq!(
        status_changes(&hook),
        ["operational → major_outage", "major_outage → operational"]
    );
    // The page's snapshot is built every second or so: it follows.
    wait_until(Duration::from_secs(5), "asia stale on the page", || async {
        let page = component_page().await;
        let asia = page
            .find("data-label=\"asia\"")
            .map_or("", |at| &page[at..]);
        asia.split("</td>")
            .next()
            .is_some_and(|cell| cell.contains("Stale Data"))
    })
    .await;
}

#[test]
fn a_region_that_is_not_an_id_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("beacon.db").display());
    let config = dir.path().join("beacon.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let out = run(beacon(dir.path(), &db)
        .args(["probe", "--region", "EU West", "--config"])
        .arg(&config));
    assert_one_line_error(&out, "\"EU West\" is not a valid id");
    let out = run(beacon(dir.path(), &db)
        .env("BEACON_REGION", "x".repeat(65))
        .args(["serve", "--config"])
        .arg(&config));
    assert_one_line_error(&out, "--region / BEACON_REGION");
}
