//! When each admin token was last used: noted in memory on every request,
//! written by [`record_uses_until_stopped`], coalesced, off the request path
//! and best-effort (a lost `last_used` is harmless).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::store::Store;

/// Noted token uses are written this often.
pub const RECORD_USES_EVERY: Duration = Duration::from_secs(2);

/// When each token was last used, waiting to be written.
#[derive(Debug, Default)]
pub struct TokenUses(Mutex<HashMap<String, DateTime<Utc>>>);

impl TokenUses {
    /// Notes that `name` was used at `at` (the latest use wins).
    pub fn note(&self, name: &str, at: DateTime<Utc>) {
        let mut uses = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let latest = uses.entry(name.to_owned()).or_insert(at);
        *latest = (*latest).max(at);
    }

    fn take(&self) -> Vec<(String, DateTime<Utc>)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
            .into_iter()
            .collect()
    }

    /// Puts back uses that could not be written (newer notes win).
    fn put_back(&self, uses: Vec<(String, DateTime<Utc>)>) {
        for (name, at) in uses {
            self.note(&name, at);
        }
    }

    /// Writes what was noted; on failure keeps it for the next try.
    async fn record(&self, store: &Store) {
        let uses = self.take();
        if uses.is_empty() {
            return;
        }
        if let Err(e) = store.record_token_uses(&uses).await {
            tracing::debug!(error = %e, "token last-use times not written yet; will retry");
            self.put_back(uses);
        }
    }
}

/// Writes noted token uses every [`RECORD_USES_EVERY`] until `stopped`, then once more.
pub async fn record_uses_until_stopped(
    store: Store,
    uses: std::sync::Arc<TokenUses>,
    mut stopped: watch::Receiver<bool>,
) {
    while !*stopped.borrow() {
        tokio::select! {
            _ = tokio::time::sleep(RECORD_USES_EVERY) => uses.record(&store).await,
            _ = stopped.changed() => {}
        }
    }
    uses.record(&store).await;
}
