//! Writing incidents: open, post an update, edit, delete. Each is one
//! transaction that also bumps the revision, and returns the incident as
//! read back by [`super::incident_rows`].

use chrono::{DateTime, Utc};

use super::{Conn, Store, StoreError, commit_change, events, found, inserted, new_id, typed};
use crate::domain::{
    ComponentId, ComponentStatus, Impact, Incident, IncidentEdit, IncidentId, NewIncident,
    NewUpdate,
};

impl Store {
    /// Opens an incident with its first update. Committed before it returns.
    /// `Conflict` when it is automatic and its component has an open one.
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
            let done = sqlx::query(
                "INSERT INTO incidents (incident_id, title, status, impact, auto_component, created_ms, updated_ms,
                                        monitoring_ms, resolved_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, CASE WHEN $3 = 'monitoring' THEN $6 END,
                         CASE WHEN $3 = 'resolved' THEN $6 END)
                 ON CONFLICT (auto_component) WHERE resolved_ms IS NULL AND auto_component IS NOT NULL
                 DO NOTHING",
            )
            .bind(&id)
            .bind(&new.title)
            .bind(new.status.as_str())
            .bind(new.impact.as_str())
            .bind(new.auto_component.as_ref().map(ComponentId::as_str))
            .bind(ms)
            .execute(&mut *tx)
            .await?;
            // Only an automatic incident can meet a conflict: the component
            // has one open already (the index is the lease's backstop).
            inserted(&done)?;
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
        .bind(component.as_str())
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
        .bind(component.as_str())
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
    component: &ComponentId,
    status: ComponentStatus,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO incident_components (incident_id, component_id, status) VALUES ($1, $2, $3)
         ON CONFLICT (incident_id, component_id) DO UPDATE SET status = excluded.status",
    )
    .bind(incident)
    .bind(component.as_str())
    .bind(status.as_str())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::IncidentStatus;
    use crate::store::test_databases::TestDatabase;

    fn auto(component: &str) -> NewIncident {
        let id = ComponentId::parse(component).unwrap();
        NewIncident {
            title: format!("{component}: major outage"),
            status: IncidentStatus::Investigating,
            impact: Impact::Major,
            body: "down".into(),
            components: vec![(id.clone(), ComponentStatus::MajorOutage)],
            auto_component: Some(id),
            notify: true,
        }
    }

    store_test! {
        /// The database's own guard: one open automatic incident per
        /// component, even from two processes at once; operator incidents
        /// and other components are not held back, and after the
        /// resolution the next outage opens a new one.
        async fn one_open_automatic_incident_per_component(store, url) {
            let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
            let other = Store::open(url).await.unwrap();
            let new = auto("api");
            let (a, b) = tokio::join!(store.create_incident(&new, now), other.create_incident(&new, now));
            let (first, second) = if a.is_ok() { (a, b) } else { (b, a) };
            let first = first.expect("one of the two opens it");
            assert!(matches!(second, Err(StoreError::Conflict)), "{second:?}");
            assert!(store.create_incident(&auto("web"), now).await.is_ok());
            let operator = NewIncident { auto_component: None, ..auto("api") };
            assert!(store.create_incident(&operator, now).await.is_ok());
            assert!(store.create_incident(&operator, now).await.is_ok());
            let resolved = NewUpdate {
                status: IncidentStatus::Resolved,
                body: "back".into(),
                components: vec![],
                impact: None,
                notify: true,
            };
            store.add_incident_update(&first.id, &resolved, now).await.unwrap();
            assert!(store.create_incident(&new, now).await.is_ok());
            assert_eq!(store.open_auto_components().await.unwrap().len(), 2);
        }
    }

    store_test! {
        /// A component id in the database that is no slug (written by hand,
        /// say) makes reading the incident a decode error, never a panic.
        async fn a_malformed_stored_component_id_is_a_decode_error(store, _url) {
            let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
            let incident = store.create_incident(&auto("api"), now).await.unwrap();
            sqlx::query("UPDATE incident_components SET component_id = 'Not A Slug'")
                .execute(&store.pool)
                .await
                .unwrap();
            let read = store.incident(&incident.id).await;
            assert!(
                matches!(&read, Err(StoreError::Sqlx(sqlx::Error::Decode(_)))),
                "{read:?}"
            );
            sqlx::query("UPDATE incidents SET auto_component = 'Not A Slug'")
                .execute(&store.pool)
                .await
                .unwrap();
            let open = store.open_auto_components().await;
            assert!(matches!(open, Err(StoreError::Sqlx(sqlx::Error::Decode(_)))), "{open:?}");
        }
    }
}
