//! Render cost (issue 8 target 5): building the snapshot from loaded data
//! and rendering `/`, for 50 and 500 components × 90 days, from memory (no
//! database), as every rebuild followed by the first visit does.
//!
//! Also the compression each change of / costs (once, not per visitor).
//!
//! `cargo bench --bench render`; targets: ≤ 2 ms (50) and ≤ 20 ms (500).

#[path = "../tests/api/fleet.rs"]
mod fleet;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use beacon::config::Config;
use beacon::domain::Outcome;
use beacon::model::{DayTable, Encoding, Loaded, snapshot};
use beacon::status::{CheckState, DayCounts, Tracker};
use beacon::store::StoredCheckState;
use chrono::{Days, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

/// What the store would hand the rebuild: one fresh state and 90 days per check.
fn loaded(config: &Config, now: chrono::DateTime<Utc>) -> Loaded {
    let today = snapshot::today(config, now);
    let mut counts = DayTable::new();
    let mut states = Vec::new();
    for (i, check) in config.checks.iter().enumerate() {
        let days = (0..fleet::DAYS)
            .map(|back| {
                let (good, total) = fleet::day_counts(i, back);
                DayCounts {
                    day: today - Days::new(u64::from(back)),
                    good,
                    total,
                }
            })
            .collect();
        counts.insert(check.id.to_string(), days);
        states.push(StoredCheckState {
            check_id: check.id.to_string(),
            tracker: Tracker {
                state: Some(CheckState::Up),
                streak_of: Some(Outcome::Ok),
                streak: 12,
            },
            last_result_at: now,
            last_latency_ms: Some(42),
            last_failure: None,
        });
    }
    Loaded {
        revision: 1,
        states,
        counts,
        ..Loaded::default()
    }
}

fn site(components: usize) -> (Arc<Config>, Loaded, chrono::DateTime<Utc>) {
    let text = fleet::config(components, "http://127.0.0.1:9/health");
    let config = Arc::new(Config::parse(&text, Path::new("bench.toml")).unwrap());
    let now = Utc::now();
    let data = loaded(&config, now);
    (config, data, now)
}

fn build_and_render(c: &mut Criterion) {
    for components in [50, 500] {
        let (config, data, now) = site(components);
        let name = format!("snapshot build + render / ({components} components x 90 days)");
        // The rebuild takes the loaded data by value: its copy is made
        // outside the timed part, as the store hands over fresh data.
        c.bench_function(&name, |b| {
            b.iter_batched(
                || data.clone(),
                |data| {
                    let snap = snapshot::build(Arc::clone(&config), data, now);
                    black_box(beacon::web::render_index(&snap).unwrap())
                },
                BatchSize::SmallInput,
            )
        });
    }
}

fn compress(c: &mut Criterion) {
    let (config, data, now) = site(50);
    let html = beacon::web::render_index(&snapshot::build(config, data, now)).unwrap();
    for encoding in [Encoding::Gzip, Encoding::Brotli] {
        let name = format!("compress / (50 components x 90 days): {}", encoding.token());
        c.bench_function(&name, |b| {
            b.iter(|| black_box(encoding.encode(html.as_bytes()).unwrap()))
        });
    }
}

criterion_group!(benches, build_and_render, compress);
criterion_main!(benches);
