//! What a transport is given: a signed webhook [`Delivery`], or the
//! readable [`Message`] of chat, e-mail and SMS; and how long a send may take.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// Every send gives up after this long (SPEC §8: a 10 s timeout).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// One event for one `webhook` target: the same id and the same bytes on
/// every retry, so the receiver can deduplicate and the signature holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The delivery id (`X-Beacon-Delivery`, the body's `id`).
    pub id: String,
    /// The event name (`X-Beacon-Event`, the body's `event`), e.g. `check.down`.
    pub event: String,
    /// When the change happened (the body's `occurred_at`).
    pub occurred_at: DateTime<Utc>,
    /// The JSON body, exactly as sent and signed.
    pub body: Bytes,
}

impl Delivery {
    /// The SPEC §8 body: `id`, `event`, `occurred_at` (RFC 3339) beside
    /// `fields` (`page`, `component`, `check`, `incident`, `maintenance`).
    /// Those three keys in `fields` are replaced, so body and headers agree.
    pub fn new(
        id: &str,
        event: &str,
        occurred_at: DateTime<Utc>,
        mut fields: Map<String, Value>,
    ) -> Delivery {
        fields.insert("id".to_owned(), id.into());
        fields.insert("event".to_owned(), event.into());
        let at = occurred_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        fields.insert("occurred_at".to_owned(), at.into());
        Delivery {
            id: id.to_owned(),
            event: event.to_owned(),
            occurred_at,
            body: Bytes::from(Value::Object(fields).to_string()),
        }
    }
}

/// One event as people read it, for chat, e-mail and SMS.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Message {
    /// One readable line: "Public API is down: connection refused".
    pub line: String,
    /// The e-mail subject: event, component and status.
    pub subject: String,
    /// The e-mail's plain-text body.
    pub text: String,
    /// The e-mail's HTML body (already escaped by whoever built it).
    pub html: String,
    /// The page the event is about (component, incident or maintenance page).
    pub link: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn delivery_body_carries_the_header_values() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
        let fields = json!({ "id": "forged", "page": { "name": "Acme" } });
        let delivery = Delivery::new("d-1", "check.down", at, fields.as_object().unwrap().clone());
        let body: Value = serde_json::from_slice(&delivery.body).unwrap();
        assert_eq!(
            body,
            json!({
                "id": "d-1",
                "event": "check.down",
                "occurred_at": "2026-05-01T12:00:00Z",
                "page": { "name": "Acme" },
            })
        );
        assert_eq!(
            (delivery.id.as_str(), delivery.event.as_str()),
            ("d-1", "check.down")
        );
    }
}
