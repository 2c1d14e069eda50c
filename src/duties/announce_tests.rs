use std::path::Path;

use chrono::TimeZone;

use super::*;
use crate::domain::{ComponentStatus, EventKind, Outcome};
use crate::status::Tracker;
use crate::store::StoredCheckState;
use crate::store::test_databases::TestDatabase;
use ComponentStatus::{MajorOutage, Operational, PartialOutage};

const CHECKS: &str = "[[components]]\nid = \"api\"\nname = \"API\"\n\n\
    [[checks]]\nid = \"a\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"127.0.0.1:1\"\ninterval = \"10s\"\n\n\
    [[checks]]\nid = \"b\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"127.0.0.1:1\"\ninterval = \"10s\"\n";

fn config(extra: &str) -> Config {
    Config::parse(&format!("{extra}{CHECKS}"), Path::new("t.toml")).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

/// `check`'s row in `region`: down or up, its last result `ago_s` old.
fn row(check: &str, region: &str, down: bool, ago_s: i64) -> StoredCheckState {
    let outcome = if down { Outcome::Failed } else { Outcome::Ok };
    StoredCheckState {
        check_id: check.into(),
        region: region.into(),
        tracker: Tracker::NEW.next(outcome, 1, 1),
        last_result_at: now() - chrono::Duration::seconds(ago_s),
        last_latency_ms: Some(5),
        last_failure: down.then(|| (now(), format!("{region} refused"))),
    }
}

/// What `due` announces, in short: `("a", true)` is `check.down` of `a`,
/// `("api", MajorOutage)` a component's new status.
#[derive(Debug, PartialEq)]
enum Short {
    Check(&'static str, bool),
    Component(ComponentStatus, ComponentStatus),
}

fn short(due: &[Announcement]) -> Vec<Short> {
    due.iter()
        .map(|a| match a {
            Announcement::Check { check, down, .. } => {
                let check = if check.as_str() == "a" { "a" } else { "b" };
                Short::Check(check, *down)
            }
            Announcement::Component { from, to, .. } => Short::Component(*from, *to),
        })
        .collect()
}

/// What `due` would leave announced after recording all of `due`.
fn after(mut announced: Announced, due: &[Announcement]) -> Announced {
    for a in due {
        match a {
            Announcement::Check { check, down, .. } => {
                announced.down.insert(check.as_str().to_owned(), *down);
            }
            Announcement::Component { component, to, .. } => {
                announced
                    .components
                    .insert(component.as_str().to_owned(), *to);
            }
        }
    }
    announced
}

#[test]
fn three_regions_with_quorum_two_announce_the_second_failure_once_and_the_recovery_once() {
    let config = config("[probes]\nquorum = 2\n");
    let steps: [(&str, [bool; 3], Vec<Short>); 5] = [
        ("all up", [false; 3], vec![]),
        ("one region of three fails", [true, false, false], vec![]),
        (
            "a second one fails",
            [true, true, false],
            vec![
                Short::Check("a", true),
                Short::Component(Operational, PartialOutage),
            ],
        ),
        ("the third one fails too", [true, true, true], vec![]),
        (
            "two recover",
            [false, false, true],
            vec![
                Short::Check("a", false),
                Short::Component(PartialOutage, Operational),
            ],
        ),
    ];
    let mut announced = Announced::default();
    for (name, down, want) in steps {
        let mut rows: Vec<StoredCheckState> = ["eu", "us", "asia"]
            .iter()
            .zip(down)
            .map(|(region, down)| row("a", region, down, 1))
            .collect();
        rows.extend(["eu", "us", "asia"].map(|r| row("b", r, false, 1)));
        let shown = regions::shown(&config, &rows, now());
        let due = due(&config, &shown, &announced);
        assert_eq!(short(&due), want, "{name}");
        announced = after(announced, &due);
        assert!(
            super::due(&config, &shown, &announced).is_empty(),
            "{name}: announced once"
        );
    }
}

#[test]
fn a_check_down_carries_its_reason_and_time_and_stale_regions_announce_nothing() {
    let single = config("");
    let rows = [row("a", "default", true, 2), row("b", "default", true, 1)];
    let shown = regions::shown(&single, &rows, now());
    let due = due(&single, &shown, &Announced::default());
    assert_eq!(
        short(&due),
        [
            Short::Check("a", true),
            Short::Check("b", true),
            Short::Component(Operational, MajorOutage)
        ]
    );
    let Announcement::Check { reason, at, .. } = &due[0] else {
        panic!("{due:?}")
    };
    assert_eq!(reason.as_deref(), Some("default refused"));
    assert_eq!(*at, now() - chrono::Duration::seconds(2));
    let Announcement::Component { at, .. } = &due[2] else {
        panic!("{due:?}")
    };
    assert_eq!(
        *at,
        now() - chrono::Duration::seconds(1),
        "its newest result"
    );

    // Every region of a quiet probe gone stale: no check state to announce,
    // and no component status from the check that is left.
    let quorum = config("[probes]\nquorum = 1\n");
    let announced = after(Announced::default(), &due);
    let rows = [row("a", "eu", false, 600), row("b", "eu", false, 1)];
    let shown = regions::shown(&quorum, &rows, now());
    assert_eq!(shown["a"].state, None);
    assert_eq!(
        short(&super::due(&quorum, &shown, &announced)),
        [Short::Check("b", false)]
    );
}

/// The kinds recorded since the last call (fanning them out to nobody).
async fn drain(store: &Store) -> Vec<EventKind> {
    let events = store.events_to_fan_out(100).await.unwrap();
    for e in &events {
        store.fan_out(e.id, &[], now()).await.unwrap();
    }
    events.iter().map(|e| e.kind).collect()
}

/// Records one result of each check in `region`.
async fn record(store: &Store, region: &str, outcome: Outcome, at: DateTime<Utc>) {
    let batch: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|check| crate::store::Recorded {
            result: crate::domain::CheckResult {
                check: crate::domain::CheckId::parse(check).unwrap(),
                at,
                outcome,
                latency: Some(std::time::Duration::from_millis(5)),
                reason: (outcome == Outcome::Failed).then(|| "refused".to_owned()),
            },
            tracker: Tracker::NEW.next(outcome, 1, 1),
            day: at.date_naive(),
            counted: true,
        })
        .collect();
    store.record_in(region, &batch).await.unwrap();
}

/// A takeover: the next holder (another process: its own pool) reads what
/// the last one announced, repeats none of it, and announces what the last
/// one left unannounced; a stale holder's late announcement records nothing.
async fn takeover_neither_repeats_nor_loses(url: &str, heir_url: &str) {
    use EventKind::{CheckDown, CheckUp, ComponentStatus};
    let config = config("");
    let first = Store::open(url).await.unwrap();
    record(&first, "default", Outcome::Failed, now()).await;
    assert_eq!(load_and_run(&first, &config, now()).await.unwrap(), 3);
    assert_eq!(drain(&first).await, [CheckDown, CheckDown, ComponentStatus]);

    let heir = Store::open(heir_url).await.unwrap();
    assert_eq!(load_and_run(&heir, &config, now()).await.unwrap(), 0);
    assert_eq!(drain(&heir).await, [], "nothing repeated");

    // The first holder saw the recovery but died before announcing it.
    let later = now() + chrono::Duration::seconds(10);
    record(&first, "default", Outcome::Ok, later).await;
    let shown = regions::load(&first, &config, later).await.unwrap();
    let stale = due(&config, &shown, &first.announced().await.unwrap());
    assert_eq!(stale.len(), 3);
    assert_eq!(load_and_run(&heir, &config, later).await.unwrap(), 3);
    assert_eq!(
        drain(&heir).await,
        [CheckUp, CheckUp, ComponentStatus],
        "nothing lost"
    );
    assert_eq!(first.announce(&stale).await.unwrap(), 0, "nothing twice");

    // Two holders at once (a stalled one waking up): still once each.
    let again = now() + chrono::Duration::seconds(20);
    record(&first, "default", Outcome::Failed, again).await;
    let shown = regions::load(&first, &config, again).await.unwrap();
    let due = due(&config, &shown, &first.announced().await.unwrap());
    let (one, two) = tokio::join!(first.announce(&due), heir.announce(&due));
    assert_eq!(one.unwrap() + two.unwrap(), 3);
    assert_eq!(drain(&first).await, [CheckDown, CheckDown, ComponentStatus]);
    first.close().await;
    heir.close().await;
}

#[tokio::test]
async fn a_takeover_neither_repeats_nor_loses_an_announcement_on_sqlite() {
    let db = TestDatabase::sqlite();
    takeover_neither_repeats_nor_loses(&db.url, &db.url).await;
}

#[tokio::test]
async fn a_takeover_neither_repeats_nor_loses_an_announcement_on_postgres() {
    let db = TestDatabase::postgres();
    // The heir connects over the cluster's unix socket, as a regional
    // probe in a network namespace of its own does.
    let socket = crate::store::test_databases::over_unix_socket(&db.url);
    takeover_neither_repeats_nor_loses(&db.url, &socket).await;
}
