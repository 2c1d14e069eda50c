//! Visitor subscriptions (SPEC §8): `POST /subscribe`, the double opt-in
//! link `GET /subscriptions/confirm/{token}` and the one-click
//! unsubscribe `GET|POST /subscriptions/unsubscribe/{token}`. Plain HTML
//! forms, no JavaScript. All answer 404 unless `[subscriptions] enabled`.
//!
//! `POST /subscribe` says the same whether the address is new, pending or
//! already confirmed; only a malformed address or an unknown component is
//! refused (422, naming the field), and a filled-in honeypot is thanked
//! and ignored. A client gets [`SIGN_UPS_PER_HOUR`] sign-ups an hour (429
//! after), counted in the database so every server shares the count.

mod form;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;

use super::client::client_of;
use super::error::PageError;
use super::present::layout;
use super::state::AppState;
use super::views::NoticePage;
use crate::outbox::payload;
use crate::store::{StoreError, generate_token};

/// The most a subscribe form's body may hold.
const MAX_FORM: usize = 16 * 1024;

/// Sign-ups one client address may make in an hour (SPEC §8).
pub const SIGN_UPS_PER_HOUR: u32 = 10;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/subscribe", post(subscribe))
        .route("/subscriptions/confirm/{token}", get(confirm))
        .route(
            "/subscriptions/unsubscribe/{token}",
            get(unsubscribe_page).post(unsubscribe),
        )
}

/// A notice page with `status`.
fn notice(
    state: &AppState,
    status: StatusCode,
    title: &str,
    paragraphs: &[&str],
    action: Option<String>,
) -> Result<Response, PageError> {
    let config = &state.config;
    let page = NoticePage {
        layout: layout(
            config,
            format!("{title} · {}", config.site.title),
            "/subscribe",
        ),
        title: title.to_owned(),
        paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
        action,
        button: "Unsubscribe".to_owned(),
    };
    let html = askama::Template::render(&page)?;
    Ok((status, Html(html)).into_response())
}

fn enabled(state: &AppState) -> Result<(), PageError> {
    if state.config.notify.subscriptions {
        Ok(())
    } else {
        Err(PageError::NotFound)
    }
}

const SENT: &str = "Check your inbox";
const SENT_TEXT: &str = "If that address can receive mail, a confirmation link is on its way. \
                         Follow it within 48 hours to start getting updates.";

#[tracing::instrument(skip_all)]
async fn subscribe(State(state): State<AppState>, request: Request) -> Result<Response, PageError> {
    enabled(&state)?;
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM).await else {
        let text = "The form was too large.";
        return notice(
            &state,
            StatusCode::PAYLOAD_TOO_LARGE,
            "That did not work",
            &[text],
            None,
        );
    };
    let config = &state.config;
    let signup = match form::parse(&body, config) {
        Ok(signup) => signup,
        Err(why) => {
            let text = format!("{why}. Go back and try again.");
            return notice(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "That did not work",
                &[&text],
                None,
            );
        }
    };
    if signup.bot {
        return notice(&state, StatusCode::OK, SENT, &[SENT_TEXT], None);
    }
    let client = client_of(&parts, &config.server.trusted_proxies);
    let now = Utc::now();
    if !state
        .store
        .allow_sign_up(client, SIGN_UPS_PER_HOUR, now)
        .await?
    {
        let text = "This address has made too many sign-ups in the last hour. Try again later.";
        let mut page = notice(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many sign-ups",
            &[text],
            None,
        )?;
        page.headers_mut()
            .insert("retry-after", axum::http::HeaderValue::from_static("3600"));
        return Ok(page);
    }
    let token = generate_token();
    let link = format!("{}/subscriptions/confirm/{token}", state.base_url);
    let mail = payload::confirmation(&config.site.title, &link, now);
    let mail = serde_json::to_string(&mail).unwrap_or_default();
    state
        .store
        .sign_up(&signup.address, &signup.components, &token, |_| mail, now)
        .await?;
    notice(&state, StatusCode::OK, SENT, &[SENT_TEXT], None)
}

#[tracing::instrument(skip_all)]
async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    enabled(&state)?;
    match state.store.confirm_subscriber(&token, Utc::now()).await {
        Ok(_) => notice(
            &state,
            StatusCode::OK,
            "Subscription confirmed",
            &[
                "You will get an e-mail when an incident or maintenance concerns what you chose. \
               Every mail has a link to unsubscribe.",
            ],
            None,
        ),
        Err(StoreError::NotFound) => notice(
            &state,
            StatusCode::NOT_FOUND,
            "This link does not work",
            &[
                "It was used already, or it is older than 48 hours. Subscribe again from the status page.",
            ],
            None,
        ),
        Err(e) => Err(e.into()),
    }
}

#[tracing::instrument(skip_all)]
async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    enabled(&state)?;
    match state.store.check_unsubscribe_token(&token).await {
        Ok(_) => notice(
            &state,
            StatusCode::OK,
            "Unsubscribe?",
            &["You will get no more mail about this status page."],
            Some(format!("/subscriptions/unsubscribe/{token}")),
        ),
        Err(StoreError::NotFound) => gone(&state),
        Err(e) => Err(e.into()),
    }
}

/// The one-click POST (RFC 8058) and the page's button.
#[tracing::instrument(skip_all)]
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    enabled(&state)?;
    let id = match state.store.check_unsubscribe_token(&token).await {
        Ok(id) => id,
        Err(StoreError::NotFound) => return gone(&state),
        Err(e) => return Err(e.into()),
    };
    match state.store.delete_subscriber(&id).await {
        Ok(()) | Err(StoreError::NotFound) => notice(
            &state,
            StatusCode::OK,
            "You are unsubscribed",
            &["No more mail will be sent to you. You can subscribe again from the status page."],
            None,
        ),
        Err(e) => Err(e.into()),
    }
}

fn gone(state: &AppState) -> Result<Response, PageError> {
    notice(
        state,
        StatusCode::NOT_FOUND,
        "This link does not work",
        &["Check that you copied the whole link from the mail."],
        None,
    )
}
