//! `beacon backup PATH`: a consistent online snapshot (SPEC §1, §9).

use std::path::Path;

use super::{Store, StoreError};

impl Store {
    /// Writes a consistent copy of the whole database to `path` while other
    /// connections (the server, a probe) keep reading and writing: SQLite's
    /// `VACUUM INTO` (a database file) or `pg_dump` (its custom format, for
    /// `pg_restore`). An existing `path` is never overwritten. Returns the
    /// size written.
    // Errors are the CLI's to report (one line), so they are logged at debug only.
    #[tracing::instrument(skip(self), err(level = "debug"))]
    pub async fn backup(&self, path: &Path) -> Result<u64, StoreError> {
        if path.exists() {
            return Err(StoreError::Backup(format!(
                "{} already exists; not overwriting it",
                path.display()
            )));
        }
        self.backend.backup(&self.pool, &self.url, path).await?;
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| StoreError::Backup(format!("cannot read {}: {e}", path.display())))
    }
}
