//! What public routes show beyond the snapshot, read from the store when
//! their response is rendered (once per snapshot, never per visitor): pages
//! of the history, feed entries and the API's history lists.

use chrono::{DateTime, Utc};

use crate::domain::{Incident, Maintenance, MaintenanceStatus};
use crate::status;
use crate::store::{HistoryEntry, Store, StoreError};

/// Entries on one page of `/incidents` (SPEC §4).
pub const PER_PAGE: u64 = 20;
/// At most this many entries per feed (SPEC §5).
pub const FEED_ENTRIES: usize = 50;
/// Maintenances considered for a feed (newest by start); with incidents
/// this comfortably covers the [`FEED_ENTRIES`] newest entries.
const FEED_MAINTENANCES: u32 = 100;
/// How many items the API's history lists return (Statuspage: the 50 most recent).
pub const API_HISTORY: usize = 50;

/// One page of `/incidents`.
#[derive(Debug, Clone)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// How many pages there are (at least 1).
    pub pages: u64,
}

/// Page `page` (1-based) of the history; `None` when there is no such page.
pub async fn page(store: &Store, page: u64) -> Result<Option<HistoryPage>, StoreError> {
    let total = store.history_count().await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let offset = (page - 1).checked_mul(PER_PAGE).map(u32::try_from);
    let Some(Ok(offset)) = offset.filter(|_| page <= pages) else {
        return Ok(None);
    };
    let entries = store.history(PER_PAGE as u32, offset).await?;
    Ok(Some(HistoryPage { entries, pages }))
}

/// What the feeds are made of: incidents by latest activity, maintenances by start.
pub async fn feed(store: &Store) -> Result<(Vec<Incident>, Vec<Maintenance>), StoreError> {
    let incidents = store.incidents_by_activity(FEED_ENTRIES as u32).await?;
    let maintenances = store.maintenances(FEED_MAINTENANCES, 0).await?;
    Ok((incidents, maintenances))
}

/// The [`API_HISTORY`] newest incidents.
pub async fn api_incidents(store: &Store) -> Result<Vec<Incident>, StoreError> {
    store.incidents(API_HISTORY as u32, 0).await
}

/// The [`API_HISTORY`] most recent maintenances (by start), cancelled ones
/// left out (SPEC §6), paging past cancelled ones so the list is full when it can be.
pub async fn api_maintenances(
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Vec<Maintenance>, StoreError> {
    let page = API_HISTORY as u32;
    let mut kept = Vec::new();
    let mut offset = 0;
    loop {
        let batch = store.maintenances(page, offset).await?;
        let done = batch.len() < API_HISTORY;
        kept.extend(
            batch
                .into_iter()
                .filter(|m| status::maintenance::status(m, now) != MaintenanceStatus::Cancelled),
        );
        if done || kept.len() >= API_HISTORY {
            kept.truncate(API_HISTORY);
            return Ok(kept);
        }
        offset = offset.saturating_add(page);
    }
}
