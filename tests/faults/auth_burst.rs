//! Defect 6 of issue 10: a burst of wrong admin tokens from one client is
//! throttled (429 + Retry-After) and logged once, while a valid token keeps
//! working from the same client and other clients are not affected.

use std::time::Duration;

use crate::beacon::{Beacon, Served};

async fn list(client: &reqwest::Client, beacon: &Beacon, token: &str) -> reqwest::Response {
    client
        .get(beacon.url("/api/admin/maintenances"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
}

fn from(last_octet: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, last_octet]))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_tokens_are_throttled_per_client_and_a_valid_token_never_is() {
    let beacon = Served::start("1s", "");
    let token = beacon.token();
    let attacker = from(1);
    let mut statuses = Vec::new();
    for i in 0..60 {
        let wrong = format!("bcn_guess{i:040}");
        let r = list(&attacker, &beacon, &wrong).await;
        let status = r.status().as_u16();
        if status == 429 {
            let retry: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&retry), "{retry}");
            let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
            assert_eq!(body["error"]["code"], "rate_limited", "{body}");
        }
        statuses.push(status);
        if i % 10 == 9 {
            let ok = list(&attacker, &beacon, &token).await;
            assert_eq!(ok.status(), 200, "a valid token works during the attack");
        }
    }
    assert!(statuses[..30].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[30..].iter().all(|s| *s == 429), "{statuses:?}");
    let other = list(&from(2), &beacon, "bcn_wrong").await;
    assert_eq!(other.status(), 401, "another client is not throttled");

    let metrics = attacker.get(beacon.url("/metrics")).send().await.unwrap();
    let metrics = metrics.text().await.unwrap();
    assert!(
        metrics.contains("\nbeacon_admin_auth_failures_total 61\n"),
        "{metrics}"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logged: Vec<String> = beacon
        .stderr()
        .into_iter()
        .filter(|l| l.contains("failed admin authentication"))
        .collect();
    assert_eq!(logged.len(), 2, "one line per burst and client: {logged:?}");
    assert!(logged[0].contains("127.0.0.1"), "{logged:?}");
    assert!(logged[1].contains("127.0.0.2"), "{logged:?}");
}
