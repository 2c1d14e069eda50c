//! Every public response rendered once per snapshot and compressed once per
//! distinct body, shared by all visitors.
//!
//! A key (a path) holds one slot per snapshot version. The first request
//! after a change renders it, while concurrent requests for the same key
//! wait for that one render (single flight) instead of rendering too. A body
//! equal to the previous version's keeps that version's compressed forms,
//! so a rebuild that changed nothing on a page costs one render, no
//! compression. Each coding is compressed on first demand, off the async
//! workers, and then served from memory. Failed renders (a 404, a store
//! error) are not kept: the next request tries again.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::http::HeaderValue;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

use super::encoding::{self, Encoding};

/// One coding of a body, with its validator and length as the header
/// values every answer of it carries (made once, not per visitor).
#[derive(Debug)]
pub struct Encoded {
    pub encoding: Encoding,
    pub body: Bytes,
    pub etag: HeaderValue,
    pub length: HeaderValue,
}

impl Encoded {
    fn new(encoding: Encoding, identity: &[u8], body: Bytes) -> Encoded {
        Encoded {
            encoding,
            etag: encoding::etag(identity, encoding),
            length: HeaderValue::from(body.len()),
            body,
        }
    }
}

/// A rendered response: identity bytes and, on demand, compressed ones.
#[derive(Debug)]
pub struct Rendered {
    pub content_type: &'static str,
    identity: Encoded,
    gzip: OnceCell<Option<Encoded>>,
    brotli: OnceCell<Option<Encoded>>,
}

impl Rendered {
    /// Wraps a freshly rendered body.
    pub fn new(content_type: &'static str, body: String) -> Rendered {
        let body = Bytes::from(body);
        Rendered {
            content_type,
            identity: Encoded::new(Encoding::Identity, &body, body.clone()),
            gzip: OnceCell::new(),
            brotli: OnceCell::new(),
        }
    }

    /// The uncompressed body.
    pub fn identity(&self) -> &Encoded {
        &self.identity
    }

    /// The body in `wanted`, compressing it on first demand; the identity
    /// body when compressing fails or would not make it smaller.
    pub async fn encoded(&self, wanted: Encoding) -> &Encoded {
        let cell = match wanted {
            Encoding::Identity => return &self.identity,
            Encoding::Gzip => &self.gzip,
            Encoding::Brotli => &self.brotli,
        };
        let done = cell
            .get_or_init(|| async {
                let body = self.identity.body.clone();
                let compressed = tokio::task::spawn_blocking(move || wanted.encode(&body)).await;
                let identity = &self.identity.body;
                match compressed {
                    Ok(Ok(bytes)) if bytes.len() < identity.len() => {
                        Some(Encoded::new(wanted, identity, Bytes::from(bytes)))
                    }
                    Ok(Ok(_)) => None,
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, coding = wanted.token(), "compression failed");
                        None
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, coding = wanted.token(), "compression task failed");
                        None
                    }
                }
            })
            .await;
        done.as_ref().unwrap_or(&self.identity)
    }
}

/// One key at one snapshot version.
#[derive(Debug)]
struct Slot {
    version: DateTime<Utc>,
    rendered: OnceCell<Arc<Rendered>>,
    /// The previous version's response, reused when the body is the same;
    /// taken (and so released) by the render.
    previous: Mutex<Option<Arc<Rendered>>>,
}

impl Slot {
    fn take_previous(&self) -> Option<Arc<Rendered>> {
        self.previous
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// What the next version may reuse: this one's, else what this one could have.
    fn latest(&self) -> Option<Arc<Rendered>> {
        self.rendered.get().cloned().or_else(|| {
            self.previous
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
        })
    }
}

/// The response store. Keys are paths of things that exist (a failed
/// render leaves no slot), so it is bounded by the site's size.
#[derive(Debug, Default)]
pub struct Responses {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

impl Responses {
    /// The response for `key` as of snapshot `version`, rendering it with
    /// `render` unless this version's is stored or being rendered.
    pub async fn get<E, F, Fut>(
        &self,
        key: &str,
        version: DateTime<Utc>,
        render: F,
    ) -> Result<Arc<Rendered>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(&'static str, String), E>>,
    {
        let slot = self.slot(key, version);
        let Some(slot) = slot else {
            // A newer version is stored: this request's snapshot is
            // already outdated. Serve the newer one if it is ready.
            if let Some(newer) = self.ready(key) {
                return Ok(newer);
            }
            let (content_type, body) = render().await?;
            return Ok(Arc::new(Rendered::new(content_type, body)));
        };
        let outcome = slot
            .rendered
            .get_or_try_init(|| async {
                let (content_type, body) = render().await?;
                Ok(match slot.take_previous() {
                    Some(previous)
                        if previous.identity.body == body.as_bytes()
                            && previous.content_type == content_type =>
                    {
                        previous
                    }
                    _ => Arc::new(Rendered::new(content_type, body)),
                })
            })
            .await;
        match outcome {
            Ok(rendered) => Ok(Arc::clone(rendered)),
            Err(e) => {
                self.forget(key, &slot);
                Err(e)
            }
        }
    }

    /// This version's slot for `key`, made when missing or older; `None`
    /// when the stored slot is newer than `version`.
    fn slot(&self, key: &str, version: DateTime<Utc>) -> Option<Arc<Slot>> {
        let mut slots = self.lock();
        match slots.get(key) {
            Some(slot) if slot.version == version => return Some(Arc::clone(slot)),
            Some(slot) if slot.version > version => return None,
            _ => {}
        }
        let previous = slots.get(key).and_then(|old| old.latest());
        let slot = Arc::new(Slot {
            version,
            rendered: OnceCell::new(),
            previous: Mutex::new(previous),
        });
        slots.insert(key.to_owned(), Arc::clone(&slot));
        Some(slot)
    }

    fn ready(&self, key: &str) -> Option<Arc<Rendered>> {
        self.lock().get(key)?.rendered.get().cloned()
    }

    /// Drops `slot` unless a newer one replaced it meanwhile.
    fn forget(&self, key: &str, slot: &Arc<Slot>) {
        let mut slots = self.lock();
        if slots.get(key).is_some_and(|s| Arc::ptr_eq(s, slot)) {
            slots.remove(key);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Slot>>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
#[path = "responses_tests.rs"]
mod tests;
