//! What only PostgreSQL does: its SQLSTATE codes, `jsonb` array
//! functions, `pg_dump`, `migrations/postgres/`, and `NOTIFY`/`LISTEN` so
//! that every node hears of a change at once. It needs no settings per
//! connection, and a plain `BEGIN` (row locks, not a database lock).

use std::path::Path;
use std::time::Duration;

use sqlx::AnyConnection;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgListener, PgPoolOptions};
use tokio::sync::watch;

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

/// The channel every change is announced on (`LISTEN beacon_revision` in
/// `psql` shows them; the payload is the new revision).
pub(super) const CHANGES: &str = "beacon_revision";

/// The first wait before listening again after the connection was lost;
/// it doubles up to [`RECONNECT_MAX`].
const RECONNECT_FIRST: Duration = Duration::from_millis(250);
/// The longest wait between two attempts at listening again.
const RECONNECT_MAX: Duration = Duration::from_secs(10);
/// How long one attempt at connecting the listener may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Queues a notification on [`CHANGES`], which PostgreSQL delivers to every
/// listener when (and only if) the transaction commits. (Counted, because
/// `pg_notify` returns `void`, which the `Any` driver cannot decode.)
pub(super) async fn announce_change(tx: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) FROM (SELECT pg_notify($1, CAST(n AS TEXT)) FROM revision) AS announced",
    )
    .bind(CHANGES)
    .execute(tx)
    .await?;
    Ok(())
}

/// Bumps `changed` at every change announced on [`CHANGES`] by any
/// process, until every receiver of `changed` is gone. It holds one
/// connection of its own. A lost connection is retried with backoff and
/// logged once per outage; as notifications sent meanwhile are lost, each
/// (re)connection also counts as a change.
pub(super) async fn follow_changes(url: String, changed: watch::Sender<u64>) {
    tokio::select! {
        () = relay(&url, &changed) => {}
        () = changed.closed() => {}
    }
}

async fn relay(url: &str, changed: &watch::Sender<u64>) {
    let bump = || changed.send_modify(|n| *n = n.wrapping_add(1));
    let mut delay = RECONNECT_FIRST;
    let mut down = false;
    loop {
        let lost = match listen(url).await {
            Ok(mut listener) => {
                if down {
                    tracing::info!("listening for changes from other nodes again");
                    down = false;
                }
                delay = RECONNECT_FIRST;
                bump();
                loop {
                    match listener.try_recv().await {
                        Ok(Some(_)) => bump(),
                        // Lost and connected again at once: check for what was missed.
                        Ok(None) => bump(),
                        Err(e) => break e,
                    }
                }
            }
            Err(e) => e,
        };
        if !down {
            tracing::warn!(
                error = %lost,
                "lost the change notifications of PostgreSQL; polling the revision until they are back"
            );
            down = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(RECONNECT_MAX);
    }
}

/// A listener on [`CHANGES`] over a connection of its own.
async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(CONNECT_TIMEOUT)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_lazy(url)?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANGES).await?;
    Ok(listener)
}

/// SQLSTATE → fault. A standby (or a primary being demoted) refuses
/// writes as read-only; lost or refused connections are I/O faults, and so
/// is a database that is "not currently accepting connections" (55000: an
/// operator's `ALLOW_CONNECTIONS false`, a database being dropped; no
/// statement of Beacon's raises it otherwise).
pub(super) fn fault(code: &str) -> Option<Fault> {
    match code {
        "40001" | "40P01" | "55P03" => Some(Fault::Locked),
        "53100" => Some(Fault::DiskFull),
        "53300" => Some(Fault::PoolBusy),
        "25006" => Some(Fault::ReadOnly),
        "58030" | "57P01" | "57P02" | "57P03" | "55000" => Some(Fault::Io),
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
    use chrono::Utc;

    use super::*;
    use crate::domain::ComponentStatus;
    use crate::store::Store;
    use crate::store::test_databases::TestDatabase;

    /// Waits (5 s at most) for the next change on `changes`.
    async fn next_change(changes: &mut watch::Receiver<u64>, what: &str) {
        tokio::time::timeout(Duration::from_secs(5), changes.changed())
            .await
            .unwrap_or_else(|_| panic!("no change heard: {what}"))
            .expect("the listener runs while its receiver lives");
    }

    /// This database's listening connections, terminated if `terminate`.
    async fn listeners(store: &Store, terminate: bool) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND query LIKE 'LISTEN%' AND ($1 = 0 OR pg_terminate_backend(pid))",
        )
        .bind(i64::from(terminate))
        .fetch_one(&store.pool)
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_change_committed_elsewhere_is_heard_even_after_the_connection_is_lost() {
        let db = TestDatabase::postgres();
        let listening = Store::open(&db.url).await.unwrap();
        let writing = Store::open(&db.url).await.unwrap();
        let mut changes = listening.follow_changes();
        next_change(&mut changes, "connected").await;

        let pin = |component: &'static str| {
            let writing = writing.clone();
            async move {
                writing
                    .set_override(component, ComponentStatus::MajorOutage, None, Utc::now())
                    .await
                    .unwrap();
            }
        };
        pin("api").await;
        next_change(&mut changes, "the first write").await;
        changes.borrow_and_update();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!changes.has_changed().unwrap(), "nothing happened since");

        assert_eq!(
            listeners(&writing, true).await,
            1,
            "one listening connection"
        );
        next_change(&mut changes, "listening again").await;
        pin("web").await;
        next_change(&mut changes, "a write after the reconnection").await;

        drop(changes);
        tokio::time::timeout(Duration::from_secs(5), async {
            while listeners(&writing, false).await > 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the listener stops once nobody follows");
    }

    #[tokio::test]
    async fn sqlite_announces_nothing() {
        let db = TestDatabase::sqlite();
        let store = Store::open(&db.url).await.unwrap();
        assert!(store.follow_changes().changed().await.is_err());
    }

    #[test]
    fn sqlstates_map_to_faults() {
        let cases = [
            ("40001", Some(Fault::Locked)),
            ("53100", Some(Fault::DiskFull)),
            ("25006", Some(Fault::ReadOnly)),
            ("08006", Some(Fault::Io)),
            ("57P01", Some(Fault::Io)),
            ("55000", Some(Fault::Io)),
            ("23505", None), // unique violation: the caller's problem
        ];
        for (code, want) in cases {
            assert_eq!(fault(code), want, "code {code}");
        }
    }
}
