//! What was last announced of each check (`check.down` / `check.up`) and
//! each component (`component.status`, SPEC §8), kept in the transaction of
//! the event it announces: the process announcing (the holder of the
//! incidents lease, `crate::duties::announce`) and the next holder after a
//! takeover read the same record, so no change is announced twice or lost.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::events::{NewEvent, emit};
use super::{Conn, Store, StoreError};
use crate::domain::{CheckId, ComponentId, ComponentStatus, EventKind};

/// What was last announced; what has no entry was never announced (a
/// check counts as up, a component as operational).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Announced {
    /// Check id → whether its last announcement was `check.down`.
    pub down: HashMap<String, bool>,
    /// Component id → the status its last `component.status` announced.
    pub components: HashMap<String, ComponentStatus>,
}

impl Announced {
    /// Whether `check` was last announced down.
    pub fn is_down(&self, check: &str) -> bool {
        self.down.get(check).copied().unwrap_or(false)
    }

    /// The status last announced for `component`.
    pub fn status(&self, component: &str) -> ComponentStatus {
        self.components
            .get(component)
            .copied()
            .unwrap_or(ComponentStatus::Operational)
    }
}

/// One change to announce, recorded only if what was announced is still
/// what it changes from (a compare-and-set on the record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// `check.down` (`down`, with the failure reason) or `check.up`.
    Check {
        check: CheckId,
        component: ComponentId,
        down: bool,
        reason: Option<String>,
        at: DateTime<Utc>,
    },
    /// `component.status` from `from` to `to`.
    Component {
        component: ComponentId,
        from: ComponentStatus,
        to: ComponentStatus,
        at: DateTime<Utc>,
    },
}

impl Store {
    /// What was last announced of every check and component.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn announced(&self) -> Result<Announced, StoreError> {
        let checks: Vec<(String, String)> =
            sqlx::query_as("SELECT check_id, state FROM announced_checks")
                .fetch_all(&self.pool)
                .await?;
        let components: Vec<(String, String)> =
            sqlx::query_as("SELECT component_id, status FROM component_states")
                .fetch_all(&self.pool)
                .await?;
        Ok(Announced {
            down: checks.into_iter().map(|(c, s)| (c, s == "down")).collect(),
            components: components
                .into_iter()
                .filter_map(|(c, s)| Some((c, ComponentStatus::parse(&s)?)))
                .collect(),
        })
    }

    /// Records each announcement whose record still holds what it changes
    /// from, with its event, in one transaction; returns how many it
    /// recorded. Two processes announcing one change at once record it
    /// once: the second one's compare-and-set finds the record changed.
    #[tracing::instrument(skip(self, due), fields(due = due.len()), err(level = "warn"))]
    pub async fn announce(&self, due: &[Announcement]) -> Result<usize, StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            let mut recorded = 0;
            for a in due {
                if announce_one(&mut tx, a).await? {
                    recorded += 1;
                }
            }
            // Events show on no page: no revision to bump.
            tx.commit().await?;
            Ok(recorded)
        })
        .await
    }
}

/// One table of announced values: a key's value moves from one to the
/// next, and a key with no row holds `unset`.
struct Record {
    table: &'static str,
    key: &'static str,
    value: &'static str,
    unset: &'static str,
}

const CHECKS: Record = Record {
    table: "announced_checks",
    key: "check_id",
    value: "state",
    unset: "up",
};

const COMPONENTS: Record = Record {
    table: "component_states",
    key: "component_id",
    value: "status",
    unset: "operational",
};

impl Record {
    /// Sets `key` to `to` if it holds `from` (a missing row holds
    /// `unset`): whether it did.
    async fn move_on(
        &self,
        tx: &mut Conn,
        key: &str,
        from: &str,
        to: &str,
    ) -> Result<bool, StoreError> {
        let Record {
            table,
            key: k,
            value: v,
            unset,
        } = self;
        let sql = if from == *unset {
            format!(
                "INSERT INTO {table} ({k}, {v}) VALUES ($1, $2)
                 ON CONFLICT ({k}) DO UPDATE SET {v} = excluded.{v} WHERE {table}.{v} = $3"
            )
        } else {
            format!("UPDATE {table} SET {v} = $2 WHERE {k} = $1 AND {v} = $3")
        };
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .bind(to)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// Moves the record of one announcement on and emits its event; `false`
/// when the record had moved on already.
async fn announce_one(tx: &mut Conn, a: &Announcement) -> Result<bool, StoreError> {
    match a {
        Announcement::Check {
            check,
            component,
            down,
            reason,
            at,
        } => {
            let (from, to) = if *down {
                ("up", "down")
            } else {
                ("down", "up")
            };
            if !CHECKS.move_on(tx, check.as_str(), from, to).await? {
                return Ok(false);
            }
            let (kind, reason) = if *down {
                (EventKind::CheckDown, reason.as_deref())
            } else {
                (EventKind::CheckUp, None)
            };
            let event = NewEvent {
                check: Some(check.as_str()),
                component: Some(component.as_str()),
                reason,
                ..NewEvent::default()
            };
            emit(tx, kind, *at, event).await?;
        }
        Announcement::Component {
            component,
            from,
            to,
            at,
        } => {
            let key = component.as_str();
            if !COMPONENTS
                .move_on(tx, key, from.as_str(), to.as_str())
                .await?
            {
                return Ok(false);
            }
            let event = NewEvent {
                component: Some(key),
                old_status: Some(from.as_str()),
                new_status: Some(to.as_str()),
                ..NewEvent::default()
            };
            emit(tx, EventKind::ComponentStatus, *at, event).await?;
        }
    }
    Ok(true)
}
