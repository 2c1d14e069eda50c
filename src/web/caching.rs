//! Public responses served from the model's response store (rendered and
//! compressed once per change) in the coding the client prefers, with
//! `Vary: Accept-Encoding`, an ETag per coding, Cache-Control and 304
//! answers to `If-None-Match` (SPEC §7).
//!
//! A 304 is only ever answered against the current snapshot's response, so
//! a client never keeps content older than what the server has.

use std::convert::Infallible;
use std::future::Future;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::error::PageError;
use crate::model::{Encoded, Encoding, Responses};

/// What a request asks of a cached response: the coding it prefers and the
/// validators it holds (`If-None-Match`), read from its headers without
/// copying them (axum's `HeaderMap` extractor clones the whole map).
#[derive(Debug)]
pub struct Asked {
    encoding: Encoding,
    if_none_match: Vec<HeaderValue>,
}

impl Asked {
    /// What `headers` ask for.
    fn of(headers: &HeaderMap) -> Asked {
        Asked {
            encoding: preferred(headers),
            if_none_match: headers
                .get_all(header::IF_NONE_MATCH)
                .iter()
                .cloned()
                .collect(),
        }
    }

    /// Whether `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2).
    fn holds(&self, etag: &HeaderValue) -> bool {
        self.if_none_match
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t.as_bytes() == etag.as_bytes())
    }
}

impl<S: Sync> FromRequestParts<S> for Asked {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Asked, Infallible> {
        Ok(Asked::of(&parts.headers))
    }
}

/// Rendered pages by path, and how long clients may keep them.
#[derive(Debug)]
pub struct PageCache {
    responses: Responses,
    /// `public, max-age=N`, made once rather than per response.
    cache_control: HeaderValue,
}

impl PageCache {
    /// A cache whose responses carry `Cache-Control: max-age={max_age}`.
    pub fn new(max_age: std::time::Duration) -> PageCache {
        let value = format!("public, max-age={}", max_age.as_secs());
        PageCache {
            responses: Responses::default(),
            cache_control: HeaderValue::from_str(&value)
                .unwrap_or(HeaderValue::from_static("no-cache")),
        }
    }

    /// Serves `key` as rendered from the snapshot built at `built_at`,
    /// rendering it with `render` first when no visitor has yet.
    pub async fn serve<F, Fut>(
        &self,
        key: &str,
        built_at: DateTime<Utc>,
        asked: &Asked,
        render: F,
    ) -> Result<Response, PageError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(&'static str, String), PageError>>,
    {
        let rendered = self.responses.get(key, built_at, render).await?;
        let encoded = rendered.encoded(asked.encoding).await;
        Ok(self.respond(rendered.content_type, encoded, asked))
    }

    fn respond(&self, content_type: &'static str, encoded: &Encoded, asked: &Asked) -> Response {
        // Room for these and the headers the outer layers add, so the map
        // is allocated once.
        let mut headers = HeaderMap::with_capacity(16);
        headers.insert(header::ETAG, encoded.etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if asked.holds(&encoded.etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(header::CONTENT_LENGTH, encoded.length.clone());
        if encoded.encoding != Encoding::Identity {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(encoded.encoding.token()),
            );
        }
        (headers, encoded.body.clone()).into_response()
    }
}

/// The coding to answer in: the highest `q` of `Accept-Encoding` among
/// brotli, gzip and identity, ties going to the smaller body (br > gzip >
/// identity). No header means identity; `*` stands for codings not named;
/// identity, when not named, is acceptable but least preferred (RFC 9110
/// §12.5.3), and it is what is served when nothing else is acceptable.
pub fn preferred(request: &HeaderMap) -> Encoding {
    let Some(accept) = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    let mut named: Vec<(String, f32)> = Vec::new();
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if coding.is_empty() {
            continue;
        }
        let q = parts
            .filter_map(|p| {
                let p = p.trim();
                p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
            })
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        named.push((coding, q.clamp(0.0, 1.0)));
    }
    let star = named.iter().find(|(c, _)| c == "*").map(|(_, q)| *q);
    let q_of = |encoding: Encoding| {
        let aliases: &[&str] = match encoding {
            Encoding::Identity => &["identity"],
            Encoding::Gzip => &["gzip", "x-gzip"],
            Encoding::Brotli => &["br"],
        };
        named
            .iter()
            .find(|(c, _)| aliases.contains(&c.as_str()))
            .map(|(_, q)| *q)
            .or(star)
            .unwrap_or(if encoding == Encoding::Identity {
                f32::MIN_POSITIVE
            } else {
                0.0
            })
    };
    let mut best = (Encoding::Identity, 0.0_f32);
    for encoding in Encoding::PREFERENCE {
        let q = q_of(encoding);
        if q > best.1 {
            best = (encoding, q);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(accept: &str) -> Encoding {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        preferred(&headers)
    }

    #[test]
    fn accept_encoding_is_negotiated_by_q_then_size() {
        assert_eq!(preferred(&HeaderMap::new()), Encoding::Identity);
        let cases = [
            ("gzip, deflate, br", Encoding::Brotli),
            ("gzip", Encoding::Gzip),
            ("deflate", Encoding::Identity),
            ("br;q=0.5, gzip", Encoding::Gzip),
            ("br;q=1.0, gzip;q=0.8, *;q=0.1", Encoding::Brotli),
            ("gzip;q=0, br;q=0", Encoding::Identity),
            ("*", Encoding::Brotli),
            ("*;q=0.5, br;q=0", Encoding::Gzip),
            ("identity", Encoding::Identity),
            ("x-gzip", Encoding::Gzip),
            ("GZIP; Q=0.9", Encoding::Gzip),
            ("br;q=oops", Encoding::Brotli),
            ("identity;q=0, gzip;q=0.1", Encoding::Gzip),
            ("", Encoding::Identity),
        ];
        for (accept, want) in cases {
            assert_eq!(with(accept), want, "{accept:?}");
        }
    }
}
