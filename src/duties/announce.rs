//! The announcing duty (SPEC §8 `check.down`, `check.up`,
//! `component.status`): on the holder of the incidents lease, compares
//! each check's state as the page shows it (every probe region combined by
//! the quorum rule, [`regions`]) with what was last announced
//! ([`Store::announced`]) and announces the differences. With three
//! regions and quorum 2, one failing region announces nothing; a second
//! one makes one `check.down`. The record of what was announced is written
//! with each event, so a new holder after a takeover neither repeats an
//! announcement nor misses one.
//!
//! Decisions the SPEC leaves open, taken here:
//!
//! - A check is announced down when its shown state is `down`, and up
//!   again when its shown state is known and not `down`. A check with no
//!   shown state (every region stale) announces nothing: the page shows it
//!   stale, and the probes going quiet is not a recovery.
//! - A component's status is its checks' shown states through
//!   [`status::component::from_checks`] (maintenance, incidents and
//!   overrides are announced by their own events); it is not announced
//!   while one of its checks that has results has no shown state.
//! - A check's event is dated by its newest result of any region, a
//!   component's by the newest result of its checks: when the change was
//!   seen, not when this process noticed it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::model::regions::{self, ShownCheck};
use crate::status::{self, CheckState};
use crate::store::{Announced, Announcement, Store, StoreError};

/// Announces every change of the checks' shown states `shown` since what
/// was last announced; returns how many it recorded.
pub async fn run_once(
    store: &Store,
    config: &Config,
    shown: &HashMap<String, ShownCheck>,
) -> Result<usize, StoreError> {
    let announced = store.announced().await?;
    let due = due(config, shown, &announced);
    if due.is_empty() {
        return Ok(0);
    }
    store.announce(&due).await
}

/// What is due, component by component in config order: each check's
/// change, then the component's.
pub fn due(
    config: &Config,
    shown: &HashMap<String, ShownCheck>,
    announced: &Announced,
) -> Vec<Announcement> {
    let mut due = Vec::new();
    for component in &config.components {
        let checks: Vec<_> = config
            .checks_of(&component.id)
            .map(|c| (c, shown.get(c.id.as_str())))
            .collect();
        for (spec, check) in &checks {
            let Some(check) = check else { continue };
            let Some(state) = check.state else { continue };
            let down = state == CheckState::Down;
            if down == announced.is_down(spec.id.as_str()) {
                continue;
            }
            due.push(Announcement::Check {
                check: spec.id.clone(),
                component: component.id.clone(),
                down,
                reason: down
                    .then(|| check.last_failure.as_ref().map(|(_, r)| r.clone()))
                    .flatten(),
                at: check.last_result_at,
            });
        }
        let shown_checks: Vec<&ShownCheck> = checks.iter().filter_map(|(_, s)| *s).collect();
        if shown_checks.iter().any(|s| s.state.is_none()) {
            continue;
        }
        let states: Vec<Option<CheckState>> = shown_checks.iter().map(|s| s.state).collect();
        let to = status::component::from_checks(&states);
        let from = announced.status(component.id.as_str());
        if to == from {
            continue;
        }
        let at = shown_checks.iter().map(|s| s.last_result_at).max();
        due.push(Announcement::Component {
            component: component.id.clone(),
            from,
            to,
            at: at.unwrap_or_else(Utc::now),
        });
    }
    due
}

/// [`regions::load`] then [`run_once`]: one round at `now` on its own.
pub async fn load_and_run(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let shown = regions::load(store, config, now).await?;
    run_once(store, config, &shown).await
}

#[cfg(test)]
#[path = "announce_tests.rs"]
mod tests;
