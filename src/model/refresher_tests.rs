use crate::domain::NewMaintenance;

use super::*;

async fn model() -> (tempfile::TempDir, Store, Arc<Model>) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let store = Store::open(&url).await.unwrap();
    let config = Arc::new(Config::demo("127.0.0.1:8080".parse().unwrap()));
    let model = Model::load(store.clone(), config, Utc::now())
        .await
        .unwrap();
    (dir, store, Arc::new(model))
}

async fn schedule(store: &Store, title: &str) {
    let now = Utc::now();
    let new = NewMaintenance {
        title: title.into(),
        body: String::new(),
        starts_at: now + chrono::Duration::hours(1),
        ends_at: now + chrono::Duration::hours(2),
        components: vec![],
        notify: true,
    };
    store.create_maintenance(&new, now).await.unwrap();
}

fn titles(model: &Model) -> Vec<String> {
    model
        .get()
        .maintenances
        .iter()
        .map(|m| m.title.clone())
        .collect()
}

#[tokio::test]
async fn a_committed_write_is_in_the_snapshot_when_refresh_now_returns() {
    let (_dir, store, model) = model().await;
    schedule(&store, "first").await;
    assert!(titles(&model).is_empty(), "no poll ran yet");
    model.refresh_now().await.unwrap();
    assert_eq!(titles(&model), ["first"]);
    assert_eq!(model.rebuilds(), 2);
}

#[tokio::test]
async fn concurrent_writers_share_rebuilds() {
    let (_dir, store, model) = model().await;
    let all_written = Arc::new(tokio::sync::Barrier::new(20));
    let mut writers = Vec::new();
    for n in 0..20 {
        let (store, model) = (store.clone(), Arc::clone(&model));
        let all_written = Arc::clone(&all_written);
        writers.push(tokio::spawn(async move {
            schedule(&store, &format!("w{n}")).await;
            all_written.wait().await;
            model.refresh_now().await.unwrap();
            // Each writer sees its own write when refresh_now returns.
            assert!(titles(&model).contains(&format!("w{n}")));
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    assert_eq!(titles(&model).len(), 20);
    let rebuilds = model.rebuilds() - 1;
    // One rebuild may have started before the last ticket; the next covers all.
    assert!(
        (1..=3).contains(&rebuilds),
        "{rebuilds} rebuilds for 20 writers"
    );
}

#[tokio::test]
async fn the_poll_picks_up_writes_of_other_handles() {
    let (_dir, store, model) = model().await;
    let (stop, stopped) = watch::channel(false);
    let poller = {
        let model = Arc::clone(&model);
        tokio::spawn(async move { model.refresh_until_stopped(stopped).await })
    };
    schedule(&store, "elsewhere").await;
    let deadline = tokio::time::Instant::now() + POLL_EVERY * 6;
    while titles(&model).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "poll missed the write"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send_replace(true);
    poller.await.unwrap();
}
