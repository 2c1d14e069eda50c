//! `[[checks]]` entries → [`CheckSpec`]: timing and thresholds, `label` and
//! `public_target`, the kind,
//! and the `http` and `tcp` keys (the other kinds' keys are in [`super::kinds`]).
//! Called by [`super::validate`] once component ids are known.

use std::collections::HashSet;
use std::ops::Range;
use std::time::Duration;

use humantime::format_duration as show;

use super::Problems;
use super::file::{Field, RawCheck, StatusEntry};
use super::kinds;
use super::validate::Scope;
use crate::domain::{
    CheckId, CheckKind, CheckSpec, ComponentId, HttpCheck, StatusMatcher, TcpCheck,
};

const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// Longest `label`, in characters.
const MAX_LABEL: usize = 100;

pub(super) fn check(
    raw: &RawCheck,
    components: &HashSet<&str>,
    p: &mut Problems,
) -> Option<CheckSpec> {
    let mut s = Scope {
        place: &raw.place,
        p,
    };
    let id = s.required(&raw.id, "id", &raw.span);
    let id = id.and_then(|f| CheckId::parse(&f.value).map_err(|e| s.err(&f.span, e)).ok());
    let component = s
        .required(&raw.component, "component", &raw.span)
        .and_then(|f| {
            if !components.contains(f.value.as_str()) {
                let what = "is not defined in [[components]]";
                s.err(&f.span, format_args!("component {:?} {what}", f.value));
            }
            ComponentId::parse(&f.value).ok()
        });
    let interval = match &raw.interval {
        None => Some(Duration::from_secs(60)),
        Some(f) => s.duration(f).inspect(|&d| {
            if d < MIN_INTERVAL {
                s.err(
                    &f.span,
                    format_args!("`interval` must be at least 100ms, not {}", show(d)),
                );
            }
        }),
    };
    let kind = s
        .required(&raw.kind, "kind", &raw.span)
        .and_then(|f| kind(raw, f, interval, &mut s));
    // Push checks probe nothing: `kinds::push` rejects these two keys, and
    // the default timeout only bounds the worker's read of the last ping.
    let push = raw.kind.as_ref().is_some_and(|f| f.value == "push");
    let timeout = match raw.timeout.as_ref().filter(|_| !push) {
        None => interval.map(|i| (i / 2).min(Duration::from_secs(10))),
        Some(f) => s.duration(f).inspect(|&t| {
            if t.is_zero() {
                s.err(&f.span, "`timeout` must be more than 0");
            } else if let Some(i) = interval.filter(|&i| t >= i) {
                let (t, i) = (show(t), show(i));
                s.err(
                    &f.span,
                    format_args!("`timeout` ({t}) must be shorter than `interval` ({i})"),
                );
            }
        }),
    };
    let degraded_over = match raw.degraded_over.as_ref().filter(|_| !push) {
        None => Some(None),
        Some(f) => s.duration(f).map(|d| {
            if let Some(t) = timeout.filter(|&t| d >= t) {
                let (d, t) = (show(d), show(t));
                s.err(
                    &f.span,
                    format_args!("`degraded_over` ({d}) must be shorter than `timeout` ({t})"),
                );
            }
            Some(d)
        }),
    };
    let label = label(raw, &mut s);
    let public_target = raw.public_target.as_ref().is_some_and(|f| {
        if push {
            let why = "its only target is its secret token";
            s.err(
                &f.key,
                format_args!("`public_target` does not apply to push checks: {why}"),
            );
        }
        f.value
    });
    let id = id?;
    Some(CheckSpec {
        label: label?.unwrap_or_else(|| id.to_string()),
        public_target,
        id,
        component: component?,
        kind: kind?,
        interval: interval?,
        timeout: timeout?,
        degraded_over: degraded_over?,
        failure_threshold: s.count(raw.failure_threshold.as_ref(), 3, (1, u32::MAX)),
        recovery_threshold: s.count(raw.recovery_threshold.as_ref(), 2, (1, u32::MAX)),
    })
}

/// `label`: what visitors read instead of the id; `Some(None)` = absent (the id is used).
fn label(raw: &RawCheck, s: &mut Scope) -> Option<Option<String>> {
    let Some(f) = &raw.label else {
        return Some(None);
    };
    let label = f.value.trim();
    let problem = if label.is_empty() {
        Some("must not be empty".to_owned())
    } else if label.chars().count() > MAX_LABEL {
        Some(format!("must be at most {MAX_LABEL} characters long"))
    } else if label.chars().any(char::is_control) {
        Some("must be one line without control characters".to_owned())
    } else {
        None
    };
    match problem {
        Some(problem) => {
            s.err(&f.span, format_args!("`label` {problem}"));
            None
        }
        None => Some(Some(label.to_owned())),
    }
}

/// The kind-specific part of a check; keys of another kind are problems.
fn kind(
    raw: &RawCheck,
    kind: &Field<String>,
    interval: Option<Duration>,
    s: &mut Scope,
) -> Option<CheckKind> {
    let name = kind.value.as_str();
    if kinds::KINDS.contains(&name) {
        kinds::foreign_keys(raw, name, s);
    }
    match name {
        "http" => http(raw, s).map(CheckKind::Http),
        "tcp" => {
            let address = s.required(&raw.address, "address", &raw.span)?;
            let tcp = TcpCheck {
                address: address.value.clone(),
            };
            s.host_port(address).then_some(CheckKind::Tcp(tcp))
        }
        "dns" => kinds::dns(raw, s).map(CheckKind::Dns),
        "tls" => kinds::tls(raw, s).map(CheckKind::Tls),
        "push" => kinds::push(raw, interval, s).map(CheckKind::Push),
        k => {
            let expected = kinds::KINDS.join(", ");
            s.err(
                &kind.span,
                format_args!("unknown check kind {k:?} (expected one of {expected})"),
            );
            None
        }
    }
}

fn http(raw: &RawCheck, s: &mut Scope) -> Option<HttpCheck> {
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
