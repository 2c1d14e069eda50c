//! State shared by every handler: built once by [`AppState::new`], handed to
//! handlers through `State<AppState>`, with its parts reachable on their own
//! through `FromRef` (`State<Arc<Config>>`, `State<Store>`, `State<Arc<Model>>`).

use std::sync::Arc;

use std::future::Future;

use axum::extract::FromRef;
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::auth::throttle::AuthFailures;
use super::auth::uses::TokenUses;
use super::caching::{Asked, PageCache};
use super::counters::{ConnectionStats, HttpCounts};
use super::error::PageError;
use super::render::Body;
use crate::config::Config;
use crate::duties::Lease;
use crate::model::{Model, Snapshot};
use crate::probe::lag::ScheduleLag;
use crate::store::Store;

/// Handed to handlers through `State<AppState>`: one shared [`Shared`],
/// so a clone (axum makes several per request: each `State` extractor and
/// each middleware holding state) is one reference count, not one per part.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    /// The only way to the database (admin writes, pages the model does not hold).
    pub store: Store,
    /// The status model: `model.get()` is the current snapshot.
    pub model: Arc<Model>,
    /// The running configuration (the snapshot's too).
    pub config: Arc<Config>,
    /// Public responses rendered and compressed once per snapshot.
    pub pages: Arc<PageCache>,
    /// Responses served, for `/metrics`.
    pub http_counts: Arc<HttpCounts>,
    /// Admin token uses not yet written to the store.
    pub token_uses: Arc<TokenUses>,
    /// Failed admin authentications per client, for throttling and `/metrics`.
    pub auth_failures: Arc<AuthFailures>,
    /// Open and refused connections of the HTTP server, for `/metrics`.
    pub connections: Arc<ConnectionStats>,
    /// How late the in-process probe worker starts checks, for `/metrics`.
    pub schedule_lag: Arc<ScheduleLag>,
    /// Absolute base of links in feeds and APIs: `site.url`, else `http://{bound address}`.
    pub base_url: String,
    /// When this process started; a worker-less check is overdue 3 intervals after.
    pub started_at: DateTime<Utc>,
    /// The leases of exactly-once duties this process contends for, for `/metrics`.
    pub leases: Arc<[Lease]>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// The state of a server bound at `bound` (`http://{bound}` is the base of
    /// links when `site.url` is not set), serving `model` from `store`, that
    /// contends for `leases`.
    pub fn new(
        store: Store,
        model: Arc<Model>,
        bound: std::net::SocketAddr,
        leases: Arc<[Lease]>,
    ) -> AppState {
        let config = Arc::clone(model.config());
        AppState(Arc::new(Shared {
            store,
            pages: Arc::new(PageCache::new(config.server.cache_max_age)),
            base_url: config
                .site
                .url
                .clone()
                .unwrap_or_else(|| format!("http://{bound}")),
            config,
            model,
            http_counts: Arc::default(),
            token_uses: Arc::default(),
            auth_failures: Arc::default(),
            connections: Arc::default(),
            schedule_lag: Arc::default(),
            started_at: Utc::now(),
            leases,
        }))
    }
}

impl AppState {
    /// The one opening of every public handler: the current snapshot's
    /// response for `key`, rendered by `render` for the first visitor after
    /// a change and shared by the others, in the coding `asked` prefers.
    pub async fn serve<F, Fut>(
        &self,
        asked: &Asked,
        key: &str,
        render: F,
    ) -> Result<Response, PageError>
    where
        F: FnOnce(Arc<Snapshot>) -> Fut,
        Fut: Future<Output = Result<Body, PageError>>,
    {
        let snap = self.model.get();
        let built_at = snap.built_at;
        self.pages
            .serve(key, built_at, asked, || render(snap))
            .await
    }
}

impl FromRef<AppState> for Arc<Config> {
    fn from_ref(state: &AppState) -> Arc<Config> {
        Arc::clone(&state.config)
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Store {
        state.store.clone()
    }
}

impl FromRef<AppState> for Arc<Model> {
    fn from_ref(state: &AppState) -> Arc<Model> {
        Arc::clone(&state.model)
    }
}
