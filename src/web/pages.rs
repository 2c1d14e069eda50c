//! Handlers of the status pages (SPEC §4): `/` and `/components/{id}`.

use super::caching::Asked;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use super::error::PageError;
use super::state::AppState;
use super::{present, render};
use crate::model;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/components/{id}", get(component))
}

#[tracing::instrument(level = "debug", skip_all)]
async fn index(State(state): State<AppState>, asked: Asked) -> Result<Response, PageError> {
    state
        .serve(&asked, "/", |snap| async move { render::index_body(&snap) })
        .await
}

#[tracing::instrument(level = "debug", skip(state, asked))]
async fn component(
    State(state): State<AppState>,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, PageError> {
    let key = format!("/components/{id}");
    let (store, path) = (&state.store, key.as_str());
    state
        .serve(&asked, path, |snap| async move {
            let model = snap.component(&id).ok_or(PageError::NotFound)?;
            let series = model::charts::load(store, model, snap.built_at).await?;
            render::html(&present::components::page(&snap, model, &series, path))
        })
        .await
}
