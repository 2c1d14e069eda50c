//! Rendered public pages cached per snapshot, served with ETag,
//! Cache-Control and 304 answers to `If-None-Match` (SPEC §7).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::error::PageError;

/// A rendered response body and its validator.
#[derive(Debug)]
pub struct Rendered {
    /// The snapshot it was rendered from.
    built_at: DateTime<Utc>,
    content_type: &'static str,
    body: Bytes,
    etag: HeaderValue,
}

impl Rendered {
    fn new(built_at: DateTime<Utc>, content_type: &'static str, body: String) -> Rendered {
        let digest = Sha256::digest(body.as_bytes());
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        let etag = HeaderValue::from_str(&format!("\"{hex}\""))
            .unwrap_or(HeaderValue::from_static("\"\""));
        Rendered {
            built_at,
            content_type,
            body: Bytes::from(body),
            etag,
        }
    }
}

/// Rendered pages by path. Keys are only paths of things that exist, so the
/// map is bounded by the site's size.
#[derive(Debug, Default)]
pub struct PageCache {
    entries: Mutex<HashMap<String, Arc<Rendered>>>,
    max_age: u64,
}

impl PageCache {
    /// A cache whose responses carry `Cache-Control: max-age={max_age}`.
    pub fn new(max_age: std::time::Duration) -> PageCache {
        PageCache {
            entries: Mutex::default(),
            max_age: max_age.as_secs(),
        }
    }

    /// Serves `key` from the cache when it was rendered from the snapshot
    /// built at `built_at`; otherwise renders it with `render` first.
    pub async fn serve<F, Fut>(
        &self,
        key: &str,
        built_at: DateTime<Utc>,
        request: &HeaderMap,
        render: F,
    ) -> Result<Response, PageError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(&'static str, String), PageError>>,
    {
        let hit = self
            .lock()
            .get(key)
            .filter(|r| r.built_at == built_at)
            .cloned();
        let rendered = match hit {
            Some(r) => r,
            None => {
                let (content_type, body) = render().await?;
                let fresh = Arc::new(Rendered::new(built_at, content_type, body));
                self.lock().insert(key.to_owned(), Arc::clone(&fresh));
                fresh
            }
        };
        Ok(self.respond(&rendered, request))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Rendered>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn respond(&self, rendered: &Rendered, request: &HeaderMap) -> Response {
        let cache_control = HeaderValue::from_str(&format!("public, max-age={}", self.max_age))
            .unwrap_or(HeaderValue::from_static("no-cache"));
        let matches = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t.as_bytes() == rendered.etag.as_bytes());
        let headers = [
            (header::ETAG, rendered.etag.clone()),
            (header::CACHE_CONTROL, cache_control),
        ];
        if matches {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let content_type = HeaderValue::from_static(rendered.content_type);
        (
            headers,
            [(header::CONTENT_TYPE, content_type)],
            rendered.body.clone(),
        )
            .into_response()
    }
}
