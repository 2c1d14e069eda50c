//! The worker stepped by hand against real HTTP targets on 127.0.0.1: no
//! test here waits on the clock for a probe to come due.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;
use crate::domain::Outcome;
use crate::probe::http;
use crate::probe::schedule::STARTUP_WINDOW;

/// An HTTP server answering every request with `status`, counting them.
async fn target(status: u16) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/health", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = [0; 1024];
                let _ = socket.read(&mut request).await;
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    (url, hits)
}

fn config(urls: &[&str]) -> Arc<Config> {
    let mut text = String::from("[site]\ntitle = \"Steps\"\n");
    for (i, url) in urls.iter().enumerate() {
        text += &format!(
            "[[components]]\nid = \"c{i}\"\nname = \"C{i}\"\n[[checks]]\nid = \"check-{i}\"\n\
             component = \"c{i}\"\nkind = \"http\"\nurl = \"{url}\"\ninterval = \"10s\"\n"
        );
    }
    Arc::new(Config::parse(&text, Path::new("steps.toml")).unwrap())
}

struct Harness {
    _dir: tempfile::TempDir,
    worker: Worker,
    results: mpsc::Receiver<CheckResult>,
    lag: Arc<ScheduleLag>,
    start: Instant,
}

async fn harness(urls: &[&str]) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("w.db").display());
    let store = Store::open(&url).await.unwrap();
    let (sender, results) = mpsc::channel(64);
    let lag = Arc::new(ScheduleLag::default());
    let start = Instant::now();
    let worker = Worker::new(
        config(urls),
        store,
        http::client().unwrap(),
        sender,
        Arc::clone(&lag),
        start,
    );
    Harness {
        _dir: dir,
        worker,
        results,
        lag,
        start,
    }
}

impl Harness {
    /// Runs what is due `offset` after the start and waits for its results.
    async fn step(&mut self, offset: Duration) -> Vec<CheckResult> {
        self.worker.run_due(self.start + offset);
        // Every attempt started so far finishes and sends its result.
        while let Some(done) = self.worker.in_flight.join_next().await {
            done.unwrap();
        }
        let mut out = Vec::new();
        while let Ok(result) = self.results.try_recv() {
            out.push(result);
        }
        out.sort_by(|a, b| a.check.as_str().cmp(b.check.as_str()));
        out
    }

    fn observed_lags(&self) -> String {
        let mut text = String::new();
        self.lag.write_prometheus(&mut text);
        text.lines()
            .find(|l| l.starts_with("beacon_probe_schedule_lag_seconds_count"))
            .unwrap()
            .to_owned()
    }
}

#[tokio::test]
async fn each_check_runs_once_per_due_time_and_says_when_the_next_is_due() {
    let ((ok, ok_hits), (down, down_hits)) = (target(200).await, target(503).await);
    let mut h = harness(&[&ok, &down]).await;

    let first = h.step(STARTUP_WINDOW).await;
    assert_eq!(first.len(), 2, "{first:?}");
    assert_eq!(first[0].outcome, Outcome::Ok);
    assert_eq!(first[1].outcome, Outcome::Failed);
    assert_eq!(first[1].reason.as_deref(), Some("status 503, expected 2xx"));
    assert_eq!(
        (
            ok_hits.load(Ordering::SeqCst),
            down_hits.load(Ordering::SeqCst)
        ),
        (1, 1)
    );
    assert!(h.observed_lags().ends_with(" 2"), "{}", h.observed_lags());

    // Nothing more is due until the next slot, which the worker names.
    assert!(h.step(STARTUP_WINDOW).await.is_empty());
    let next = h.worker.run_due(h.start + STARTUP_WINDOW).unwrap();
    // Half an interval to an interval and a half after the first run.
    let offset = next - h.start;
    assert!(offset >= Duration::from_secs(5), "{offset:?}");
    assert!(
        offset <= STARTUP_WINDOW + Duration::from_secs(15),
        "{offset:?}"
    );
    assert_eq!(h.step(next - h.start).await.len(), 1);
}

#[tokio::test]
async fn a_stalled_worker_runs_each_check_once_not_a_burst() {
    let (url, hits) = target(200).await;
    let mut h = harness(&[&url]).await;
    assert_eq!(h.step(STARTUP_WINDOW).await.len(), 1);
    // Ten intervals pass without a step: one attempt, not ten.
    let late = h.step(Duration::from_secs(100)).await;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert!(h.step(Duration::from_secs(100)).await.is_empty());
}

#[tokio::test]
async fn no_check_means_nothing_is_ever_due() {
    let mut h = harness(&[]).await;
    assert_eq!(h.worker.run_due(h.start + Duration::from_secs(3600)), None);
    h.worker.stop().await;
}
