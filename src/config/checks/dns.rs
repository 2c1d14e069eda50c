//! `kind = "dns"` (SPEC §2): `name`, `record` (default A), `expect`, `resolver`.

use std::net::{IpAddr, SocketAddr};

use crate::config::file::RawCheck;
use crate::config::scope::Scope;
use crate::domain::{DnsCheck, DnsRecord};

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

/// A host name as DNS knows it: dot-separated labels of 1–63 letters, digits,
/// `-` or `_`, at most 253 characters, an optional final dot.
pub(super) fn is_dns_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    !name.is_empty() && name.len() <= 253 && name.split('.').all(label_ok)
}
