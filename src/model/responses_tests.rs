use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::TimeZone;

use super::*;

fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, second).unwrap()
}

async fn page(body: &str) -> Result<(&'static str, String), String> {
    Ok(("text/html", body.to_owned()))
}

#[tokio::test]
async fn concurrent_visitors_share_one_render() {
    let store = Arc::new(Responses::default());
    let renders = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (store, renders) = (Arc::clone(&store), Arc::clone(&renders));
        tasks.push(tokio::spawn(async move {
            store
                .get("/", at(0), || async {
                    renders.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    page("hello").await
                })
                .await
                .unwrap()
        }));
    }
    let mut bodies = Vec::new();
    for task in tasks {
        bodies.push(task.await.unwrap());
    }
    assert_eq!(renders.load(Ordering::SeqCst), 1);
    assert!(bodies.iter().all(|b| Arc::ptr_eq(b, &bodies[0])));
    assert_eq!(bodies[0].identity().body, "hello");
}

#[tokio::test]
async fn a_new_version_renders_again_and_keeps_compression_when_bytes_are_equal() {
    let store = Responses::default();
    let first = store.get("/", at(0), || page("same")).await.unwrap();
    let same = store.get("/", at(1), || page("same")).await.unwrap();
    assert!(Arc::ptr_eq(&first, &same), "equal bodies share one entry");
    let changed = store.get("/", at(2), || page("changed")).await.unwrap();
    assert_eq!(changed.identity().body, "changed");
    assert_ne!(changed.identity().etag, first.identity().etag);
    // Version 2 is stored now: the version-2 entry is served without a render.
    let again = store
        .get("/", at(2), || async { Err("must not render".to_owned()) })
        .await
        .unwrap();
    assert!(Arc::ptr_eq(&again, &changed));
}

#[tokio::test]
async fn an_outdated_request_gets_the_newer_response() {
    let store = Responses::default();
    let newer = store.get("/", at(5), || page("new")).await.unwrap();
    let late = store.get("/", at(4), || page("old")).await.unwrap();
    assert!(Arc::ptr_eq(&late, &newer));
}

#[tokio::test]
async fn failed_renders_are_not_kept() {
    let store = Responses::default();
    let failed = store
        .get("/x", at(0), || async { Err::<(&str, String), _>("gone") })
        .await;
    assert_eq!(failed.unwrap_err(), "gone");
    assert!(store.lock().is_empty());
    let ok = store.get("/x", at(0), || page("back")).await.unwrap();
    assert_eq!(ok.identity().body, "back");
}

#[tokio::test]
async fn codings_are_made_once_and_small_bodies_stay_identity() {
    let body = "<li>2026-11-24: 100.00%</li>".repeat(500);
    let store = Responses::default();
    let r = store.get("/", at(0), || page(&body)).await.unwrap();
    let gz = r.encoded(Encoding::Gzip).await;
    assert_eq!(gz.encoding, Encoding::Gzip);
    assert!(gz.body.len() < body.len() / 10);
    assert!(std::ptr::eq(gz, r.encoded(Encoding::Gzip).await));
    let br = r.encoded(Encoding::Brotli).await;
    assert_eq!(br.encoding, Encoding::Brotli);
    assert_ne!(br.etag, gz.etag);

    let tiny = store.get("/t", at(0), || page("ok")).await.unwrap();
    let served = tiny.encoded(Encoding::Brotli).await;
    assert_eq!(served.encoding, Encoding::Identity, "no gain, no coding");
    assert_eq!(served.body, "ok");
}
