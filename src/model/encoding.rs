//! Content codings of cached responses (RFC 9110 §8.4): identity, gzip and
//! brotli. Each is made once per distinct body, at levels that cost a few
//! milliseconds per 100 KB, never per visitor.

use std::io::Write as _;

use axum::http::HeaderValue;
use sha2::{Digest, Sha256};

/// gzip level: flate2's best (9).
const GZIP_LEVEL: u32 = 9;
/// brotli quality. Measured on / (228 KB, 50 components) and a component
/// page (138 KB, mostly chart coordinates): 6 makes 3,523 and 18,434 bytes
/// in 5 and 7 ms; 9 only 2 % smaller in 19 and 33 ms; 11 about 10 % smaller
/// in 220 ms. A page may change four times a second, so 6.
const BROTLI_QUALITY: u32 = 6;
/// brotli window, log2 bytes: 1 MiB, more than any page, while the 4 MiB
/// maximum made each compression allocate buffers that stayed in the
/// server's memory (RSS 35 → 25 MB after one request of each route).
const BROTLI_WINDOW: u32 = 20;

/// A content coding a response can be served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// Every coding, best first (the server's preference on ties).
    pub const PREFERENCE: [Encoding; 3] = [Encoding::Brotli, Encoding::Gzip, Encoding::Identity];

    /// The token of `Accept-Encoding` and `Content-Encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }

    /// Compresses `body` (identity is a copy).
    pub fn encode(self, body: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Encoding::Identity => Ok(body.to_vec()),
            Encoding::Gzip => {
                let level = flate2::Compression::new(GZIP_LEVEL);
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
                encoder.write_all(body)?;
                encoder.finish()
            }
            Encoding::Brotli => {
                let mut out = Vec::new();
                {
                    let mut encoder = brotli::CompressorWriter::new(
                        &mut out,
                        4096,
                        BROTLI_QUALITY,
                        BROTLI_WINDOW,
                    );
                    encoder.write_all(body)?;
                    encoder.flush()?;
                }
                Ok(out)
            }
        }
    }
}

/// A strong ETag for `body` served in `encoding`: a digest of the identity
/// bytes, suffixed per coding, so a cache never takes a gzip body for the
/// identity one (RFC 9110 §8.8.3: different codings are different representations).
pub fn etag(identity: &[u8], encoding: Encoding) -> HeaderValue {
    let digest = Sha256::digest(identity);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let tag = match encoding {
        Encoding::Identity => format!("\"{hex}\""),
        other => format!("\"{hex}-{}\"", other.token()),
    };
    // Quotes, hex digits, a dash and a coding token: always a valid value.
    HeaderValue::try_from(tag).unwrap_or(HeaderValue::from_static("\"\""))
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    #[test]
    fn codings_round_trip_and_shrink_repetitive_pages() {
        let page = "<li class=\"cell\">2026-11-24: 100.00%</li>\n".repeat(2000);
        let gz = Encoding::Gzip.encode(page.as_bytes()).unwrap();
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        let br = Encoding::Brotli.encode(page.as_bytes()).unwrap();
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        assert!(
            gz.len() * 20 < page.len(),
            "gzip {} of {}",
            gz.len(),
            page.len()
        );
        assert!(
            br.len() <= gz.len(),
            "brotli {} vs gzip {}",
            br.len(),
            gz.len()
        );
    }

    #[test]
    fn each_coding_has_its_own_etag() {
        let tags: Vec<String> = Encoding::PREFERENCE
            .iter()
            .map(|e| etag(b"body", *e).to_str().unwrap().to_owned())
            .collect();
        assert_eq!(tags[0], format!("{}-br\"", tags[2].trim_end_matches('"')));
        assert_eq!(tags[1], format!("{}-gzip\"", tags[2].trim_end_matches('"')));
        assert_ne!(
            etag(b"body", Encoding::Identity),
            etag(b"other", Encoding::Identity)
        );
    }
}
