//! Errors of the public pages, rendered as a styled HTML page (STYLE §3.6).
//!
//! Handlers return [`PageError`]; its response carries an [`ErrorMarker`]
//! that [`super::error_pages`] turns into the site's error page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;

/// What went wrong while serving a public page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
}

/// Marker left on error responses for the error-page middleware
/// ([`super::error_pages`]), which has the state the page needs.
#[derive(Debug, Clone)]
pub struct ErrorMarker {
    pub title: &'static str,
    pub message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing at this address.".to_owned(),
            ),
            PageError::BadRequest(why) => (StatusCode::BAD_REQUEST, "Bad request", why.clone()),
            PageError::Store(StoreError::Unavailable { fault, .. }) => {
                tracing::warn!(%fault, "page refused: the database is unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Temporarily unavailable",
                    "The status page could not be shown. Please try again shortly.".to_owned(),
                )
            }
            PageError::Store(_) | PageError::Render(_) => {
                // Logged here; the text is not shown to visitors.
                tracing::error!(error = %self, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The status page could not be shown. Please try again shortly.".to_owned(),
                )
            }
        };
        let mut response = (status, message.clone()).into_response();
        response
            .extensions_mut()
            .insert(ErrorMarker { title, message });
        response
    }
}
