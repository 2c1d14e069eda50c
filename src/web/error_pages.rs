//! The site's error pages: a middleware that replaces every marked error
//! response (and axum's own plain-text rejections) with the styled HTML
//! page, or with SPEC §6's JSON shape under `/api/`.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::api_error::{ErrorBody, ErrorDetail};
use super::error::{ErrorMarker, PageError};
use super::state::AppState;
use super::views::{ErrorPage, Layout};

/// Fallback for unknown paths: the styled 404.
pub async fn not_found() -> PageError {
    PageError::NotFound
}

/// Middleware: replaces marked error responses with the styled error page.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let (response, marker) = match response.extensions().get::<ErrorMarker>().cloned() {
        Some(marker) => (response, marker),
        None if is_rejection(&response) => adopt_rejection(response).await,
        None => return response,
    };
    let status = response.status();
    if api {
        // API clients get the SPEC §6 error shape, not a page.
        let code = match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::BAD_REQUEST => "malformed_request",
            StatusCode::SERVICE_UNAVAILABLE => "unavailable",
            _ => "internal_error",
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: marker.message,
            },
        };
        let mut json = (status, Json(body)).into_response();
        json.headers_mut().extend(
            response
                .headers()
                .iter()
                .filter(|(name, _)| name.as_str().starts_with("access-control-"))
                .map(|(n, v)| (n.clone(), v.clone())),
        );
        return json;
    }
    let config = &state.config;
    let page = ErrorPage {
        layout: Layout {
            site_title: config.site.title.clone(),
            site_description: config.site.description.clone(),
            page_title: format!("{} · {}", marker.title, config.site.title),
            canonical: None,
            subscribe: None,
        },
        status: status.as_u16(),
        title: marker.title.to_owned(),
        message: marker.message,
    };
    match askama::Template::render(&page) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, marker.title).into_response()
        }
    }
}

/// An answer of one of axum's own extractors (a path that is not valid
/// UTF-8, say): a client error in plain text, which none of our handlers
/// send. It gets the site's error page (or the JSON shape) like ours.
fn is_rejection(response: &Response) -> bool {
    response.status().is_client_error()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"))
}

/// Takes a rejection's text as the message of a marker.
async fn adopt_rejection(response: Response) -> (Response, ErrorMarker) {
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let title = match parts.status {
        StatusCode::NOT_FOUND => "Page not found",
        _ => "Bad request",
    };
    let marker = ErrorMarker {
        title,
        message: String::from_utf8_lossy(&text).trim().to_owned(),
    };
    (
        Response::from_parts(parts, axum::body::Body::empty()),
        marker,
    )
}
