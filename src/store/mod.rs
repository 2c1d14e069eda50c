//! The only module with SQL (STYLE §2), over two backends: SQLite (the
//! default, one machine) and PostgreSQL (SPEC §9), chosen by the URL.
//!
//! Web, probe and CLI code talk to [`Store`] and its plain-data rows only.
//! Every query runs on sqlx's `Any` driver, so SQL that both backends
//! accept is written once; what truly differs lives in one module per
//! backend (`sqlite.rs`, `postgres.rs`) behind [`Backend`]: connecting
//! (PRAGMAs), how a write transaction begins (`BEGIN IMMEDIATE`), the
//! table function that turns one bound JSON array into rows, error codes
//! → [`Fault`], migrations and backups.
//!
//! # Adding a store function
//!
//! 1. Write it once, in the file named after its table(s), as a method on
//!    [`Store`] with runtime `sqlx::query`/`query_as` on `&self.pool` (or a
//!    write transaction from `begin_write`, ended by `commit_change` when
//!    pages show the change), inside `self.write(..)` for writes.
//! 2. Use only SQL both accept: `$1`-style placeholders (SQLite binds `$N`
//!    by number), `ON CONFLICT .. DO ..` (never `INSERT OR ..`), `CASE`
//!    rather than the two-argument `min`/`max` (PostgreSQL has
//!    `LEAST`/`GREATEST`, SQLite neither), `CAST(SUM(..) AS BIGINT)` (a
//!    PostgreSQL `SUM` of `BIGINT` is `NUMERIC`, which `Any` cannot
//!    decode), an alias on every subquery in `FROM`.
//! 3. Bind and read only `bool`, `i64` (never `u32`), `f64`, `String`/`&str`
//!    and `Option`s of them: times as unix milliseconds, days as
//!    `YYYY-MM-DD` text.
//! 4. A set of ids is one JSON array bound as one parameter:
//!    `IN (SELECT value FROM {json_texts})` (see [`Backend`]); many rows
//!    are a multi-row `VALUES` list of bound values (`rows.rs`).
//! 5. A new table or column is a migration in both `migrations/sqlite/`
//!    and `migrations/postgres/` with the same version number.
//! 6. Mind PostgreSQL's READ COMMITTED: two processes' transactions run
//!    at once there (SQLite runs write transactions one at a time). A
//!    claim is one compare-and-set `UPDATE .. WHERE <the state read>`
//!    (PostgreSQL re-checks the `WHERE` after waiting for a row lock), a
//!    once-only insert is `ON CONFLICT .. DO NOTHING` on a unique key, and
//!    a read-then-write with no row to lock (a count before an insert, a
//!    stored state before its change event) first takes
//!    `self.backend.serialize(&mut tx, key)`.
//! 7. Its test goes in a `store_test!` block, which runs it on both; a
//!    concurrency rule gets a test with two `Store`s on one database.

// First: its `store_test!` macro serves the test modules below.
#[cfg(test)]
#[macro_use]
#[path = "../../tests/support/databases.rs"]
pub(crate) mod test_databases;

mod announced;
mod attempts;
mod backend;
mod backup;
mod columns;
mod deliveries;
mod error;
mod events;
mod health;
mod history;
mod incident_rows;
mod incidents;
mod leases;
mod maintenances;
mod outbox;
mod overrides;
mod postgres;
mod prune;
mod push;
mod record;
mod reports;
mod results;
mod rows;
mod sign_ups;
mod sqlite;
mod subscribers;
mod tokens;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool};

// The store's files use these by their old names (`use super::{..}`).
use columns::{found, id_list, inserted, ms_to_time, new_id, typed};

pub use announced::{Announced, Announcement};
pub use attempts::{Attempted, DueDelivery};
pub use backend::Backend;
pub use deliveries::DeliveryInfo;
pub use error::StoreError;
pub use health::{Failing, Fault, WriteHealth};
pub use history::HistoryEntry;
pub use outbox::{Event, NewDelivery};
pub use overrides::Override;
pub use prune::FIVE_MINUTES_KEPT;
pub use record::Recorded;
pub use reports::{Filed, MAX_REPORTS, Spike, StoredReport};
pub use results::{HourlyLatency, LatencyBucket, LatencySample, StoredCheckState};
pub use sign_ups::{CONFIRM_WITHIN, SignUp};
pub use subscribers::Subscriber;
pub use tokens::{TokenInfo, generate_token, hash_token};

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// As given, for `pg_dump`.
    url: Arc<str>,
    health: Arc<WriteHealth>,
    /// Bumped after each batch of results this handle (or a clone) commits.
    results_written: Arc<tokio::sync::watch::Sender<u64>>,
}

/// Attempts at opening a new database that other processes open at the same time.
const START_ATTEMPTS: u32 = 20;

impl Store {
    /// Opens the database `url` names (a `postgres://` URL, else SQLite:
    /// `sqlite://path`, `sqlite:path` or a bare path, created if missing)
    /// and applies migrations. Safe when several processes start at once.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let backend = Backend::of_url(url);
        let mut attempt = 1;
        loop {
            match Store::open_once(backend, url).await {
                Err(e) if e.lost_start_race() && attempt < START_ATTEMPTS => {
                    tracing::debug!(error = %e, attempt, "another process is creating the database");
                    let jitter = u64::from(rand::random::<u8>());
                    tokio::time::sleep(Duration::from_millis(50 + jitter)).await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn open_once(backend: Backend, url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let open_err = |e: sqlx::Error| match StoreError::from(e) {
            e @ StoreError::Unavailable {
                fault: Fault::Locked,
                ..
            } => e,
            e => StoreError::Open {
                url: backend::redacted(url),
                detail: e.to_string(),
            },
        };
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| Box::pin(backend.prepare(conn)))
            .after_release(|conn, _| {
                Box::pin(async move {
                    // A transaction whose statement failed (SQLITE_FULL, an
                    // I/O error) may have been rolled back by SQLite itself;
                    // sqlx's queued ROLLBACK then fails and it keeps counting
                    // the connection as inside a transaction, so its next
                    // `begin` becomes a SAVEPOINT and a failed one leaves a
                    // real transaction open, holding the write lock for good.
                    // Run the queued rollback now (the ping waits for it) and
                    // close any connection still inside a transaction: closing
                    // rolls back and releases every lock; the pool opens a
                    // fresh connection when it needs one. (Harmless on
                    // PostgreSQL, whose rollbacks do not fail that way.)
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            })
            .connect(&backend.connect_url(url))
            .await
            .map_err(open_err)?;
        let store = Store {
            pool,
            backend,
            url: url.into(),
            health: Arc::default(),
            results_written: Arc::new(tokio::sync::watch::channel(0).0),
        };
        if let Err(e) = store.migrate().await {
            store.close().await;
            return Err(e);
        }
        Ok(store)
    }

    /// Which database this handle talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Changes after every batch of probe results committed through this
    /// handle or a clone, so the model rebuilds without waiting for its poll.
    /// Writes of other processes show only in [`Store::revision`].
    pub fn results_written(&self) -> tokio::sync::watch::Receiver<u64> {
        self.results_written.subscribe()
    }

    /// Changes as soon as any process commits a change that pages show, on
    /// PostgreSQL (`LISTEN`, one connection of its own for as long as the
    /// receiver lives). On SQLite `changed()` fails at once: poll
    /// [`Store::revision`] there, and on PostgreSQL too as the fallback.
    pub fn follow_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.backend.follow_changes(&self.url)
    }

    /// Applies the backend's pending migrations (`migrations/sqlite/` or
    /// `migrations/postgres/`, embedded at build time). On PostgreSQL sqlx
    /// holds an advisory lock meanwhile; on SQLite [`Store::open`] retries
    /// after losing a race.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.backend.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A number that changes whenever any data changes (any process).
    pub async fn revision(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT n FROM revision")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether this process's writes are landing, and what it holds back.
    pub fn health(&self) -> &WriteHealth {
        &self.health
    }

    /// Runs one write and reports its outcome to [`Store::health`]. Every
    /// public write goes through here.
    async fn write<T>(
        &self,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let result = work.await;
        self.health.observe(&result);
        result
    }

    /// Starts a write transaction the backend's way: on SQLite it takes the
    /// write lock at once (`BEGIN IMMEDIATE`), so a busy database makes it
    /// wait up to the busy timeout here and fail cleanly, never half-way.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        self.pool.begin_with(self.backend.begin_write()).await
    }

    /// Deletes the row `sql` names by `key` (`$1`) as a page-visible
    /// change; `NotFound` when there was none.
    async fn delete_one(&self, sql: &'static str, key: &str) -> Result<(), StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(sql).bind(key).execute(&mut *tx).await?;
            found(&done)?;
            commit_change(tx).await?;
            Ok(())
        })
        .await
    }
}

/// Commits a write transaction that changed what pages show, bumping the
/// revision in the same transaction so every reader (this process or
/// another) sees the change at its next poll, and on PostgreSQL notifying
/// every listening node at commit ([`Store::follow_changes`]). Every such
/// write ends here.
async fn commit_change(mut tx: sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE revision SET n = n + 1")
        .execute(&mut *tx)
        .await?;
    Backend::of_connection(&tx).announce_change(&mut tx).await?;
    tx.commit().await
}

/// A connection of either backend, for helpers that run inside a transaction.
type Conn = AnyConnection;
