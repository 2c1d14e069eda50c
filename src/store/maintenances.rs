//! Maintenance windows and the components they cover.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{
    Conn, Store, StoreError, commit_change, events, found, id_list, ms_to_time, new_id, typed,
};
use crate::domain::{ComponentId, Maintenance, MaintenanceEdit, MaintenanceId, NewMaintenance};

/// One row of `maintenances`, as every query of it selects.
#[derive(sqlx::FromRow)]
struct MaintenanceRow {
    maintenance_id: String,
    title: String,
    body: String,
    starts_ms: i64,
    ends_ms: i64,
    completed_ms: Option<i64>,
    cancelled_ms: Option<i64>,
    created_ms: i64,
    updated_ms: i64,
}

/// The columns of [`MaintenanceRow`].
macro_rules! maintenance_columns {
    () => {
        "maintenance_id, title, body, starts_ms, ends_ms, completed_ms, cancelled_ms, created_ms, updated_ms"
    };
}

impl Store {
    /// Schedules a maintenance. Committed before it returns.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn create_maintenance(
        &self,
        new: &NewMaintenance,
        now: DateTime<Utc>,
    ) -> Result<Maintenance, StoreError> {
        self.write(async {
            let id = new_id();
            let mut tx = self.begin_write().await?;
            sqlx::query(
                "INSERT INTO maintenances (maintenance_id, title, body, starts_ms, ends_ms, created_ms, updated_ms, notify)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
            )
            .bind(&id)
            .bind(&new.title)
            .bind(&new.body)
            .bind(new.starts_at.timestamp_millis())
            .bind(new.ends_at.timestamp_millis())
            .bind(now.timestamp_millis())
            .bind(i64::from(new.notify))
            .execute(&mut *tx)
            .await?;
            set_components(&mut tx, &id, &new.components).await?;
            events::on_maintenance(&mut tx, &id, true, now).await?;
            commit_change(tx).await?;
            self.maintenance(&typed(MaintenanceId::parse, &id)?).await
        })
        .await
    }

    /// Applies an edit (or an early completion). Committed before it returns.
    #[tracing::instrument(skip(self, edit), err(level = "warn"))]
    pub async fn edit_maintenance(
        &self,
        id: &MaintenanceId,
        edit: &MaintenanceEdit,
        now: DateTime<Utc>,
    ) -> Result<Maintenance, StoreError> {
        self.write(async {
            let ms = now.timestamp_millis();
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE maintenances SET title = COALESCE($2, title), body = COALESCE($3, body),
                     starts_ms = COALESCE($4, starts_ms), ends_ms = COALESCE($5, ends_ms),
                     completed_ms = CASE WHEN $6 THEN COALESCE(completed_ms, $7) ELSE completed_ms END,
                     updated_ms = $7
                 WHERE maintenance_id = $1",
            )
            .bind(id.as_str())
            .bind(&edit.title)
            .bind(&edit.body)
            .bind(edit.starts_at.map(|t| t.timestamp_millis()))
            .bind(edit.ends_at.map(|t| t.timestamp_millis()))
            .bind(edit.complete)
            .bind(ms)
            .execute(&mut *tx)
            .await?;
            found(&done)?;
            if let Some(components) = &edit.components {
                sqlx::query("DELETE FROM maintenance_components WHERE maintenance_id = $1")
                    .bind(id.as_str())
                    .execute(&mut *tx)
                    .await?;
                set_components(&mut tx, id.as_str(), components).await?;
            }
            events::on_maintenance(&mut tx, id.as_str(), false, now).await?;
            commit_change(tx).await?;
            self.maintenance(id).await
        })
        .await
    }

    /// Cancels a maintenance; it stays in history as cancelled.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn cancel_maintenance(
        &self,
        id: &MaintenanceId,
        now: DateTime<Utc>,
    ) -> Result<Maintenance, StoreError> {
        self.write(async {
            let ms = now.timestamp_millis();
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE maintenances SET cancelled_ms = $2, updated_ms = $2
                 WHERE maintenance_id = $1 AND cancelled_ms IS NULL",
            )
            .bind(id.as_str())
            .bind(ms)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                events::on_cancel(&mut tx, id.as_str(), now).await?;
            } else {
                // Already cancelled (nothing to announce again), or unknown.
                drop(tx);
                return self.maintenance(id).await;
            }
            commit_change(tx).await?;
            self.maintenance(id).await
        })
        .await
    }

    /// One maintenance.
    #[tracing::instrument(skip(self), err(level = "debug"))]
    pub async fn maintenance(&self, id: &MaintenanceId) -> Result<Maintenance, StoreError> {
        let sql = concat!(
            "SELECT ",
            maintenance_columns!(),
            " FROM maintenances WHERE maintenance_id = $1"
        );
        let rows = sqlx::query_as(sql)
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
        self.hydrate_maintenances(rows)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Maintenances newest first (by start), `limit` from `offset`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn maintenances(
        &self,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<Maintenance>, StoreError> {
        let sql = concat!(
            "SELECT ",
            maintenance_columns!(),
            " FROM maintenances ORDER BY starts_ms DESC, maintenance_id LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query_as(sql)
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&self.pool)
            .await?;
        self.hydrate_maintenances(rows).await
    }

    /// Maintenances (cancelled ones too) whose window ends at or after `since`, soonest first.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn maintenances_ending_after(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<Maintenance>, StoreError> {
        let sql = concat!(
            "SELECT ",
            maintenance_columns!(),
            " FROM maintenances WHERE CASE WHEN completed_ms < ends_ms THEN completed_ms ELSE ends_ms END >= $1
             ORDER BY starts_ms, maintenance_id"
        );
        let rows = sqlx::query_as(sql)
            .bind(since.timestamp_millis())
            .fetch_all(&self.pool)
            .await?;
        self.hydrate_maintenances(rows).await
    }

    /// Number of maintenances.
    pub async fn maintenance_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM maintenances")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as u64)
    }

    async fn hydrate_maintenances(
        &self,
        rows: Vec<MaintenanceRow>,
    ) -> Result<Vec<Maintenance>, StoreError> {
        let ids: Vec<String> = rows.iter().map(|row| row.maintenance_id.clone()).collect();
        // One query for the components of the whole set.
        let pairs: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT maintenance_id, component_id FROM maintenance_components
             WHERE maintenance_id IN (SELECT value FROM {}) ORDER BY component_id",
            self.backend.json_texts()
        )))
        .bind(id_list(&ids))
        .fetch_all(&self.pool)
        .await?;
        let mut covered: HashMap<String, Vec<ComponentId>> = HashMap::new();
        for (maintenance, component) in pairs {
            let component = typed(ComponentId::parse, &component)?;
            covered.entry(maintenance).or_default().push(component);
        }
        rows.into_iter()
            .map(|row| {
                Ok(Maintenance {
                    components: covered.remove(&row.maintenance_id).unwrap_or_default(),
                    title: row.title,
                    body: row.body,
                    starts_at: ms_to_time(row.starts_ms),
                    ends_at: ms_to_time(row.ends_ms),
                    completed_early_at: row.completed_ms.map(ms_to_time),
                    cancelled_at: row.cancelled_ms.map(ms_to_time),
                    created_at: ms_to_time(row.created_ms),
                    updated_at: ms_to_time(row.updated_ms),
                    id: typed(MaintenanceId::parse, &row.maintenance_id)?,
                })
            })
            .collect()
    }
}

async fn set_components(
    tx: &mut Conn,
    id: &str,
    components: &[ComponentId],
) -> Result<(), StoreError> {
    for component in components {
        sqlx::query(
            "INSERT INTO maintenance_components (maintenance_id, component_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(component.as_str())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
