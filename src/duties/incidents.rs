//! The automatic-incident duty (SPEC §3): on the lease's holder, decides
//! from the stored check states of every process and applies the decision
//! of [`auto_incident::decide`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{ComponentStatus, Impact, IncidentStatus, Maintenance, NewIncident, NewUpdate};
use crate::model::regions::ShownCheck;
use crate::status::auto_incident::{self, Action, OpenAuto};
use crate::status::{self, CheckState};
use crate::store::{Store, StoreError};

/// Decides and applies automatic incidents for every component at `now`,
/// from each check's state as the page shows it, `shown`: every probe
/// region combined by the quorum rule (`crate::model::regions::load`).
pub async fn run_once(
    store: &Store,
    config: &Config,
    shown: &HashMap<String, ShownCheck>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let maintenances = store.maintenances_ending_after(now).await?;
    apply(store, config, shown, &maintenances, now).await
}

/// Decides and applies automatic incidents for each component at `now`.
/// Their text is public (pages, feeds, the v2 API): checks are named by
/// their label and reasons lose every target string (SPEC §2).
async fn apply(
    store: &Store,
    config: &Config,
    shown: &HashMap<String, ShownCheck>,
    maintenances: &[Maintenance],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let already_open = store.open_auto_components().await?;
    for component in &config.components {
        let checks: Vec<_> = config.checks_of(&component.id).collect();
        let states: Vec<Option<CheckState>> = checks
            .iter()
            .map(|c| shown.get(c.id.as_str()).and_then(|s| s.state))
            .collect();
        let derived = status::component::from_checks(&states);
        let id = component.id.as_str();
        if auto_incident::impact_of(derived).is_none() && !already_open.contains(&component.id) {
            continue;
        }
        let open = store.open_auto_incident(&component.id).await?;
        let in_maintenance = maintenances
            .iter()
            .any(|m| status::maintenance::covers(m, id, now));
        let open_auto = open.as_ref().map(|i| OpenAuto {
            impact: i.impact,
            age: (now - i.created_at).to_std().unwrap_or_default(),
        });
        let Some(action) =
            auto_incident::decide(derived, in_maintenance, component.auto_incidents, open_auto)
        else {
            continue;
        };
        let reasons: Vec<String> = checks
            .iter()
            .filter_map(|c| Some((c, shown.get(c.id.as_str())?)))
            .filter(|(_, s)| s.state == Some(CheckState::Down))
            .map(|(c, s)| match &s.last_failure {
                Some((_, reason)) => format!("- {}: {}", c.label, c.public_reason(reason)),
                None => format!("- {}", c.label),
            })
            .collect();
        match (action, open) {
            (Action::Open { impact, status }, _) => {
                let new = NewIncident {
                    title: format!("{}: {}", component.name, words(status)),
                    status: IncidentStatus::Investigating,
                    impact,
                    body: format!(
                        "Beacon detected a {} of {}. Failing checks:\n\n{}",
                        words(status),
                        component.name,
                        reasons.join("\n")
                    ),
                    components: vec![(component.id.clone(), status)],
                    auto_component: Some(component.id.clone()),
                    notify: true,
                };
                match store.create_incident(&new, now).await {
                    Ok(incident) => tracing::warn!(
                        component = id,
                        incident = %incident.id,
                        "opened an automatic incident"
                    ),
                    // Another process opened it first: the database's guard.
                    Err(StoreError::Conflict) => {
                        tracing::info!(component = id, "an automatic incident is open already");
                    }
                    Err(e) => return Err(e),
                }
            }
            (Action::Update { impact, status }, Some(incident)) => {
                let update = NewUpdate {
                    status: incident.status,
                    body: format!(
                        "The outage is now a {}. Failing checks:\n\n{}",
                        words(status),
                        reasons.join("\n")
                    ),
                    components: vec![(component.id.clone(), status)],
                    impact: Some(impact),
                    notify: true,
                };
                store
                    .add_incident_update(&incident.id, &update, now)
                    .await?;
            }
            (Action::Resolve { outage }, Some(incident)) => {
                let outage = std::time::Duration::from_secs(outage.as_secs());
                let update = NewUpdate {
                    status: IncidentStatus::Resolved,
                    body: format!(
                        "{} has recovered. The outage lasted {}.",
                        component.name,
                        humantime::format_duration(outage)
                    ),
                    components: vec![(component.id.clone(), ComponentStatus::Operational)],
                    impact: None::<Impact>,
                    notify: true,
                };
                store
                    .add_incident_update(&incident.id, &update, now)
                    .await?;
                tracing::info!(
                    component = id,
                    incident = %incident.id,
                    "resolved an automatic incident"
                );
            }
            _ => {}
        }
    }
    Ok(())
}

fn words(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::MajorOutage => "major outage",
        _ => "partial outage",
    }
}
