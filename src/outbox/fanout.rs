//! Events → deliveries: who gets each event, with what payload.

use chrono::{DateTime, Utc};

use super::compose::{Composer, Subject};
use super::{Payload, Sender, Targets};
use crate::domain::ComponentId;
use crate::notify::Outcome;
use crate::statuspage::Builder;
use crate::store::{DueDelivery, NewDelivery, Store, StoreError};

/// Events fanned out per round.
const BATCH: u32 = 64;

/// Fans out every event not fanned out yet; returns how many.
pub(super) async fn fan_out(sender: &Sender, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let store = &sender.store;
    let events = store.events_to_fan_out(BATCH).await?;
    if events.is_empty() {
        return Ok(0);
    }
    let snap = sender.model.get();
    let first_days = store.first_result_days().await?;
    let v2 = Builder::new(&snap, &first_days, sender.started, &sender.base);
    let composer = Composer {
        config: &sender.config,
        v2: &v2,
        base: &sender.base,
    };
    for event in &events {
        let incident = match &event.incident {
            Some(id) => optional(store.incident(id).await)?,
            None => None,
        };
        let maintenance = match &event.maintenance {
            Some(id) => optional(store.maintenance(id).await)?,
            None => None,
        };
        let components: Vec<ComponentId> = match (&incident, &maintenance) {
            (Some(i), _) => i.components.iter().map(|(c, _)| c.clone()).collect(),
            (_, Some(m)) => m.components.clone(),
            _ => event.component.iter().cloned().collect(),
        };
        let subject = Subject {
            event,
            incident: incident.as_ref(),
            maintenance: maintenance.as_ref(),
        };
        let payload = composer.payload(&subject);
        let payload = serde_json::to_string(&payload).unwrap_or_default();
        let mut deliveries = Vec::new();
        for n in sender.targets.notifiers() {
            if !n.wants(event.kind) || !n.covers(components.iter().map(ComponentId::as_str)) {
                continue;
            }
            for recipient in sender.targets.recipients(&n.id) {
                deliveries.push(NewDelivery {
                    target: n.id.clone(),
                    recipient,
                    payload: payload.clone(),
                });
            }
        }
        if event.kind.for_subscribers() && event.subscribers {
            let built = serde_json::from_str::<Payload>(&payload);
            for subscriber in store.subscribers_for(&components).await? {
                let email = subscriber.kind == "email";
                if email && !sender.config.notify.subscriptions {
                    continue;
                }
                let Ok(built) = &built else { break };
                let token = store.unsubscribe_token(&subscriber.id).await?;
                let link = format!("{}/subscriptions/unsubscribe/{token}", sender.base);
                let own = if email {
                    built.for_subscriber(&link)
                } else {
                    built.clone()
                };
                deliveries.push(NewDelivery {
                    target: format!("{SUBSCRIBER}{}", subscriber.id),
                    recipient: String::new(),
                    payload: serde_json::to_string(&own).unwrap_or_default(),
                });
            }
        }
        store.fan_out(event.id, &deliveries, now).await?;
    }
    Ok(events.len())
}

/// A row that may be gone (an incident deleted since its event).
fn optional<T>(found: Result<T, StoreError>) -> Result<Option<T>, StoreError> {
    match found {
        Ok(value) => Ok(Some(value)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The target prefix of subscribers' deliveries.
const SUBSCRIBER: &str = "subscriber:";

/// One attempt of `due`.
pub(super) async fn send(
    store: &Store,
    targets: &Targets,
    due: &DueDelivery,
    payload: &Payload,
) -> Outcome {
    let Some(id) = due.target.strip_prefix(SUBSCRIBER) else {
        return targets
            .send(&due.target, &due.id, &due.recipient, payload)
            .await;
    };
    match store.subscriber(id).await {
        Ok(subscriber) => {
            targets
                .send_to_subscriber(&subscriber, &due.id, payload)
                .await
        }
        Err(StoreError::NotFound) => Outcome::Permanent("the subscriber is gone".to_owned()),
        Err(e) => Outcome::Retry(format!("cannot read the subscriber: {e}")),
    }
}
