//! The keys of the `dns`, `tls` and `push` check kinds (SPEC §2), and the
//! rule that a check carries only keys of its own kind.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::ops::Range;
use std::time::Duration;

use super::Problems;
use super::file::{Field, RawCheck};
use super::validate::Scope;
use crate::domain::{DnsCheck, DnsRecord, PushCheck, TlsCheck};

/// Every check kind, as written in the config file.
pub(super) const KINDS: [&str; 5] = ["http", "tcp", "dns", "tls", "push"];

/// Token length bounds (SPEC §2: 16–128 URL-safe characters).
const TOKEN_LEN: (usize, usize) = (16, 128);

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
pub(super) fn foreign_keys(raw: &RawCheck, kind: &str, s: &mut Scope) {
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

/// `kind = "dns"`: `name`, `record` (default A), `expect`, `resolver`.
pub(super) fn dns(raw: &RawCheck, s: &mut Scope) -> Option<DnsCheck> {
    let name = s
        .required(&raw.name, "name", &raw.span)
        .filter(|f| s.not_empty(f))
        .filter(|f| {
            let ok = is_dns_name(&f.value);
            if !ok {
                s.err(
                    &f.span,
                    format_args!("`name` {:?} is not a DNS name", f.value),
                );
            }
            ok
        });
    let record = raw.record.as_ref().map_or(Some(DnsRecord::A), |f| {
        let record = DnsRecord::parse(&f.value);
        if record.is_none() {
            let known: Vec<&str> = DnsRecord::ALL.iter().map(|r| r.name()).collect();
            let known = known.join(", ");
            let what = format!("unknown record type {:?} (use one of {known})", f.value);
            s.err(&f.span, what);
        }
        record
    });
    let expect = match (&raw.expect, record) {
        (Some(f), Some(record)) if s.not_empty(f) => {
            let ip = f.value.trim().parse::<IpAddr>().ok();
            let problem = match record {
                DnsRecord::A if !ip.is_some_and(|ip| ip.is_ipv4()) => Some("an IPv4 address"),
                DnsRecord::Aaaa if !ip.is_some_and(|ip| ip.is_ipv6()) => Some("an IPv6 address"),
                _ => None,
            };
            if let Some(want) = problem {
                let (value, record) = (&f.value, record.name());
                s.err(
                    &f.span,
                    format_args!("`expect` {value:?} must be {want} for {record} records"),
                );
            }
            problem.is_none().then(|| Some(f.value.trim().to_owned()))
        }
        (Some(_), _) => None,
        (None, _) => Some(None),
    };
    let resolver = raw.resolver.as_ref().map_or(Some(None), |f| {
        let addr = f.value.parse::<SocketAddr>().ok();
        if addr.is_none() {
            let what = "is not ip:port, such as \"127.0.0.1:53\" or \"[::1]:53\"";
            s.err(&f.span, format_args!("`resolver` {:?} {what}", f.value));
        }
        addr.map(Some)
    });
    Some(DnsCheck {
        name: name?.value.clone(),
        record: record?,
        expect: expect?,
        resolver: resolver?,
    })
}

/// `kind = "tls"`: `address`, `server_name` (default: its host), `min_days_left` (default 14).
pub(super) fn tls(raw: &RawCheck, s: &mut Scope) -> Option<TlsCheck> {
    let address = s
        .required(&raw.address, "address", &raw.span)
        .filter(|f| s.host_port(f));
    let server_name = match &raw.server_name {
        Some(f) => {
            let ok = is_dns_name(&f.value) || f.value.parse::<IpAddr>().is_ok();
            if !ok {
                let what = "is not a DNS name or an IP address";
                s.err(&f.span, format_args!("`server_name` {:?} {what}", f.value));
            }
            ok.then(|| f.value.clone())
        }
        None => address.and_then(|f| {
            let (host, _) = f.value.rsplit_once(':')?;
            Some(
                host.trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_owned(),
            )
        }),
    };
    let min_days_left = s.count(raw.min_days_left.as_ref(), 14, (0, 3650));
    Some(TlsCheck {
        address: address?.value.clone(),
        server_name: server_name?,
        min_days_left,
    })
}

/// `kind = "push"`: `token`, `grace` (default: half the interval). `timeout`
/// and `degraded_over` are rejected: a push check waits, it probes nothing.
pub(super) fn push(raw: &RawCheck, interval: Option<Duration>, s: &mut Scope) -> Option<PushCheck> {
    let token = s.required(&raw.token, "token", &raw.span).filter(|f| {
        let problem = token_problem(&f.value);
        if let Some(problem) = &problem {
            s.err(&f.span, format_args!("`token` {problem}"));
        }
        problem.is_none()
    });
    if let Some(f) = &raw.timeout {
        let why = "a push check waits for pings (use `grace` to allow late ones)";
        s.err(
            &f.key,
            format_args!("`timeout` does not apply to push checks: {why}"),
        );
    }
    if let Some(f) = &raw.degraded_over {
        let why = "a ping has no response time";
        s.err(
            &f.key,
            format_args!("`degraded_over` does not apply to push checks: {why}"),
        );
    }
    let grace = match &raw.grace {
        Some(f) => s.duration(f),
        None => interval.map(|i| i / 2),
    };
    Some(PushCheck {
        token: token?.value.clone(),
        grace: grace?,
    })
}

/// Why `token` is not 16–128 characters of `[A-Za-z0-9_-]`, if it is not.
fn token_problem(token: &str) -> Option<String> {
    let (min, max) = TOKEN_LEN;
    let url_safe = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let len = token.chars().count();
    if !(min..=max).contains(&len) {
        Some(format!("must be {min} to {max} characters long, not {len}"))
    } else {
        let bad = token.chars().find(|&c| !url_safe(c));
        bad.map(|c| format!("may only contain A-Z, a-z, 0-9, _ and -, not {c:?}"))
    }
}

/// Reports each push token used again by a later check (without echoing it).
pub(super) fn duplicate_tokens(checks: &[RawCheck], p: &mut Problems) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let tokens = checks
        .iter()
        .filter(|c| c.kind.as_ref().is_some_and(|k| k.value == "push"))
        .filter_map(|c| c.token.as_ref().map(|t| (c, t)));
    for (check, token) in tokens {
        if let Some(&at) = first.get(token.value.as_str()) {
            let line = p.line(at);
            let message = format!(
                "{}: `token` is already used by another push check (line {line}); tokens must be unique",
                check.place
            );
            p.push(&token.span, message);
        } else {
            first.insert(&token.value, token.span.start);
        }
    }
}

/// A host name as DNS knows it: dot-separated labels of 1–63 letters, digits,
/// `-` or `_`, at most 253 characters, an optional final dot.
fn is_dns_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    !name.is_empty() && name.len() <= 253 && name.split('.').all(label_ok)
}

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod tests;
