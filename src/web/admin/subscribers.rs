//! `/api/admin/subscribers` (SPEC §8): list (paged), add a webhook
//! subscriber, remove one; and `/api/admin/deliveries`: what the outbox did.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header::LOCATION};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ListParams;
use super::validate::Problems;
use crate::domain::ComponentId;
use crate::notify::SecretUrl;
use crate::store::{DeliveryInfo, StoreError, Subscriber};
use crate::web::api_error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody};
use crate::web::auth::AdminToken;
use crate::web::state::AppState;

/// Longest webhook URL and secret accepted.
const MAX_URL: usize = 2000;
const MAX_SECRET: usize = 200;

/// `POST /api/admin/subscribers`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriber {
    /// Only `webhook` (visitors subscribe by e-mail through the page).
    #[schema(required = true, example = "webhook")]
    pub kind: Option<String>,
    /// Where to POST (http or https).
    #[schema(required = true)]
    pub url: Option<String>,
    /// Component ids of interest; none or empty: all.
    pub components: Option<Vec<String>>,
    /// HMAC-SHA256 key for `X-Beacon-Signature`.
    pub secret: Option<String>,
}

/// A subscriber (the webhook secret is never shown).
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriberJson {
    pub id: String,
    /// `email` or `webhook`.
    pub kind: String,
    /// The e-mail address, or the webhook URL.
    pub address: String,
    pub components: Vec<String>,
    /// `false` while an e-mail sign-up awaits its confirmation.
    pub confirmed: bool,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

impl From<Subscriber> for SubscriberJson {
    fn from(s: Subscriber) -> SubscriberJson {
        SubscriberJson {
            confirmed: s.confirmed_at.is_some(),
            id: s.id,
            kind: s.kind,
            address: s.address,
            components: s.components.iter().map(ComponentId::to_string).collect(),
            created_at: s.created_at,
            confirmed_at: s.confirmed_at,
        }
    }
}

/// `{"subscribers": [...]}`, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriberList {
    pub subscribers: Vec<SubscriberJson>,
}

/// List subscribers, newest first (pending e-mail sign-ups too).
#[utoipa::path(get, path = "/api/admin/subscribers", tag = "subscribers",
    params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SubscriberList),
        (status = "4XX", description = "401 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn list(
    _: AdminToken,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<SubscriberList>, ApiError> {
    let (limit, offset) = params.parse()?;
    let rows = state.store.subscribers(limit, offset).await?;
    let subscribers = rows.into_iter().map(SubscriberJson::from).collect();
    Ok(Json(SubscriberList { subscribers }))
}

/// Add a webhook subscriber: incidents and maintenances, in the `webhook`
/// notifier's body.
#[utoipa::path(post, path = "/api/admin/subscribers", tag = "subscribers",
    request_body = NewSubscriber,
    security(("bearer" = [])),
    responses(
        (status = 201, body = SubscriberJson, headers(("Location" = String))),
        (status = "4XX", description = "400, 401, 413, 415 or 422 (a URL already subscribed too)", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn create(
    _: AdminToken,
    State(state): State<AppState>,
    ApiJson(req): ApiJson<NewSubscriber>,
) -> Result<(StatusCode, HeaderMap, Json<SubscriberJson>), ApiError> {
    let mut p = Problems::default();
    if let Some(kind) = p.required("kind", req.kind)
        && kind != "webhook"
    {
        p.push(
            "kind",
            "must be \"webhook\" (visitors subscribe by e-mail on the page)",
        );
    }
    let url = p.required("url", req.url).filter(|url| {
        let problem = match SecretUrl::parse(url) {
            _ if url.len() > MAX_URL => Some(format!("at most {MAX_URL} characters")),
            Err(e) => Some(e),
            Ok(_) => None,
        };
        if let Some(problem) = &problem {
            p.push("url", problem);
        }
        problem.is_none()
    });
    let config = &state.config;
    let components = p.component_ids("components", req.components.unwrap_or_default(), config);
    let secret = req.secret.filter(|s| {
        let ok = !s.is_empty() && s.len() <= MAX_SECRET && !s.chars().any(char::is_control);
        if !ok {
            p.push("secret", format!("1 to {MAX_SECRET} printable characters"));
        }
        ok
    });
    p.finish()?;
    let (Some(url), Some(components)) = (url, components) else {
        return Err(ApiError::invalid("url", "is required"));
    };
    let added = state
        .store
        .add_webhook_subscriber(&url, secret.as_deref(), &components, Utc::now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict => ApiError::invalid("url", "is already subscribed"),
            other => other.into(),
        })?;
    let mut headers = HeaderMap::new();
    let location = format!("/api/admin/subscribers/{}", added.id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(LOCATION, value);
    }
    Ok((StatusCode::CREATED, headers, Json(added.into())))
}

/// Remove a subscriber.
#[utoipa::path(delete, path = "/api/admin/subscribers/{id}", tag = "subscribers",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = "4XX", description = "401 or 404", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all, fields(subscriber = %id))]
pub async fn delete(
    _: AdminToken,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_subscriber(&id)
        .await
        .map_err(ApiError::from_lookup("subscriber", &id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?status=&limit=&offset=` of `GET /api/admin/deliveries`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryParams {
    /// `pending`, `failed` or `delivered`; all when absent.
    status: Option<String>,
    /// At most this many (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// Skip this many (default 0).
    #[param(minimum = 0, maximum = 4_294_967_295_u64, format = Int64)]
    offset: Option<u32>,
}

/// One delivery of one event to one target.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryJson {
    /// The id sent as `X-Beacon-Delivery` on every attempt.
    pub id: String,
    /// The event, e.g. `check.down`.
    pub event: String,
    /// The notifier id, or `subscriber:<id>`.
    pub target: String,
    /// An sms notifier's number; empty otherwise.
    pub recipient: String,
    /// `pending`, `failed` or `delivered`.
    pub status: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Pending ones: when the next attempt is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<DeliveryInfo> for DeliveryJson {
    fn from(d: DeliveryInfo) -> DeliveryJson {
        DeliveryJson {
            id: d.id,
            event: d.event,
            target: d.target,
            recipient: d.recipient,
            status: d.status,
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: d.created_at,
            updated_at: d.updated_at,
            next_attempt_at: d.next_attempt_at,
        }
    }
}

/// `{"deliveries": [...]}`, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub deliveries: Vec<DeliveryJson>,
}

/// The outbox, newest first, with attempts and the last error.
#[utoipa::path(get, path = "/api/admin/deliveries", tag = "subscribers",
    params(DeliveryParams),
    security(("bearer" = [])),
    responses(
        (status = 200, body = DeliveryList),
        (status = "4XX", description = "401 or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn deliveries(
    _: AdminToken,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<DeliveryParams>,
) -> Result<Json<DeliveryList>, ApiError> {
    let list = ListParams {
        limit: params.limit,
        offset: params.offset,
    };
    let (limit, offset) = list.parse()?;
    let status = match params.status.as_deref() {
        None => None,
        Some(s @ ("pending" | "failed" | "delivered")) => Some(s),
        Some(_) => {
            return Err(ApiError::invalid(
                "status",
                "must be pending, failed or delivered",
            ));
        }
    };
    let rows = state.store.deliveries(status, limit, offset).await?;
    let deliveries = rows.into_iter().map(DeliveryJson::from).collect();
    Ok(Json(DeliveryList { deliveries }))
}
