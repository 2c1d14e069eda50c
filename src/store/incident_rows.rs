//! Reading incidents: the queries, and hydration of incident rows into
//! domain [`Incident`]s with their component statuses and update timeline.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Store, StoreError, id_list, ms_to_time, typed};
use crate::domain::{
    AffectedComponent, ComponentId, ComponentStatus, Impact, Incident, IncidentId, IncidentStatus,
    IncidentUpdate,
};

/// One row of `incidents`, as every query of it selects.
#[derive(sqlx::FromRow)]
struct IncidentRow {
    incident_id: String,
    title: String,
    status: String,
    impact: String,
    auto_component: Option<String>,
    created_ms: i64,
    updated_ms: i64,
    monitoring_ms: Option<i64>,
    resolved_ms: Option<i64>,
}

/// The columns of [`IncidentRow`].
macro_rules! incident_columns {
    () => {
        "incident_id, title, status, impact, auto_component, created_ms, updated_ms, \
                                monitoring_ms, resolved_ms"
    };
}

impl Store {
    /// One incident with its timeline.
    #[tracing::instrument(skip(self), err(level = "debug"))]
    pub async fn incident(&self, id: &IncidentId) -> Result<Incident, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents WHERE incident_id = $1"
        );
        let rows = sqlx::query_as(sql)
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
        self.hydrate(rows).await?.pop().ok_or(StoreError::NotFound)
    }

    /// Incidents newest first (by creation), `limit` from `offset`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn incidents(&self, limit: u32, offset: u32) -> Result<Vec<Incident>, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents ORDER BY created_ms DESC, incident_id LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query_as(sql)
            .bind(i64::from(limit))
            .bind(i64::from(offset))
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
            " FROM incidents WHERE resolved_ms IS NULL OR resolved_ms >= $1
             ORDER BY created_ms DESC, incident_id"
        );
        let rows = sqlx::query_as(sql)
            .bind(resolved_since.timestamp_millis())
            .fetch_all(&self.pool)
            .await?;
        self.hydrate(rows).await
    }

    /// The open incident Beacon opened for `component`, if any.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn open_auto_incident(
        &self,
        component: &ComponentId,
    ) -> Result<Option<Incident>, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents WHERE auto_component = $1 AND resolved_ms IS NULL
             ORDER BY created_ms DESC LIMIT 1"
        );
        let rows = sqlx::query_as(sql)
            .bind(component.as_str())
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
    pub async fn open_auto_components(&self) -> Result<Vec<ComponentId>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT auto_component FROM incidents
             WHERE resolved_ms IS NULL AND auto_component IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        ids.iter().map(|id| typed(ComponentId::parse, id)).collect()
    }

    /// The `limit` incidents with the most recent activity (update or status change).
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn incidents_by_activity(&self, limit: u32) -> Result<Vec<Incident>, StoreError> {
        let sql = concat!(
            "SELECT ",
            incident_columns!(),
            " FROM incidents ORDER BY updated_ms DESC, incident_id LIMIT $1"
        );
        let rows = sqlx::query_as(sql)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        self.hydrate(rows).await
    }

    /// Completes incident rows with their components and timelines: three
    /// queries for the whole set, whatever its size (no query per incident).
    async fn hydrate(&self, rows: Vec<IncidentRow>) -> Result<Vec<Incident>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = rows.iter().map(|row| row.incident_id.clone()).collect();
        let ids = id_list(&ids);
        let set = self.backend.json_texts();
        let components: Vec<(String, String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT incident_id, component_id, status FROM incident_components
             WHERE incident_id IN (SELECT value FROM {set}) ORDER BY component_id"
            )))
            .bind(&ids)
            .fetch_all(&self.pool)
            .await?;
        let updates: Vec<(String, String, String, String, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT incident_id, update_id, status, body, created_ms FROM incident_updates
             WHERE incident_id IN (SELECT value FROM {set}) ORDER BY seq DESC"
            )))
            .bind(&ids)
            .fetch_all(&self.pool)
            .await?;
        let affected: Vec<(String, String, String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT c.update_id, c.component_id, c.old_status, c.new_status
             FROM update_components c JOIN incident_updates u ON u.update_id = c.update_id
             WHERE u.incident_id IN (SELECT value FROM {set}) ORDER BY c.component_id"
            )))
            .bind(&ids)
            .fetch_all(&self.pool)
            .await?;

        let mut changes: HashMap<String, Vec<AffectedComponent>> = HashMap::new();
        for (update, component, old, new) in affected {
            if let (Some(old_status), Some(new_status)) =
                (ComponentStatus::parse(&old), ComponentStatus::parse(&new))
            {
                changes.entry(update).or_default().push(AffectedComponent {
                    component: typed(ComponentId::parse, &component)?,
                    old_status,
                    new_status,
                });
            }
        }
        let mut timelines: HashMap<String, Vec<IncidentUpdate>> = HashMap::new();
        for (incident, id, status, body, created) in updates {
            timelines.entry(incident).or_default().push(IncidentUpdate {
                status: IncidentStatus::parse(&status).unwrap_or(IncidentStatus::Investigating),
                body,
                created_at: ms_to_time(created),
                affected: changes.remove(&id).unwrap_or_default(),
                id,
            });
        }
        let mut statuses: HashMap<String, Vec<(ComponentId, ComponentStatus)>> = HashMap::new();
        for (incident, component, status) in components {
            if let Some(status) = ComponentStatus::parse(&status) {
                let component = typed(ComponentId::parse, &component)?;
                statuses
                    .entry(incident)
                    .or_default()
                    .push((component, status));
            }
        }

        rows.into_iter()
            .map(|row| {
                let id = row.incident_id;
                Ok(Incident {
                    title: row.title,
                    status: IncidentStatus::parse(&row.status)
                        .unwrap_or(IncidentStatus::Investigating),
                    impact: Impact::parse(&row.impact).unwrap_or(Impact::None),
                    components: statuses.remove(&id).unwrap_or_default(),
                    auto_component: row
                        .auto_component
                        .as_deref()
                        .map(|c| typed(ComponentId::parse, c))
                        .transpose()?,
                    created_at: ms_to_time(row.created_ms),
                    updated_at: ms_to_time(row.updated_ms),
                    monitoring_at: row.monitoring_ms.map(ms_to_time),
                    resolved_at: row.resolved_ms.map(ms_to_time),
                    updates: timelines.remove(&id).unwrap_or_default(),
                    id: typed(IncidentId::parse, &id)?,
                })
            })
            .collect()
    }
}
