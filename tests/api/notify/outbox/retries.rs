//! Deliveries that fail: hangs and 500s retried with the same id and
//! bytes without delaying anyone else, and `kill -9` losing nothing.

use super::*;

#[tokio::test]
async fn a_hanging_target_delays_neither_the_other_notifier_nor_the_probes_and_is_retried_with_the_same_id()
 {
    let target = Target::start(Mode::Ok).await;
    let hanging = HookReceiver::start(Some(SECRET)).await;
    let healthy = HookReceiver::start(Some(SECRET)).await;
    hanging.answer(Answer::Hang);
    let dir = tempfile::tempdir().unwrap();
    let notifiers = format!(
        "{}{}",
        webhook("slow", &hanging.url(), "timeout = \"1s\""),
        webhook("fast", &healthy.url(), "")
    );
    let served = serve_operational(&dir, &target, &notifiers).await;
    let client = reqwest::Client::new();

    target.set(Mode::Close);
    wait_until(
        Duration::from_secs(10),
        "check.down at the healthy target",
        || async { !by_id(&healthy, "check.down").is_empty() },
    )
    .await;
    wait_until(
        Duration::from_secs(2),
        "the hanging one tried too",
        || async { !by_id(&hanging, "check.down").is_empty() },
    )
    .await;
    // The probes go on meanwhile, on time: every 300 ms check started while
    // the hanging target held its attempts is in the schedule-lag histogram
    // within 2.5 s, and recovery is seen.
    let lag = |text: &str, bucket: &str| {
        metric(text, &format!("beacon_probe_schedule_lag_seconds{bucket}"))
    };
    let metrics = || async {
        client
            .get(format!("{}/metrics", served.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let before = lag(&metrics().await, "_count");
    target.set(Mode::Ok);
    wait_until(
        Duration::from_secs(10),
        "check.up at the healthy target",
        || async { !by_id(&healthy, "check.up").is_empty() },
    )
    .await;
    let text = metrics().await;
    let count = lag(&text, "_count");
    assert!(count >= before + 2.0, "probes went on: {before} -> {count}");
    assert!(
        lag(&text, "_bucket{le=\"2.5\"}") >= count - 1.0,
        "probes started late:\n{text}"
    );

    hanging.answer(Answer::Accept);
    wait_until(
        Duration::from_secs(30),
        "the hanging target gets check.down on a retry",
        || async {
            let down = by_id(&hanging, "check.down");
            down.len() == 1 && down.keys().all(|id| hanging.accepted(id) == 1)
        },
    )
    .await;
    let down = by_id(&hanging, "check.down");
    let (id, attempts) = down.iter().next().unwrap();
    assert!(*attempts >= 2, "retried: {attempts}");
    assert_eq!(hanging.accepted(id), 1, "one logical delivery");
    drop(served);
}

#[tokio::test]
async fn repeated_500s_are_retried_with_the_same_id_and_bytes() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    hook.answer(Answer::Fail(500));
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        &config(
            &target.url(),
            &webhook("ops", &hook.url(), "events = [\"check.down\"]"),
        ),
    );
    let served = serve(dir.path());
    let token = token(dir.path());

    target.set(Mode::Close);
    wait_until(Duration::from_secs(40), "two failed attempts", || async {
        hook.requests().len() >= 2
    })
    .await;
    let url = format!("{}/api/admin/deliveries?status=pending", served.url);
    let pending: serde_json::Value =
        serde_json::from_str(&get_text(&url, Some(&token)).await).unwrap();
    let first = &pending["deliveries"][0];
    assert_eq!(first["event"], "check.down");
    assert_eq!(first["target"], "ops");
    assert!(first["attempts"].as_u64().unwrap() >= 2, "{pending}");
    assert_eq!(first["last_error"], "HTTP 500 Internal Server Error");
    hook.answer(Answer::Accept);
    wait_until(Duration::from_secs(40), "accepted", || async {
        hook.requests().iter().any(|r| r.status == Some(200))
    })
    .await;
    let all = hook.requests();
    let ids: HashSet<&str> = all.iter().map(|r| r.header("x-beacon-delivery")).collect();
    assert_eq!(ids.len(), 1, "one delivery id across retries: {ids:?}");
    assert!(all.len() >= 3);
    assert!(
        all.iter()
            .all(|r| r.body == all[0].body && r.signature == Signature::Valid)
    );
    assert_eq!(hook.accepted(all[0].header("x-beacon-delivery")), 1);
}

#[tokio::test]
async fn kill_9_during_a_burst_loses_no_event_and_duplicates_none() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    hook.answer(Answer::Hang);
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        &config(
            &target.url(),
            &webhook(
                "ops",
                &hook.url(),
                "timeout = \"1s\"\nevents = [\"incident.opened\"]",
            ),
        ),
    );
    let mut served = serve(dir.path());
    let token = token(dir.path());
    let client = reqwest::Client::new();
    let mut opened = Vec::new();
    for n in 0..12 {
        let response = client
            .post(format!("{}/api/admin/incidents", served.url))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "title": format!("Burst {n}"), "status": "investigating", "impact": "minor",
                    "body": "b", "components": {"web": "degraded_performance"}
                })
                .to_string(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        opened.push(body["id"].as_str().unwrap().to_owned());
    }
    wait_until(
        Duration::from_secs(10),
        "some attempts in flight",
        || async { hook.requests().len() >= 2 },
    )
    .await;
    served.process.kill_9();

    hook.answer(Answer::Accept);
    let _again = serve(dir.path());
    wait_until(Duration::from_secs(60), "every event accepted", || async {
        let accepted: HashSet<String> = hook
            .requests()
            .iter()
            .filter(|r| r.status == Some(200))
            .map(|r| {
                r.json()["incident"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        opened.iter().all(|id| accepted.contains(id))
    })
    .await;
    let mut ids_per_event: HashMap<String, HashSet<String>> = HashMap::new();
    for r in hook.requests() {
        assert_eq!(r.signature, Signature::Valid);
        let event = r.json()["incident"]["id"].as_str().unwrap().to_owned();
        ids_per_event
            .entry(event)
            .or_default()
            .insert(r.header("x-beacon-delivery").to_owned());
    }
    assert_eq!(
        ids_per_event.len(),
        opened.len(),
        "no event lost, none invented"
    );
    for (event, ids) in &ids_per_event {
        assert_eq!(ids.len(), 1, "event {event} had one delivery id: {ids:?}");
    }
}
