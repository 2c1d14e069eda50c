//! `kind = "http"` (SPEC §2): `url`, `method`, `headers`, `expect_status`,
//! `expect_body`.

use std::ops::Range;

use crate::config::file::{RawCheck, StatusEntry};
use crate::config::scope::Scope;
use crate::domain::{HttpCheck, StatusMatcher};

const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// The `http` keys of `raw`; `None` after reporting what is wrong.
pub(super) fn http(raw: &RawCheck, s: &mut Scope) -> Option<HttpCheck> {
    let url = s
        .required(&raw.url, "url", &raw.span)
        .filter(|f| s.http_url(f));
    let method = raw.method.as_ref().map_or(Some("GET"), |f| {
        let ok = METHODS.contains(&f.value.as_str());
        if !ok {
            let allowed = METHODS.join(", ");
            s.err(
                &f.span,
                format_args!("invalid HTTP method {:?} (use one of {allowed})", f.value),
            );
        }
        ok.then_some(f.value.as_str())
    });
    let headers = raw
        .headers
        .as_ref()
        .map(|f| f.value.clone())
        .unwrap_or_default();
    let mut headers_ok = true;
    for (name, value) in &headers {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        let name_ok = !name.get_ref().is_empty() && name.get_ref().bytes().all(token);
        if !name_ok {
            s.err(
                &name.span(),
                format_args!("invalid header name {:?}", name.get_ref()),
            );
        } else if value.chars().any(|c| c.is_control() && c != '\t') {
            s.err(
                &name.span(),
                format_args!("header `{name}` has a control character"),
            );
        }
        headers_ok &= name_ok && !value.chars().any(|c| c.is_control() && c != '\t');
    }
    let expect_status = match &raw.expect_status {
        None => Some(vec![StatusMatcher::Class(2)]),
        Some(f) if f.value.is_empty() => {
            s.err(&f.span, "`expect_status` must not be empty");
            None
        }
        Some(f) => f
            .value
            .iter()
            .map(|e| status(e.get_ref(), &e.span(), s))
            .collect(),
    };
    let headers = headers.into_iter().map(|(n, v)| (n.into_inner(), v));
    Some(HttpCheck {
        url: url?.value.clone(),
        method: method?.to_owned(),
        headers: headers_ok.then(|| headers.collect())?,
        expect_status: expect_status?,
        expect_body: raw.expect_body.as_ref().map(|f| f.value.clone()),
    })
}

/// One `expect_status` entry: a code 100–599 or a class `1xx`–`5xx`.
fn status(entry: &StatusEntry, span: &Range<usize>, s: &mut Scope) -> Option<StatusMatcher> {
    match entry {
        StatusEntry::WrongType => None,
        StatusEntry::Code(c @ 100..=599) => u16::try_from(*c).ok().map(StatusMatcher::Code),
        StatusEntry::Code(c) => {
            s.err(
                span,
                format_args!("`expect_status` code {c} is not between 100 and 599"),
            );
            None
        }
        StatusEntry::Class(class) => match class.as_bytes() {
            [d @ b'1'..=b'5', x, y]
                if x.eq_ignore_ascii_case(&b'x') && y.eq_ignore_ascii_case(&b'x') =>
            {
                Some(StatusMatcher::Class(u16::from(d - b'0')))
            }
            _ => {
                let what = "is not a status class \"1xx\" to \"5xx\"";
                s.err(span, format_args!("`expect_status` entry {class:?} {what}"));
                None
            }
        },
    }
}
