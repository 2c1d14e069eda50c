//! What only SQLite does: file URLs and PRAGMAs, `BEGIN IMMEDIATE`, its
//! result codes, `json_each`, `VACUUM INTO` and `migrations/sqlite/`.

use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool};

use super::{Fault, StoreError};

/// The migrations of `migrations/sqlite/`. Their files are never edited
/// once released: sqlx knows an applied migration by version and checksum.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Takes the write lock at once, so a busy database makes the write wait
/// (up to the busy timeout) before it starts, never half-way through.
pub(super) const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// The database's clock in unix milliseconds (the lease's one clock).
pub(super) const NOW_MS: &str = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

/// `json_each` gives the strings of a JSON array (`value`), one per row.
pub(super) const JSON_ROWS: &str = "json_each($1)";

/// WAL lets readers go on during a write. `synchronous = FULL` also
/// survives power loss at a small cost per commit (NORMAL is durable only
/// against process crashes). The busy timeout comes first, so the others
/// wait for a lock rather than fail.
const PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                       PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

/// `sqlite://path`, `sqlite:path` or a bare path → a URL that creates the
/// file when it is missing.
pub(super) fn connect_url(url: &str) -> String {
    let url = if url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    };
    if url.contains("mode=") {
        url
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Applies [`PRAGMAS`] to a new connection.
pub(super) async fn prepare(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(PRAGMAS).execute(conn).await?;
    Ok(())
}

/// SQLite's result code (extended or primary, as text) → fault.
pub(super) fn fault(code: &str) -> Option<Fault> {
    // The primary code is the low byte of an extended one.
    match code.parse::<i64>().ok()? & 0xff {
        5 | 6 => Some(Fault::Locked),
        13 => Some(Fault::DiskFull),
        10 | 14 => Some(Fault::Io),
        8 => Some(Fault::ReadOnly),
        _ => None,
    }
}

/// `VACUUM INTO` reads one transaction's view and writes a compact,
/// self-contained file while other connections keep reading and writing.
pub(super) async fn backup(pool: &AnyPool, path: &Path) -> Result<(), StoreError> {
    let target = path
        .to_str()
        .ok_or_else(|| StoreError::Backup("the path is not valid UTF-8".to_owned()))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_codes_map_to_faults() {
        let cases = [
            ("5", Some(Fault::Locked)),
            ("517", Some(Fault::Locked)), // SQLITE_BUSY_SNAPSHOT
            ("13", Some(Fault::DiskFull)),
            ("778", Some(Fault::Io)), // SQLITE_IOERR_WRITE
            ("8", Some(Fault::ReadOnly)),
            ("19", None), // SQLITE_CONSTRAINT: the caller's problem
            ("x", None),
        ];
        for (code, want) in cases {
            assert_eq!(fault(code), want, "code {code}");
        }
    }

    #[test]
    fn every_form_of_url_creates_a_missing_file() {
        assert_eq!(connect_url("beacon.db"), "sqlite://beacon.db?mode=rwc");
        assert_eq!(connect_url("sqlite:b.db"), "sqlite:b.db?mode=rwc");
        assert_eq!(
            connect_url("sqlite://b.db?cache=shared"),
            "sqlite://b.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            connect_url("sqlite://b.db?mode=ro"),
            "sqlite://b.db?mode=ro"
        );
    }
}
