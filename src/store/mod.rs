//! The only module with SQL (STYLE §2). SQLite through sqlx today.
//!
//! Web, probe and CLI code talk to [`Store`] and its plain-data rows only, so
//! a PostgreSQL backend can later live beside the SQLite one inside this
//! module without touching them.

mod backup;
mod deliveries;
mod events;
mod health;
mod history;
mod incident_rows;
mod incidents;
mod maintenances;
mod outbox;
mod overrides;
mod prune;
mod push;
mod record;
mod reports;
mod results;
mod subscribers;
mod tokens;

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use deliveries::DeliveryInfo;
pub use health::{Failing, Fault, WriteHealth};
pub use history::HistoryEntry;
pub use outbox::{Attempted, DueDelivery, Event, NewDelivery};
pub use overrides::Override;
pub use prune::FIVE_MINUTES_KEPT;
pub use record::Recorded;
pub use reports::{Filed, MAX_REPORTS, Spike, StoredReport};
pub use results::{HourlyLatency, LatencyBucket, LatencySample, StoredCheckState};
pub use subscribers::{CONFIRM_WITHIN, SignUp, Subscriber};
pub use tokens::{TokenInfo, generate_token, hash_token};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    #[error("backup failed: {0}")]
    Backup(String),

    // The cause is part of the message (and not a `source`), so a report
    // that prints the whole error chain names it once.
    #[error("cannot open database {url}: {detail}")]
    Open { url: String, detail: String },
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database cannot take this request now (locked, disk full, ...);
    /// the same request can succeed later (the API answers 503).
    #[error("{fault}: {detail}")]
    Unavailable { fault: Fault, detail: String },
    #[error("database error: {0}")]
    Sqlx(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// Sorts out the errors that a retry can cure from the others.
    fn from(e: sqlx::Error) -> StoreError {
        let fault = match &e {
            sqlx::Error::Database(db) => db
                .code()
                .and_then(|code| code.parse().ok())
                .and_then(Fault::of_sqlite_code),
            sqlx::Error::PoolTimedOut => Some(Fault::PoolBusy),
            sqlx::Error::Io(_) => Some(Fault::Io),
            _ => None,
        };
        match fault {
            Some(fault) => StoreError::Unavailable {
                fault,
                detail: e.to_string(),
            },
            None => StoreError::Sqlx(e),
        }
    }
}

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    health: Arc<WriteHealth>,
    /// Bumped after each batch of results this handle (or a clone) commits.
    results_written: Arc<tokio::sync::watch::Sender<u64>>,
}

/// Accepts `sqlite://path`, `sqlite:path` or a bare file path.
fn connect_options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    let url = if url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    };
    Ok(SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL is durable against process crashes (SIGKILL); FULL
        // also survives power loss at a small cost per commit.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true))
}

impl Store {
    /// Opens (creating if missing) the database and applies migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let open_err = |e: sqlx::Error| StoreError::Open {
            url: url.to_owned(),
            detail: e.to_string(),
        };
        let options = connect_options(url).map_err(open_err)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
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
                    // fresh connection when it needs one.
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            })
            .connect_with(options)
            .await
            .map_err(open_err)?;
        let store = Store {
            pool,
            health: Arc::default(),
            results_written: Arc::new(tokio::sync::watch::channel(0).0),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Changes after every batch of probe results committed through this
    /// handle or a clone, so the model rebuilds without waiting for its poll.
    /// Writes of other processes show only in [`Store::revision`].
    pub fn results_written(&self) -> tokio::sync::watch::Receiver<u64> {
        self.results_written.subscribe()
    }

    /// Applies pending migrations from `migrations/` (embedded at build time).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
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

    /// Starts a write transaction that takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a busy database makes it wait up to the busy
    /// timeout here and fail cleanly, never half-way through.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Deletes the row `sql` names by `key` (one `?`) as a page-visible
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
/// another) sees the change at its next poll. Every such write ends here.
async fn commit_change(mut tx: sqlx::Transaction<'_, sqlx::Sqlite>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE revision SET n = n + 1")
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A unix-milliseconds column as a time.
fn ms_to_time(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A random 12-character base36 id, like Statuspage's.
fn new_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let bytes: [u8; 12] = rand::random();
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// `NotFound` when a write by id touched no row.
fn found(done: &sqlx::sqlite::SqliteQueryResult) -> Result<(), StoreError> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Ids as one JSON array, for `IN (SELECT value FROM json_each(?))`: a set
/// query with a single bound parameter, whatever the number of ids.
fn id_list(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}
