//! [`StoreError`]: what can go wrong in the store, with the faults a retry
//! can cure sorted out from the others.

use super::{Backend, Fault};

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
                .and_then(|code| Backend::of_error(db.as_ref()).fault(&code)),
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

impl StoreError {
    /// A loss of the race between processes starting at once on one new
    /// database (SQLite has no migration lock): trying again succeeds.
    pub(super) fn lost_start_race(&self) -> bool {
        use sqlx::migrate::MigrateError;
        matches!(
            self,
            StoreError::Unavailable {
                fault: Fault::Locked,
                ..
            } | StoreError::Migrate(MigrateError::Execute(_) | MigrateError::ExecuteMigration(..))
        )
    }
}
