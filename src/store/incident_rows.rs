//! Reading incidents: the queries, and hydration of incident rows into
//! domain [`Incident`]s with their component statuses and update timeline.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreError, ms_to_time};
use crate::domain::{
    AffectedComponent, ComponentStatus, Impact, Incident, IncidentStatus, IncidentUpdate,
};

/// The columns every query of this table selects.
macro_rules! incident_columns {
    () => {
        "incident_id, title, status, impact, auto_component, created_ms, updated_ms, \
                                monitoring_ms, resolved_ms"
    };
}

impl Store {
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

    /// Components for which Beacon has an unresolved automatic incident.
    pub async fn open_auto_components(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT auto_component FROM incidents
             WHERE resolved_ms IS NULL AND auto_component IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?)
    }

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
