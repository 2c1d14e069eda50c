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
    /// Admin token uses not yet written to the store.
    pub token_uses: Arc<super::auth::TokenUses>,
    /// Failed admin authentications per client, for throttling and `/metrics`.
    pub auth_failures: Arc<super::auth::throttle::AuthFailures>,
    /// Open and refused connections of the HTTP server, for `/metrics`.
    pub connections: Arc<super::metrics::ConnectionStats>,
    /// How late the in-process probe worker starts checks, for `/metrics`.
    pub schedule_lag: Arc<crate::probe::lag::ScheduleLag>,

    /// Absolute base of links in feeds and APIs: `site.url`, else `http://{bound address}`.
    pub base_url: String,
    /// When this process started; a worker-less check is overdue 3 intervals after.
    pub started_at: DateTime<Utc>,
}
