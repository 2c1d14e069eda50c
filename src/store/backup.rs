//! `beacon backup PATH`: a consistent online snapshot (SPEC §1).

use std::path::Path;

use super::{Store, StoreError};

impl Store {
    /// Writes a consistent copy of the whole database to `path` while other
    /// connections (the server, a probe) keep reading and writing. Uses
    /// SQLite's `VACUUM INTO`, which reads one transaction's view and writes
    /// a compact, self-contained file. An existing `path` is never
    /// overwritten.
    // Errors are the CLI's to report (one line), so they are logged at debug only.
    #[tracing::instrument(skip(self), err(level = "debug"))]

    pub async fn backup(&self, path: &Path) -> Result<u64, StoreError> {
        if path.exists() {
            return Err(StoreError::Backup(format!(
                "{} already exists; not overwriting it",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Backup("the path is not valid UTF-8".to_owned()))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await?;
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| StoreError::Backup(format!("cannot read {}: {e}", path.display())))
    }
}
