//! What only PostgreSQL does: its SQLSTATE codes, `jsonb` array
//! functions, `pg_dump` and `migrations/postgres/`. It needs no settings
//! per connection, and a plain `BEGIN` (row locks, not a database lock).

use std::path::Path;

use sqlx::AnyConnection;
use sqlx::migrate::Migrator;

use super::{Fault, StoreError};

/// The migrations of `migrations/postgres/`. While they run, sqlx holds a
/// PostgreSQL advisory lock, so processes starting at once apply each
/// migration once.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// One `jsonb` element per row (read its fields with `value ->> N`).
pub(super) const JSON_ROWS: &str = "jsonb_array_elements(CAST($1 AS jsonb))";

/// The strings of a JSON array, one per row.
pub(super) const JSON_TEXTS: &str = "jsonb_array_elements_text(CAST($1 AS jsonb))";

/// The database's clock in unix milliseconds (the lease's one clock).
pub(super) const NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

/// Waits for the advisory lock of `key` (a 64-bit hash of it), held until
/// the transaction ends. (Counted, because the lock function returns
/// `void`, which the `Any` driver cannot decode.)
pub(super) async fn serialize(tx: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS locked",
    )
    .bind(key)
    .execute(tx)
    .await?;
    Ok(())
}

/// SQLSTATE → fault. A standby (or a primary being demoted) refuses
/// writes as read-only; lost or refused connections are I/O faults.
pub(super) fn fault(code: &str) -> Option<Fault> {
    match code {
        "40001" | "40P01" | "55P03" => Some(Fault::Locked),
        "53100" => Some(Fault::DiskFull),
        "53300" => Some(Fault::PoolBusy),
        "25006" => Some(Fault::ReadOnly),
        "58030" | "57P01" | "57P02" | "57P03" => Some(Fault::Io),
        _ if code.starts_with("08") => Some(Fault::Io),
        _ => None,
    }
}

/// Runs `pg_dump` (custom format, restore with `pg_restore`), which reads
/// one consistent snapshot while the servers keep writing. The password
/// goes through the environment, never the command line.
pub(super) async fn backup(url: &str, path: &Path) -> Result<(), StoreError> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| StoreError::Backup(format!("the database URL is not valid: {e}")))?;
    let password = parsed.password().map(str::to_owned);
    let _ = parsed.set_password(None);
    let mut command = tokio::process::Command::new("pg_dump");
    command
        .arg("--format=custom")
        .arg("--file")
        .arg(path)
        .arg("--dbname")
        .arg(parsed.as_str())
        .kill_on_drop(true);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.map_err(|e| {
        StoreError::Backup(if e.kind() == std::io::ErrorKind::NotFound {
            "pg_dump is not installed; a PostgreSQL backup needs PostgreSQL's client tools \
             (Debian: apt install postgresql-client)"
                .to_owned()
        } else {
            format!("cannot run pg_dump: {e}")
        })
    })?;
    if output.status.success() {
        return Ok(());
    }
    let _ = std::fs::remove_file(path);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Err(StoreError::Backup(format!(
        "pg_dump failed ({}): {}",
        output.status,
        reason.trim()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlstates_map_to_faults() {
        let cases = [
            ("40001", Some(Fault::Locked)),
            ("53100", Some(Fault::DiskFull)),
            ("25006", Some(Fault::ReadOnly)),
            ("08006", Some(Fault::Io)),
            ("57P01", Some(Fault::Io)),
            ("23505", None), // unique violation: the caller's problem
        ];
        for (code, want) in cases {
            assert_eq!(fault(code), want, "code {code}");
        }
    }
}
