//! `POST /components/{id}/report` (SPEC §10): a visitor reports a problem.
//! Plain HTML form, no JavaScript; routed only when `[reports] enabled`.
//!
//! Answers: a thank-you page (200); the same page, storing nothing, when
//! the honeypot is filled in; 429 (with `Retry-After`) past the client's
//! [`PER_CLIENT`](crate::status::reports::PER_CLIENT) reports per component
//! and hour; 404 for an unknown component, 400 for a body that is not UTF-8
//! form data, 413 past [`MAX_FORM`], 422 for a note over 500 characters.
//! The client is the peer, or with `[server] trusted_proxies` the right-most
//! untrusted `X-Forwarded-For` hop (SPEC §7).

mod form;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use chrono::Utc;

use super::client::client_of;
use super::error::PageError;
use super::present::reports::{Answer, page};
use super::state::AppState;
use crate::config::Config;
use crate::domain::ComponentId;
use crate::store::Filed;

/// The most a report form's body may hold (a 500-character note fully
/// percent-encoded is under 18 KiB).
const MAX_FORM: usize = 20 * 1024;

/// Routes of this module: none when `[reports] enabled = false`.
pub fn router(config: &Config) -> Router<AppState> {
    if !config.reports.enabled {
        return Router::new();
    }
    Router::new().route("/components/{id}/report", post(report))
}

#[tracing::instrument(skip(state, request))]
async fn report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    let config = &state.config;
    let component = ComponentId::parse(&id)
        .ok()
        .and_then(|id| config.component(&id))
        .ok_or(PageError::NotFound)?;
    let (parts, body) = request.into_parts();
    let answer = |a: Answer| respond(config, &component.id, &component.name, a);
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM).await else {
        return answer(Answer::TooLarge);
    };
    let form = match form::parse(&body) {
        Ok(form) => form,
        Err(form::FormError::Malformed) => {
            return Err(PageError::BadRequest(
                form::FormError::Malformed.to_string(),
            ));
        }
        Err(e) => return answer(Answer::Invalid(e.to_string())),
    };
    if form.bot {
        return answer(Answer::Thanks);
    }
    let client = client_of(&parts, &config.server.trusted_proxies);
    let filed = state
        .store
        .file_report(&id, client, form.note.as_str(), &config.reports, Utc::now())
        .await?;
    match filed {
        Filed::Limited => answer(Answer::Limited),
        Filed::Stored { spike } => {
            if let Some(spike) = spike {
                tracing::info!(component = %id, count = spike.count, "reports.spike queued");
            }
            answer(Answer::Thanks)
        }
    }
}

fn respond(config: &Config, id: &str, name: &str, answer: Answer) -> Result<Response, PageError> {
    let status = answer.status();
    let html = askama::Template::render(&page(config, id, name, &answer))?;
    let mut response = (status, Html(html)).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
    }
    Ok(response)
}
