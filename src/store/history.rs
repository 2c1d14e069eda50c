//! Incident and maintenance history together (SPEC §4 `/incidents`): one
//! list, newest first, paged in SQL so a page costs the same on day 1000.

use super::{Store, StoreError, typed};
use crate::domain::{Incident, IncidentId, Maintenance, MaintenanceId};

/// One entry of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryEntry {
    Incident(Incident),
    Maintenance(Maintenance),
}

impl Store {
    /// Incidents (by creation) and maintenances (by start) together, newest
    /// first, `limit` from `offset`.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn history(&self, limit: u32, offset: u32) -> Result<Vec<HistoryEntry>, StoreError> {
        let keys: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, id FROM (
                 SELECT 'incident' AS kind, incident_id AS id, created_ms AS at FROM incidents
                 UNION ALL
                 SELECT 'maintenance', maintenance_id, starts_ms FROM maintenances
             ) AS entries ORDER BY at DESC, kind, id LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(keys.len());
        for (kind, id) in keys {
            // Deleted between the two queries: leave it out.
            let entry = match kind.as_str() {
                "incident" => self
                    .incident(&typed(IncidentId::parse, &id)?)
                    .await
                    .map(HistoryEntry::Incident),
                _ => self
                    .maintenance(&typed(MaintenanceId::parse, &id)?)
                    .await
                    .map(HistoryEntry::Maintenance),
            };
            match entry {
                Ok(entry) => out.push(entry),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Number of history entries: incidents plus maintenances.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn history_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM maintenances)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n.max(0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, TimeZone, Utc};

    use super::*;
    use crate::domain::{Impact, IncidentStatus, NewIncident, NewMaintenance};
    use crate::store::test_databases::TestDatabase;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
    }

    async fn incident(store: &Store, title: &str, at: DateTime<Utc>) {
        let new = NewIncident {
            title: title.into(),
            status: IncidentStatus::Investigating,
            impact: Impact::Minor,
            body: String::new(),
            components: vec![],
            auto_component: None,
            notify: true,
        };
        store.create_incident(&new, at).await.unwrap();
    }

    async fn maintenance(store: &Store, title: &str, starts: DateTime<Utc>) {
        let new = NewMaintenance {
            title: title.into(),
            body: String::new(),
            starts_at: starts,
            ends_at: starts + Duration::hours(1),
            components: vec![],
            notify: true,
        };
        // Created long before it starts: ordered by start, not creation.
        store.create_maintenance(&new, t0()).await.unwrap();
    }

    fn titles(entries: &[HistoryEntry]) -> Vec<&str> {
        entries
            .iter()
            .map(|e| match e {
                HistoryEntry::Incident(i) => i.title.as_str(),
                HistoryEntry::Maintenance(m) => m.title.as_str(),
            })
            .collect()
    }

    store_test!(async fn history_merges_both_tables_newest_first_and_pages(store, _url) {
        assert!(store.history(20, 0).await.unwrap().is_empty());
        assert_eq!(store.history_count().await.unwrap(), 0);

        incident(&store, "i1", t0() + Duration::hours(1)).await;
        maintenance(&store, "m1", t0() + Duration::hours(2)).await;
        incident(&store, "i2", t0() + Duration::hours(3)).await;
        maintenance(&store, "m2", t0() - Duration::days(40)).await;
        incident(&store, "i0", t0() - Duration::days(3)).await;

        assert_eq!(store.history_count().await.unwrap(), 5);
        let all = store.history(20, 0).await.unwrap();
        assert_eq!(titles(&all), ["i2", "m1", "i1", "i0", "m2"]);
        assert_eq!(titles(&store.history(2, 0).await.unwrap()), ["i2", "m1"]);
        assert_eq!(titles(&store.history(2, 2).await.unwrap()), ["i1", "i0"]);
        assert_eq!(titles(&store.history(2, 4).await.unwrap()), ["m2"]);
        assert!(store.history(2, 6).await.unwrap().is_empty());
    });
}
