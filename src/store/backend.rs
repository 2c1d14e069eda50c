//! [`Backend`]: the one place that picks between `sqlite.rs` and
//! `postgres.rs` for each thing the two do differently.

use std::path::Path;

use sqlx::error::DatabaseError;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool};
use tokio::sync::watch;

use super::{Fault, StoreError, postgres, sqlite};

/// The database behind a [`super::Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file on one machine: the default.
    Sqlite,
    /// A PostgreSQL server (SPEC §9): several processes on several hosts.
    Postgres,
}

impl Backend {
    /// `postgres://` or `postgresql://` URLs are PostgreSQL; anything else
    /// (`sqlite://path`, `sqlite:path`, a bare path) is SQLite.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The backend that raised a database error (the `Any` driver passes
    /// each driver's own error through).
    pub(super) fn of_error(e: &dyn DatabaseError) -> Backend {
        if e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
            .is_some()
        {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The backend of an open connection.
    pub(super) fn of_connection(conn: &AnyConnection) -> Backend {
        if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The URL the `Any` driver connects with.
    pub(super) fn connect_url(self, url: &str) -> String {
        match self {
            Backend::Sqlite => sqlite::connect_url(url),
            Backend::Postgres => url.to_owned(),
        }
    }

    /// Settings every new connection gets before its first query.
    pub(super) async fn prepare(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        match self {
            Backend::Sqlite => sqlite::prepare(conn).await,
            Backend::Postgres => Ok(()),
        }
    }

    /// The statement that begins a write transaction.
    pub(super) fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => sqlite::BEGIN_WRITE,
            Backend::Postgres => "BEGIN",
        }
    }

    /// The database's error code → a fault a retry can cure, if it is one.
    pub(super) fn fault(self, code: &str) -> Option<Fault> {
        match self {
            Backend::Sqlite => sqlite::fault(code),
            Backend::Postgres => postgres::fault(code),
        }
    }

    /// This backend's migrations.
    pub(super) fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &sqlite::MIGRATOR,
            Backend::Postgres => &postgres::MIGRATOR,
        }
    }

    /// How many migrations this backend has.
    pub fn migrations(self) -> usize {
        self.migrator().iter().count()
    }

    /// An SQL expression of the database's clock in unix milliseconds:
    /// leases expire by it, so the hosts' clocks never need to agree.
    pub(super) fn now_ms(self) -> &'static str {
        match self {
            Backend::Sqlite => sqlite::NOW_MS,
            Backend::Postgres => postgres::NOW_MS,
        }
    }

    /// Appends the `n`th (1-based) bound parameter of a statement: `?` on
    /// SQLite, which binds them in order (a numbered or named one costs a
    /// scan of all of them per bind, quadratic in a long `VALUES` list),
    /// `$n` on PostgreSQL.
    pub(super) fn push_parameter(self, out: &mut String, n: usize) {
        match self {
            Backend::Sqlite => out.push('?'),
            Backend::Postgres => {
                out.push('$');
                out.push_str(&n.to_string());
            }
        }
    }

    /// A table source of the strings of the JSON array bound as `$1`, in a
    /// column `value`: `IN (SELECT value FROM {json_texts})`.
    pub(super) fn json_texts(self) -> &'static str {
        match self {
            Backend::Sqlite => sqlite::JSON_ROWS,
            Backend::Postgres => postgres::JSON_TEXTS,
        }
    }

    /// [`Backend::json_texts`] of the JSON array stored in `column`
    /// rather than bound as `$1`.
    pub(super) fn json_texts_in(self, column: &str) -> String {
        self.json_texts().replace("$1", column)
    }

    /// Makes the write transactions that name the same `key` run one after
    /// another, from here to their commit: the guard of every
    /// read-then-write that must see the writes of a transaction running
    /// at once in another process (a count before an insert, a stored state
    /// before its change event). SQLite's `BEGIN IMMEDIATE` already runs
    /// every write transaction alone; PostgreSQL's READ COMMITTED does
    /// not, so it takes a transaction-scoped advisory lock on the key.
    pub(super) async fn serialize(
        self,
        tx: &mut AnyConnection,
        key: &str,
    ) -> Result<(), sqlx::Error> {
        match self {
            Backend::Sqlite => Ok(()),
            Backend::Postgres => postgres::serialize(tx, key).await,
        }
    }

    /// Tells the other processes at commit that pages change (PostgreSQL
    /// `NOTIFY`); SQLite's readers find out by polling the revision.
    pub(super) async fn announce_change(self, tx: &mut AnyConnection) -> Result<(), sqlx::Error> {
        match self {
            Backend::Sqlite => Ok(()),
            Backend::Postgres => postgres::announce_change(tx).await,
        }
    }

    /// A receiver that changes as soon as any process commits a change
    /// pages show: on PostgreSQL a task listens (see
    /// [`postgres::follow_changes`]) until the receiver is dropped; on
    /// SQLite its sender is gone at once, so `changed()` fails at once.
    pub(super) fn follow_changes(self, url: &str) -> watch::Receiver<u64> {
        let (changed, receiver) = watch::channel(0);
        if self == Backend::Postgres {
            tokio::spawn(postgres::follow_changes(url.to_owned(), changed));
        }
        receiver
    }

    /// Writes a consistent copy of the database to `path` (which does not exist).
    pub(super) async fn backup(
        self,
        pool: &AnyPool,
        url: &str,
        path: &Path,
    ) -> Result<(), StoreError> {
        match self {
            Backend::Sqlite => sqlite::backup(pool, path).await,
            Backend::Postgres => postgres::backup(url, path).await,
        }
    }
}

/// `url` with any password replaced by `***`, fit for messages and logs.
pub(super) fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_picks_the_backend_and_messages_hide_passwords() {
        assert_eq!(Backend::of_url("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("postgresql://h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("sqlite://beacon.db"), Backend::Sqlite);
        assert_eq!(Backend::of_url("/var/lib/beacon.db"), Backend::Sqlite);
        assert_eq!(
            redacted("postgres://beacon:s3cret@db:5432/beacon"),
            "postgres://beacon:***@db:5432/beacon"
        );
        assert_eq!(redacted("sqlite://beacon.db"), "sqlite://beacon.db");
    }

    #[test]
    fn every_migration_has_its_twin_with_the_same_version() {
        let versions = |backend: Backend| -> Vec<i64> {
            backend.migrator().iter().map(|m| m.version).collect()
        };
        assert_eq!(versions(Backend::Sqlite), versions(Backend::Postgres));
        assert!(Backend::Sqlite.migrations() >= 6);
    }
}
