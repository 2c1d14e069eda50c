//! Incidents, their timelines and the component statuses they set.

use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::{Store, StoreError, bump_revision, found, ms_to_time, new_id};
use crate::domain::{
    AffectedComponent, ComponentStatus, Impact, Incident, IncidentEdit, IncidentStatus,
    IncidentUpdate, NewIncident, NewUpdate,
};

/// The columns every query of this table selects.
macro_rules! incident_columns {
    () => {
        "incident_id, title, status, impact, auto_component, created_ms, updated_ms, \
                                monitoring_ms, resolved_ms"
    };
}

impl Store {
    /// Opens an incident with its first update. Committed before it returns.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn create_incident(
        &self,
        new: &NewIncident,
        now: DateTime<Utc>,
    ) -> Result<Incident, StoreError> {
        let id = new_id();
        let ms = now.timestamp_millis();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO incidents (incident_id, title, status, impact, auto_component, created_ms, updated_ms,
                                    monitoring_ms, resolved_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, CASE WHEN ?3 = 'monitoring' THEN ?6 END,
                     CASE WHEN ?3 = 'resolved' THEN ?6 END)",
        )
        .bind(&id)
        .bind(&new.title)
        .bind(new.status.as_str())
        .bind(new.impact.as_str())
        .bind(&new.auto_component)
        .bind(ms)
        .execute(&mut *tx)
        .await?;
        let update = NewUpdate {
            status: new.status,
            body: new.body.clone(),
            components: new.components.clone(),
            impact: None,
        };
        insert_update(&mut tx, &id, &update, ms).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        self.incident(&id).await
    }

    /// Posts an update; `resolved` closes the incident. Committed before it returns.
    #[tracing::instrument(skip(self, update), err(level = "warn"))]
    pub async fn add_incident_update(
        &self,
        id: &str,
        update: &NewUpdate,
        now: DateTime<Utc>,
    ) -> Result<Incident, StoreError> {
        let ms = now.timestamp_millis();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE incidents SET status = ?2, updated_ms = ?3, impact = COALESCE(?4, impact),
                 monitoring_ms = CASE WHEN ?2 = 'monitoring' THEN COALESCE(monitoring_ms, ?3) ELSE monitoring_ms END,
                 resolved_ms = CASE WHEN ?2 = 'resolved' THEN COALESCE(resolved_ms, ?3) ELSE NULL END
             WHERE incident_id = ?1",
        )
        .bind(id)
        .bind(update.status.as_str())
        .bind(ms)
        .bind(update.impact.map(Impact::as_str))
        .execute(&mut *tx)
        .await?;
        found(&done)?;
        insert_update(&mut tx, id, update, ms).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        self.incident(id).await
    }

    /// Edits title, impact or component statuses. Committed before it returns.
    #[tracing::instrument(skip(self, edit), err(level = "warn"))]
    pub async fn edit_incident(
        &self,
        id: &str,
        edit: &IncidentEdit,
        now: DateTime<Utc>,
    ) -> Result<Incident, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE incidents SET title = COALESCE(?2, title), impact = COALESCE(?3, impact), updated_ms = ?4
             WHERE incident_id = ?1",
        )
        .bind(id)
        .bind(&edit.title)
        .bind(edit.impact.map(Impact::as_str))
        .bind(now.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        found(&done)?;
        if let Some(components) = &edit.components {
            sqlx::query("DELETE FROM incident_components WHERE incident_id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for (component, status) in components {
                set_component(&mut tx, id, component, *status).await?;
            }
        }
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        self.incident(id).await
    }

    /// Deletes an incident and its timeline.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn delete_incident(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM incidents WHERE incident_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        found(&done)?;
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One incident with its timeline.
    #[tracing::instrument(skip(self), err(level = "debug"))]
    pub async fn incident(&self, id: &str) -> Result<Incident, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents WHERE incident_id = ?"
        );
        let rows = sqlx::query(sql).bind(id).fetch_all(&self.pool).await?;
        self.hydrate(rows).await?.pop().ok_or(StoreError::NotFound)
    }

    /// Incidents newest first (by creation), `limit` from `offset`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn incidents(&self, limit: u32, offset: u32) -> Result<Vec<Incident>, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents ORDER BY created_ms DESC, incident_id LIMIT ? OFFSET ?"
        );
        let rows = sqlx::query(sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        self.hydrate(rows).await
    }

    /// Incidents still open, or resolved at or after `resolved_since`, newest first.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn recent_incidents(
        &self,
        resolved_since: DateTime<Utc>,
    ) -> Result<Vec<Incident>, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents WHERE resolved_ms IS NULL OR resolved_ms >= ?
             ORDER BY created_ms DESC, incident_id"
        );
        let rows = sqlx::query(sql)
            .bind(resolved_since.timestamp_millis())
            .fetch_all(&self.pool)
            .await?;
        self.hydrate(rows).await
    }

    /// The open incident Beacon opened for `component`, if any.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn open_auto_incident(
        &self,
        component: &str,
    ) -> Result<Option<Incident>, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents WHERE auto_component = ? AND resolved_ms IS NULL
             ORDER BY created_ms DESC LIMIT 1"
        );
        let rows = sqlx::query(sql)
            .bind(component)
            .fetch_all(&self.pool)
            .await?;
        Ok(self.hydrate(rows).await?.pop())
    }

    /// Number of incidents.
    pub async fn incident_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as u64)
    }

    /// Completes incident rows with their components and updates.
    async fn hydrate(
        &self,
        rows: Vec<sqlx::sqlite::SqliteRow>,
    ) -> Result<Vec<Incident>, StoreError> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("incident_id")?;
            let status: String = row.try_get("status")?;
            let impact: String = row.try_get("impact")?;
            let components: Vec<(String, String)> = sqlx::query_as(
                "SELECT component_id, status FROM incident_components WHERE incident_id = ? ORDER BY component_id",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            out.push(Incident {
                title: row.try_get("title")?,
                status: IncidentStatus::parse(&status).unwrap_or(IncidentStatus::Investigating),
                impact: Impact::parse(&impact).unwrap_or(Impact::None),
                components: components
                    .into_iter()
                    .filter_map(|(c, s)| ComponentStatus::parse(&s).map(|s| (c, s)))
                    .collect(),
                auto_component: row.try_get("auto_component")?,
                created_at: ms_to_time(row.try_get("created_ms")?),
                updated_at: ms_to_time(row.try_get("updated_ms")?),
                monitoring_at: row
                    .try_get::<Option<i64>, _>("monitoring_ms")?
                    .map(ms_to_time),
                resolved_at: row
                    .try_get::<Option<i64>, _>("resolved_ms")?
                    .map(ms_to_time),
                updates: self.updates(&id).await?,
                id,
            });
        }
        Ok(out)
    }

    async fn updates(&self, incident: &str) -> Result<Vec<IncidentUpdate>, StoreError> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT update_id, status, body, created_ms FROM incident_updates WHERE incident_id = ?
             ORDER BY seq DESC",
        )
        .bind(incident)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, status, body, created) in rows {
            let affected: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT component_id, old_status, new_status FROM update_components WHERE update_id = ?
                 ORDER BY component_id",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            out.push(IncidentUpdate {
                status: IncidentStatus::parse(&status).unwrap_or(IncidentStatus::Investigating),
                body,
                created_at: ms_to_time(created),
                affected: affected
                    .into_iter()
                    .filter_map(|(component, old, new)| {
                        Some(AffectedComponent {
                            component,
                            old_status: ComponentStatus::parse(&old)?,
                            new_status: ComponentStatus::parse(&new)?,
                        })
                    })
                    .collect(),
                id,
            });
        }
        Ok(out)
    }
}

/// Appends an update and applies its component statuses.
async fn insert_update(
    tx: &mut SqliteConnection,
    incident: &str,
    update: &NewUpdate,
    ms: i64,
) -> Result<(), StoreError> {
    let update_id = new_id();
    sqlx::query(
        "INSERT INTO incident_updates (update_id, incident_id, seq, status, body, created_ms)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM incident_updates WHERE incident_id = ?2), ?3, ?4, ?5)",
    )
    .bind(&update_id)
    .bind(incident)
    .bind(update.status.as_str())
    .bind(&update.body)
    .bind(ms)
    .execute(&mut *tx)
    .await?;
    for (component, status) in &update.components {
        let old: Option<String> = sqlx::query_scalar(
            "SELECT status FROM incident_components WHERE incident_id = ? AND component_id = ?",
        )
        .bind(incident)
        .bind(component)
        .fetch_optional(&mut *tx)
        .await?;
        let old = old
            .as_deref()
            .and_then(ComponentStatus::parse)
            .unwrap_or(ComponentStatus::Operational);
        sqlx::query(
            "INSERT INTO update_components (update_id, component_id, old_status, new_status) VALUES (?, ?, ?, ?)",
        )
        .bind(&update_id)
        .bind(component)
        .bind(old.as_str())
        .bind(status.as_str())
        .execute(&mut *tx)
        .await?;
        set_component(tx, incident, component, *status).await?;
    }
    Ok(())
}

async fn set_component(
    tx: &mut SqliteConnection,
    incident: &str,
    component: &str,
    status: ComponentStatus,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO incident_components (incident_id, component_id, status) VALUES (?, ?, ?)
         ON CONFLICT (incident_id, component_id) DO UPDATE SET status = excluded.status",
    )
    .bind(incident)
    .bind(component)
    .bind(status.as_str())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Store {
    /// Components for which Beacon has an unresolved automatic incident.
    pub async fn open_auto_components(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT auto_component FROM incidents
             WHERE resolved_ms IS NULL AND auto_component IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Store {
    /// The `limit` incidents with the most recent activity (update or status change).
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn incidents_by_activity(&self, limit: u32) -> Result<Vec<Incident>, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents ORDER BY updated_ms DESC, incident_id LIMIT ?"
        );
        let rows = sqlx::query(sql).bind(limit).fetch_all(&self.pool).await?;
        self.hydrate(rows).await
    }
}
