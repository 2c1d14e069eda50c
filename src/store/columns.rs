//! Values to and from columns, shared by every table's file: times as unix
//! milliseconds, record ids drawn and read back as domain types, sets of
//! ids bound as one JSON array, and "no row" as [`StoreError::NotFound`]
//! (or, for an insert, [`StoreError::Conflict`]).

use sqlx::any::AnyQueryResult;

use super::error::StoreError;
use crate::domain::RECORD_ID_LEN;

/// A unix-milliseconds column as a time.
pub(super) fn ms_to_time(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A random base36 id of [`RECORD_ID_LEN`] characters, like Statuspage's
/// (the form `IncidentId` and `MaintenanceId` parse).
pub(super) fn new_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let bytes: [u8; RECORD_ID_LEN] = rand::random();
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Text read from (or made for) an id column as its domain type: text that
/// does not parse is a decode error, never a panic.
pub(super) fn typed<T, E>(parse: fn(&str) -> Result<T, E>, text: &str) -> Result<T, StoreError>
where
    E: std::error::Error + Send + Sync + 'static,
{
    parse(text).map_err(|e| StoreError::from(sqlx::Error::Decode(Box::new(e))))
}

/// `NotFound` when a write by id touched no row.
pub(super) fn found(done: &AnyQueryResult) -> Result<(), StoreError> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// `Conflict` when an `INSERT .. ON CONFLICT DO NOTHING` inserted no row:
/// the unique key is taken.
pub(super) fn inserted(done: &AnyQueryResult) -> Result<(), StoreError> {
    if done.rows_affected() == 0 {
        Err(StoreError::Conflict)
    } else {
        Ok(())
    }
}

/// Ids as one JSON array, for `IN (SELECT value FROM {json_texts})`: a set
/// query with a single bound parameter, whatever the number of ids.
pub(super) fn id_list<S: AsRef<str>>(ids: &[S]) -> String {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    serde_json::Value::from(ids).to_string()
}
