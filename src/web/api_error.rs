//! Errors of the admin API, as SPEC §6's JSON: `{"error": {"code", "message"}}`
//! (STYLE §3.5–§3.6), and the extractors whose rejections become one.
//!
//! 500s are logged here and their text never reaches the client.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::StoreError;

/// Largest request body the admin API reads (SPEC §6: 64 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What went wrong with an admin API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON (or a path/query is unreadable).
    #[error("{0}")]
    Malformed(String),
    /// 401: no token, or not a valid one.
    #[error("a valid admin token is required: send Authorization: Bearer <token>")]
    Unauthorized,
    /// 404: no such object.
    #[error("{0}")]
    NotFound(String),
    /// 405 on a known admin path.
    #[error("method not allowed on this path")]
    MethodNotAllowed,
    /// 413: the body is over [`BODY_LIMIT`].
    #[error("the request body is over 64 KiB ({} bytes)", BODY_LIMIT)]
    TooLarge,
    /// 415: not `Content-Type: application/json`.
    #[error("expected Content-Type: application/json")]
    UnsupportedMediaType,
    /// 422: values that are JSON but not acceptable; each problem names its field.
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    /// 429: too many requests; try again after this many seconds.
    #[error("too many requests: {message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    /// 503 when the database cannot take the request now (locked by another
    /// process, disk full), with `Retry-After`; else 500, logged, not shown.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// `Retry-After` of a 503: the busy timeout has already passed once.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl ApiError {
    /// A 422 with one problem, `field: message`.
    pub fn invalid(field: &str, message: impl std::fmt::Display) -> ApiError {
        ApiError::Invalid(vec![format!("{field}: {message}")])
    }

    /// A 404 naming what was looked for.
    pub fn not_found(what: &str, id: &str) -> ApiError {
        ApiError::NotFound(format!("no {what} with id {id:?}"))
    }

    /// The HTTP status and the machine-readable `code`.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed_request"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Store(StoreError::Unavailable { .. }) => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
            ApiError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }

    /// Maps a store error of a lookup by id: `NotFound` becomes a 404.
    pub fn from_lookup(what: &'static str, id: &str) -> impl FnOnce(StoreError) -> ApiError {
        let id = id.to_owned();
        move |e| match e {
            StoreError::NotFound => ApiError::not_found(what, &id),
            other => ApiError::Store(other),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// `code` is stable for programs; `message` is for people and names the field.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    #[schema(example = "invalid_value")]
    pub code: String,
    #[schema(example = "ends_at: must be after starts_at")]
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            ApiError::Store(StoreError::Unavailable { fault, detail }) => {
                tracing::warn!(%fault, %detail, "API request refused: the database is unavailable");
                format!(
                    "the database cannot take this request right now ({fault}); retry in {UNAVAILABLE_RETRY_AFTER_SECS} s"
                )
            }
            ApiError::Store(e) => {
                tracing::error!(error = %e, "API request failed");
                "internal error; see the server log".to_owned()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        let retry_after = match self {
            ApiError::RateLimited {
                retry_after_secs, ..
            } => Some(retry_after_secs),
            ApiError::Store(StoreError::Unavailable { .. }) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            JsonRejection::JsonDataError(e) => {
                ApiError::Invalid(vec![data_error_message(&e.body_text())])
            }
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::Malformed(format!("malformed JSON: {}", after_colon(&e.body_text())))
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            other => ApiError::Malformed(format!(
                "cannot read the request body: {}",
                after_colon(&other.body_text())
            )),
        }
    }
}

/// axum's text without its fixed prefix ("Failed to ...: ").
fn after_colon(text: &str) -> &str {
    text.split_once(": ").map_or(text, |(_, rest)| rest)
}

/// serde's data error with the field first: `title: invalid type: ...`, and
/// `foo: unknown field ...` for fields the API does not know.
fn data_error_message(text: &str) -> String {
    let message = after_colon(text);
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        return format!("{field}: unknown field; {message}");
    }
    message.to_owned()
}

/// `axum::Json` whose rejections are [`ApiError`]s (400, 413, 415, 422).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// `axum::extract::Path` whose rejections are [`ApiError`]s.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|e: PathRejection| ApiError::Malformed(e.body_text()))
    }
}

/// `axum::extract::Query` whose rejections are [`ApiError`]s.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|e: QueryRejection| {
                ApiError::invalid("query", after_colon(&e.body_text()).to_owned())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_named_first() {
        let text = "Failed to deserialize the JSON body into the target type: unknown field `colour`, expected `title` at line 1 column 9";
        assert!(data_error_message(text).starts_with("colour: unknown field; "));
        let typed = "Failed to deserialize the JSON body into the target type: title: invalid type: integer `1`, expected a string at line 1 column 10";
        assert!(data_error_message(typed).starts_with("title: invalid type"));
    }

    #[test]
    fn statuses_and_codes() {
        for (error, status) in [
            (ApiError::Malformed("x".into()), 400),
            (ApiError::Unauthorized, 401),
            (ApiError::not_found("incident", "x"), 404),
            (ApiError::TooLarge, 413),
            (ApiError::UnsupportedMediaType, 415),
            (ApiError::invalid("title", "must not be empty"), 422),
            (ApiError::Store(StoreError::Conflict), 500),
            (
                ApiError::Store(StoreError::Unavailable {
                    fault: crate::store::Fault::Locked,
                    detail: "database is locked".into(),
                }),
                503,
            ),
        ] {
            assert_eq!(error.status_and_code().0.as_u16(), status, "{error:?}");
        }
    }
}
