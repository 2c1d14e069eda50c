//! Daily counts for the uptime bars, loaded incrementally: the closed days
//! once, the open ones (yesterday and today) on every rebuild. A rebuild
//! then reads a few rows per check however long the history is, so its cost
//! does not grow with `history_days` or with how often results arrive.
//!
//! Closed days can still change in rare cases (a result taken at 23:59:59
//! written after midnight lands in yesterday, which is reloaded; another
//! process backfilling older days): everything is reloaded when the day
//! changes, when the period changes, and at least every [`FULL_RELOAD`].

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};

use super::snapshot::DayTable;
use crate::status::DayCounts;
use crate::store::{Store, StoreError};

/// Closed days are reloaded at least this often.
pub const FULL_RELOAD: Duration = Duration::from_secs(600);

/// Days before `open_from`, as loaded at `loaded_at`.
#[derive(Debug)]
struct Closed {
    since: NaiveDate,
    open_from: NaiveDate,
    loaded_at: Instant,
    table: DayTable,
}

/// The cache of closed days; owned by the model's rebuilder.
#[derive(Debug, Default)]
pub struct Rollups {
    closed: Option<Closed>,
}

impl Rollups {
    /// Counts of every check from `since` through `today`.
    pub async fn load(
        &mut self,
        store: &Store,
        since: NaiveDate,
        today: NaiveDate,
    ) -> Result<DayTable, StoreError> {
        // Yesterday stays open: late results of its last seconds land there.
        let open_from = today
            .checked_sub_days(Days::new(1))
            .unwrap_or(today)
            .max(since);
        let reusable = self.closed.as_ref().is_some_and(|c| {
            c.since == since && c.open_from == open_from && c.loaded_at.elapsed() < FULL_RELOAD
        });
        if !reusable {
            let mut table = DayTable::new();
            extend(
                &mut table,
                store.daily_counts_between(since, open_from).await?,
            );
            self.closed = Some(Closed {
                since,
                open_from,
                loaded_at: Instant::now(),
                table,
            });
        }
        let mut table = self
            .closed
            .as_ref()
            .map(|c| c.table.clone())
            .unwrap_or_default();
        extend(&mut table, store.daily_counts(open_from).await?);
        Ok(table)
    }
}

fn extend(table: &mut DayTable, rows: Vec<(String, DayCounts)>) {
    for (check, counts) in rows {
        table.entry(check).or_default().push(counts);
    }
}
