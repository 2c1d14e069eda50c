//! Writing incidents: open, post an update, edit, delete. Each is one
//! transaction that also bumps the revision, and returns the incident as
//! read back by [`super::incident_rows`].

use chrono::{DateTime, Utc};

use super::{Conn, Store, StoreError, commit_change, events, found, new_id, typed};
use crate::domain::{
    ComponentStatus, Impact, Incident, IncidentEdit, IncidentId, NewIncident, NewUpdate,
};

impl Store {
    /// Opens an incident with its first update. Committed before it returns.
    /// An automatic one (`auto_component`) is opened once: when its
    /// component already has an open one (another probe region's writer
    /// opened it meanwhile), that one is returned instead.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn create_incident(
        &self,
        new: &NewIncident,
        now: DateTime<Utc>,
    ) -> Result<Incident, StoreError> {
        self.write(async {
            let id = new_id();
            let ms = now.timestamp_millis();
            let mut tx = self.begin_write().await?;
            if let Some(component) = &new.auto_component {
                self.backend.serialize(&mut tx, "auto-incident").await?;
                let open: Option<String> = sqlx::query_scalar(
                    "SELECT incident_id FROM incidents
                     WHERE auto_component = $1 AND resolved_ms IS NULL",
                )
                .bind(component)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(open) = open {
                    tx.rollback().await?;
                    return self.incident(&typed(IncidentId::parse, &open)?).await;
                }
            }
            sqlx::query(
                "INSERT INTO incidents (incident_id, title, status, impact, auto_component, created_ms, updated_ms,
                                        monitoring_ms, resolved_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, CASE WHEN $3 = 'monitoring' THEN $6 END,
                         CASE WHEN $3 = 'resolved' THEN $6 END)",
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
                notify: new.notify,
            };
            insert_update(&mut tx, &id, &update, ms).await?;
            events::on_incident(&mut tx, &id, true, new.status, new.notify, now).await?;
            commit_change(tx).await?;
            self.incident(&typed(IncidentId::parse, &id)?).await
        })
        .await
    }

    /// Posts an update; `resolved` closes the incident. Committed before it returns.
    #[tracing::instrument(skip(self, update), err(level = "warn"))]
    pub async fn add_incident_update(
        &self,
        id: &IncidentId,
        update: &NewUpdate,
        now: DateTime<Utc>,
    ) -> Result<Incident, StoreError> {
        self.write(async {
            let ms = now.timestamp_millis();
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE incidents SET status = $2, updated_ms = $3, impact = COALESCE($4, impact),
                     monitoring_ms = CASE WHEN $2 = 'monitoring' THEN COALESCE(monitoring_ms, $3) ELSE monitoring_ms END,
                     resolved_ms = CASE WHEN $2 = 'resolved' THEN COALESCE(resolved_ms, $3) ELSE NULL END
                 WHERE incident_id = $1",
            )
            .bind(id.as_str())
            .bind(update.status.as_str())
            .bind(ms)
            .bind(update.impact.map(Impact::as_str))
            .execute(&mut *tx)
            .await?;
            found(&done)?;
            insert_update(&mut tx, id.as_str(), update, ms).await?;
            events::on_incident(&mut tx, id.as_str(), false, update.status, update.notify, now).await?;
            commit_change(tx).await?;
            self.incident(id).await
        })
        .await
    }

    /// Edits title, impact or component statuses. Committed before it returns.
    #[tracing::instrument(skip(self, edit), err(level = "warn"))]
    pub async fn edit_incident(
        &self,
        id: &IncidentId,
        edit: &IncidentEdit,
        now: DateTime<Utc>,
    ) -> Result<Incident, StoreError> {
        self.write(async {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE incidents SET title = COALESCE($2, title), impact = COALESCE($3, impact), updated_ms = $4
                 WHERE incident_id = $1",
            )
            .bind(id.as_str())
            .bind(&edit.title)
            .bind(edit.impact.map(Impact::as_str))
            .bind(now.timestamp_millis())
            .execute(&mut *tx)
            .await?;
            found(&done)?;
            if let Some(components) = &edit.components {
                sqlx::query("DELETE FROM incident_components WHERE incident_id = $1")
                    .bind(id.as_str())
                    .execute(&mut *tx)
                    .await?;
                for (component, status) in components {
                    set_component(&mut tx, id.as_str(), component, *status).await?;
                }
            }
            commit_change(tx).await?;
            self.incident(id).await
        })
        .await
    }

    /// Deletes an incident and its timeline.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn delete_incident(&self, id: &IncidentId) -> Result<(), StoreError> {
        self.delete_one("DELETE FROM incidents WHERE incident_id = $1", id.as_str())
            .await
    }
}

/// Appends an update and applies its component statuses.
async fn insert_update(
    tx: &mut Conn,
    incident: &str,
    update: &NewUpdate,
    ms: i64,
) -> Result<(), StoreError> {
    let update_id = new_id();
    sqlx::query(
        "INSERT INTO incident_updates (update_id, incident_id, seq, status, body, created_ms)
         VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM incident_updates WHERE incident_id = $2), $3, $4, $5)",
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
            "SELECT status FROM incident_components WHERE incident_id = $1 AND component_id = $2",
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
            "INSERT INTO update_components (update_id, component_id, old_status, new_status) VALUES ($1, $2, $3, $4)",
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
    tx: &mut Conn,
    incident: &str,
    component: &str,
    status: ComponentStatus,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO incident_components (incident_id, component_id, status) VALUES ($1, $2, $3)
         ON CONFLICT (incident_id, component_id) DO UPDATE SET status = excluded.status",
    )
    .bind(incident)
    .bind(component)
    .bind(status.as_str())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
