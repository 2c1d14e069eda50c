//! Many rows in one statement as a multi-row `VALUES` list of bound
//! parameters, on both backends.
//!
//! A batch is cut into chunks whose sizes are powers of two up to
//! [`MAX_CHUNK`], so each statement has one of a few shapes, each prepared
//! once per connection and then reused, and each stays far inside SQLite's
//! parameter limit (999 in old builds, 32,766 since 3.32; PostgreSQL
//! 65,535). Binding values directly costs the database nothing to decode,
//! where one JSON array per statement made SQLite parse and unpack it with
//! `json_each` and `->>` (about a tenth of the probe writer's CPU at 1,000
//! checks a second).

use sqlx::{Any, Transaction};

use super::backend::Backend;

/// Rows per statement at most: 64 rows of 9 columns bind 576 values.
pub(super) const MAX_CHUNK: usize = 64;

/// One bound value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cell<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(value: &'a str) -> Cell<'a> {
        Cell::Text(Some(value))
    }
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(value: Option<&'a str>) -> Cell<'a> {
        Cell::Text(value)
    }
}

impl From<i64> for Cell<'_> {
    fn from(value: i64) -> Self {
        Cell::Int(Some(value))
    }
}

impl From<Option<i64>> for Cell<'_> {
    fn from(value: Option<i64>) -> Self {
        Cell::Int(value)
    }
}

/// Rows of `N` values each, written by one statement per chunk.
#[derive(Debug)]
pub(super) struct Rows<'a, const N: usize> {
    rows: Vec<[Cell<'a>; N]>,
}

impl<'a, const N: usize> Rows<'a, N> {
    /// Collects rows.
    pub(super) fn new(rows: impl IntoIterator<Item = [Cell<'a>; N]>) -> Rows<'a, N> {
        Rows {
            rows: rows.into_iter().collect(),
        }
    }

    /// Runs `sql` (whose `{values}` stands for the `VALUES` list) once per
    /// chunk of the rows, inside `tx` on `backend`; nothing when there are
    /// no rows.
    pub(super) async fn execute(
        &self,
        tx: &mut Transaction<'static, Any>,
        backend: Backend,
        sql: &str,
    ) -> Result<(), sqlx::Error> {
        let mut rest = &self.rows[..];
        while !rest.is_empty() {
            let (chunk, next) = rest.split_at(chunk_len(rest.len()));
            let text = sql.replace("{values}", &placeholders(backend, chunk.len(), N));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(text));
            for cell in chunk.iter().flatten() {
                query = match *cell {
                    Cell::Text(text) => query.bind(text),
                    Cell::Int(int) => query.bind(int),
                };
            }
            query.execute(&mut **tx).await?;
            rest = next;
        }
        Ok(())
    }
}

/// The next chunk's size for `left` rows: the largest power of two not
/// over `left` or [`MAX_CHUNK`].
fn chunk_len(left: usize) -> usize {
    if left >= MAX_CHUNK {
        MAX_CHUNK
    } else {
        1 << left.ilog2()
    }
}

/// `($1, $2), ($3, $4)` for 2 rows of 2 columns on PostgreSQL, `(?, ?),
/// (?, ?)` on SQLite.
fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        out.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                out.push_str(", ");
            }
            backend.push_parameter(&mut out, row * columns + column + 1);
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_powers_of_two_up_to_the_limit() {
        let mut sizes = Vec::new();
        let mut left = 2 * MAX_CHUNK + 11;
        while left > 0 {
            let n = chunk_len(left);
            sizes.push(n);
            left -= n;
        }
        assert_eq!(sizes, [MAX_CHUNK, MAX_CHUNK, 8, 2, 1]);
        assert_eq!(chunk_len(1), 1);
    }

    #[test]
    fn placeholders_name_every_value_once_in_order() {
        assert_eq!(placeholders(Backend::Postgres, 1, 1), "($1)");
        assert_eq!(
            placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }
}
