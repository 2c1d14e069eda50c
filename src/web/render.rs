//! View models → response bodies with their content type: askama for HTML
//! and SVG, serde for JSON. Render failures are [`PageError::Render`].

use askama::Template;
use serde::Serialize;

use super::error::PageError;
use super::present;
use crate::model::Snapshot;

/// A rendered body and its `Content-Type`, as the page cache keeps it.
pub type Body = (&'static str, String);

const HTML: &str = "text/html; charset=utf-8";
const SVG: &str = "image/svg+xml";
const JSON: &str = "application/json";

/// An HTML page.
pub fn html(page: &impl Template) -> Result<Body, PageError> {
    Ok((HTML, page.render()?))
}

/// An SVG image (a badge).
pub fn svg(image: &impl Template) -> Result<Body, PageError> {
    Ok((SVG, image.render()?))
}

/// A JSON document.
pub fn json(value: &impl Serialize) -> Result<Body, PageError> {
    let text = serde_json::to_string(value)
        .map_err(|e| PageError::Render(askama::Error::Custom(Box::new(e))))?;
    Ok((JSON, text))
}

/// The HTML of `/` for a snapshot, into a buffer sized once.
pub fn index(snap: &Snapshot) -> Result<String, askama::Error> {
    let mut html = String::with_capacity(present::index::size_hint(snap));
    present::index::page(snap).render_into(&mut html)?;
    Ok(html)
}

/// `/` as a body.
pub fn index_body(snap: &Snapshot) -> Result<Body, PageError> {
    Ok((HTML, index(snap)?))
}
