//! `[[checks]]` entries → [`CheckSpec`]: timing and thresholds, `label` and
//! `public_target`, and the rule that a check carries only keys of its own
//! kind. Each kind's own keys are in the file named after it, as in
//! `probe/`. Called by [`super::validate`] once component ids are known.

mod dns;
mod http;
mod push;
mod tcp;
mod tls;

use std::collections::HashSet;
use std::ops::Range;
use std::time::Duration;

use humantime::format_duration as show;

use super::Problems;
use super::scope::Scope;
use super::{file::RawCheck, section::Field};
use crate::domain::{CheckId, CheckKind, CheckSpec, ComponentId};

const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// Longest `label`, in characters.
const MAX_LABEL: usize = 100;

/// Every `[[checks]]` entry that is valid, in file order; push tokens
/// used twice are reported too.
pub(super) fn checks(
    raw: &[RawCheck],
    components: &HashSet<&str>,
    p: &mut Problems,
) -> Vec<CheckSpec> {
    push::duplicate_tokens(raw, p);
    raw.iter().filter_map(|c| check(c, components, p)).collect()
}

fn check(raw: &RawCheck, components: &HashSet<&str>, p: &mut Problems) -> Option<CheckSpec> {
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
    // Push checks probe nothing: `push::push` rejects these two keys, and
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
    if KINDS.contains(&name) {
        foreign_keys(raw, name, s);
    }
    match name {
        "http" => http::http(raw, s).map(CheckKind::Http),
        "tcp" => tcp::tcp(raw, s).map(CheckKind::Tcp),
        "dns" => dns::dns(raw, s).map(CheckKind::Dns),
        "tls" => tls::tls(raw, s).map(CheckKind::Tls),
        "push" => push::push(raw, interval, s).map(CheckKind::Push),
        k => {
            let expected = KINDS.join(", ");
            s.err(
                &kind.span,
                format_args!("unknown check kind {k:?} (expected one of {expected})"),
            );
            None
        }
    }
}

/// Every check kind, as written in the config file.
const KINDS: [&str; 5] = ["http", "tcp", "dns", "tls", "push"];

/// A kind-specific key: its name, the kinds it belongs to, its span if present.
type OwnedKey = (&'static str, &'static [&'static str], Option<Range<usize>>);

/// Which kinds each kind-specific key belongs to, with the key's span if present.
fn owned_keys(raw: &RawCheck) -> [OwnedKey; 14] {
    fn key<T>(f: &Option<Field<T>>) -> Option<Range<usize>> {
        f.as_ref().map(|f| f.key.clone())
    }
    const HTTP: &[&str] = &["http"];
    #[rustfmt::skip]
    let keys = [
        ("url", HTTP, key(&raw.url)),
        ("method", HTTP, key(&raw.method)),
        ("headers", HTTP, key(&raw.headers)),
        ("expect_status", HTTP, key(&raw.expect_status)),
        ("expect_body", HTTP, key(&raw.expect_body)),
        ("address", &["tcp", "tls"][..], key(&raw.address)),
        ("name", &["dns"][..], key(&raw.name)),
        ("record", &["dns"][..], key(&raw.record)),
        ("expect", &["dns"][..], key(&raw.expect)),
        ("resolver", &["dns"][..], key(&raw.resolver)),
        ("server_name", &["tls"][..], key(&raw.server_name)),
        ("min_days_left", &["tls"][..], key(&raw.min_days_left)),
        ("token", &["push"][..], key(&raw.token)),
        ("grace", &["push"][..], key(&raw.grace)),
    ];
    keys
}

/// Reports every key that belongs to other kinds than `kind`.
fn foreign_keys(raw: &RawCheck, kind: &str, s: &mut Scope) {
    for (name, owners, span) in owned_keys(raw) {
        if let Some(span) = span.filter(|_| !owners.contains(&kind)) {
            let owners = owners.join(" or ");
            s.err(
                &span,
                format_args!("`{name}` belongs to {owners} checks, not {kind}"),
            );
        }
    }
}

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod tests;
