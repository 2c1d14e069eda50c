//! The stylesheet and icons, built into the binary (SPEC §7): a copied
//! `beacon` file serves a complete page anywhere, and nothing is read from
//! the filesystem at run time.
//!
//! Each asset is served at `/static/{stem}.{hash}.{ext}`, the hash taken
//! from its bytes, with `Cache-Control: public, max-age=31536000, immutable`:
//! browsers and CDNs keep it for a year, and a new build with other bytes
//! has another URL. Any other `/static/...` path is the styled 404 page
//! (an old hash included: pages always link the current one).

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use super::error::PageError;
use super::state::AppState;

/// `Cache-Control` of every asset: its URL changes whenever its bytes do.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One file of `static/`, as built into the binary.
struct Asset {
    stem: &'static str,
    ext: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const STYLESHEET: Asset = Asset {
    stem: "style",
    ext: "css",
    content_type: "text/css; charset=utf-8",
    bytes: include_bytes!("../../static/style.css"),
};

const ICON: Asset = Asset {
    stem: "favicon",
    ext: "svg",
    content_type: "image/svg+xml",
    bytes: include_bytes!("../../static/favicon.svg"),
};

/// Every asset with its content-hashed path, hashed once per process.
static SERVED: LazyLock<[(String, Asset); 2]> =
    LazyLock::new(|| [STYLESHEET, ICON].map(|asset| (hashed_path(&asset), asset)));

/// `/static/{stem}.{first 16 hex digits of the SHA-256 of its bytes}.{ext}`.
fn hashed_path(asset: &Asset) -> String {
    let digest = Sha256::digest(asset.bytes);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("/static/{}.{hash}.{}", asset.stem, asset.ext)
}

/// The stylesheet's URL, for `<link rel="stylesheet">`.
pub fn stylesheet_url() -> &'static str {
    &SERVED[0].0
}

/// The icon's URL, for `<link rel="icon">`.
pub fn icon_url() -> &'static str {
    &SERVED[1].0
}

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/static/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Result<Response, PageError> {
    let (_, asset) = SERVED
        .iter()
        .find(|(path, _)| path.strip_prefix("/static/") == Some(file.as_str()))
        .ok_or(PageError::NotFound)?;
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
    ];
    Ok((headers, asset.bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn css(bytes: &'static [u8]) -> Asset {
        Asset {
            bytes,
            ..STYLESHEET
        }
    }

    #[test]
    fn the_hashed_url_changes_with_the_content_and_only_with_it() {
        let (a, b) = (hashed_path(&css(b"body{}")), hashed_path(&css(b"body{ }")));
        assert_ne!(a, b);
        assert_eq!(a, hashed_path(&css(b"body{}")));
        assert!(
            a.starts_with("/static/style.") && a.ends_with(".css"),
            "{a}"
        );
        assert_eq!(a.len(), "/static/style.".len() + 16 + ".css".len(), "{a}");
    }

    #[test]
    fn pages_link_the_built_in_bytes() {
        assert_eq!(stylesheet_url(), hashed_path(&STYLESHEET));
        assert!(icon_url().starts_with("/static/favicon.") && icon_url().ends_with(".svg"));
        assert!(std::str::from_utf8(STYLESHEET.bytes).is_ok_and(|css| css.contains("body")));
    }
}
