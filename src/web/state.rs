//! State shared by every handler.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::caching::PageCache;
use crate::model::Model;
use crate::store::Store;

/// Handed to handlers through `State<AppState>`; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    /// The status model: `snapshot.get()` is the current snapshot, whose
    /// `config` is the running configuration.
    pub snapshot: Arc<Model>,
    /// Public responses rendered and compressed once per snapshot.
    pub pages: Arc<PageCache>,
    /// Responses served, for `/metrics`.
    pub http_counts: Arc<super::metrics::HttpCounts>,
    /// How late the in-process probe worker starts checks, for `/metrics`.
    pub schedule_lag: Arc<crate::probe::lag::ScheduleLag>,

    /// Absolute base of links in feeds and APIs: `site.url`, else `http://{bound address}`.
    pub base_url: String,
    /// When this process started; a worker-less check is overdue 3 intervals after.
    pub started_at: DateTime<Utc>,
}
