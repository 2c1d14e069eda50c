//! Raw sections → validated domain types (SPEC §2), collecting every problem.
//!
//! Each section and entry is checked on its own and all problems are recorded;
//! invalid values fall back to defaults so that checking can go on, and the
//! caller discards the result whenever any problem was found.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::ops::Range;
use std::time::Duration;

use chrono_tz::Tz;
use humantime::format_duration as show;

use super::file::{Field, RawCheck, RawComponent, RawConfig, StatusEntry};
use super::{Config, Database, Problems, Server, Site, kinds};
use crate::domain::{
    CheckId, CheckKind, CheckSpec, Component, ComponentId, HttpCheck, StatusMatcher, TcpCheck,
};

const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// Problems of one section or entry, each message prefixed with its name.
pub(super) struct Scope<'s, 'a> {
    pub place: &'s str,
    pub p: &'s mut Problems<'a>,
}

impl Scope<'_, '_> {
    pub fn err(&mut self, at: &Range<usize>, message: impl Display) {
        self.p.push(at, format!("{}: {message}", self.place));
    }

    /// The field, or a problem at the entry's header (`table`) when it is missing.
    pub fn required<'f, T>(
        &mut self,
        f: &'f Option<Field<T>>,
        key: &str,
        table: &Range<usize>,
    ) -> Option<&'f Field<T>> {
        if f.is_none() {
            self.err(table, format_args!("missing required key `{key}`"));
        }
        f.as_ref()
    }

    /// A humantime duration such as `30s`.
    pub fn duration(&mut self, f: &Field<String>) -> Option<Duration> {
        let d = humantime::parse_duration(&f.value);
        d.map_err(|e| self.err(&f.span, format_args!("invalid duration {:?}: {e}", f.value)))
            .ok()
    }

    /// A whole number within `min..=max`, or `default` when absent.
    pub fn count(&mut self, f: Option<&Field<i64>>, default: u32, (min, max): (u32, u32)) -> u32 {
        let Some(f) = f else { return default };
        match u32::try_from(f.value) {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                let key = self.p.key_name(&f.key);
                let range = match max {
                    u32::MAX => format!("at least {min}"),
                    _ => format!("between {min} and {max}"),
                };
                self.err(
                    &f.span,
                    format_args!("`{key}` must be {range}, not {}", f.value),
                );
                default
            }
        }
    }

    /// An absolute `http://` or `https://` URL with a host.
    fn http_url(&mut self, f: &Field<String>) -> bool {
        let problem = match url::Url::parse(&f.value) {
            Err(e) => Some(format!("is not an absolute URL ({e})")),
            Ok(u) if !matches!(u.scheme(), "http" | "https") => {
                Some("must start with http:// or https://".into())
            }
            Ok(u) if u.host_str().is_none_or(str::is_empty) => Some("has no host".into()),
            Ok(_) => None,
        };
        if let Some(problem) = &problem {
            self.err(&f.span, format_args!("URL {:?} {problem}", f.value));
        }
        problem.is_none()
    }

    /// `host:port` with a non-empty host and a numeric port 1–65535.
    pub fn host_port(&mut self, f: &Field<String>) -> bool {
        let ok = f.value.rsplit_once(':').is_some_and(|(host, port)| {
            let bracketed = host.starts_with('[') && host.ends_with(']');
            let host_ok = !host.is_empty() && (!host.contains(':') || bracketed);
            host_ok && port.parse::<u16>().is_ok_and(|port| port > 0)
        });
        if !ok {
            let what = "is not host:port with a numeric port";
            self.err(&f.span, format_args!("address {:?} {what}", f.value));
        }
        ok
    }

    pub fn not_empty(&mut self, f: &Field<String>) -> bool {
        let empty = f.value.trim().is_empty();
        if empty {
            let key = self.p.key_name(&f.key);
            self.err(&f.span, format_args!("`{key}` must not be empty"));
        }
        !empty
    }
}

/// Checks every section and entry; the result is meaningful only if no problem was recorded.
pub(super) fn validate(raw: RawConfig, p: &mut Problems) -> Config {
    let (site, server, database) = (raw.site, raw.server, raw.database);
    let mut s = Scope { place: "[site]", p };
    let site = Site {
        title: site.title.map_or_else(|| "Status".to_owned(), |f| f.value),
        url: site
            .url
            .filter(|f| s.http_url(f))
            .map(|f| f.value.trim_end_matches('/').to_owned()),
        description: site.description.map(|f| f.value).unwrap_or_default(),
        timezone: site.timezone.map_or(Tz::UTC, |f| {
            f.value.parse().unwrap_or_else(|_| {
                let what = "is not an IANA time zone name such as \"Europe/Berlin\"";
                s.err(&f.span, format_args!("timezone {:?} {what}", f.value));
                Tz::UTC
            })
        }),
        history_days: s.count(site.history_days.as_ref(), 90, (1, 365)),
    };
    let mut s = Scope {
        place: "[server]",
        p,
    };
    let server = Server {
        listen: server.listen.filter(|f| s.host_port(f)).map(|f| f.value),
        cache_max_age: match server.cache_max_age {
            Some(f) => s.duration(&f).unwrap_or_default(),
            None => Duration::from_secs(30),
        },
    };
    let mut s = Scope {
        place: "[database]",
        p,
    };
    let database = Database {
        url: database.url.filter(|f| s.not_empty(f)).map(|f| f.value),
        retention_days: s.count(database.retention_days.as_ref(), 90, (1, u32::MAX)),
    };

    let component_ids = raw.components.iter().filter_map(|c| c.id.as_ref());
    duplicates(component_ids.clone(), "component", p);
    duplicates(raw.checks.iter().filter_map(|c| c.id.as_ref()), "check", p);
    kinds::duplicate_tokens(&raw.checks, p);
    let known: HashSet<&str> = component_ids.map(|f| f.value.as_str()).collect();
    let checks = raw
        .checks
        .iter()
        .filter_map(|c| check(c, &known, p))
        .collect();
    let components = raw
        .components
        .iter()
        .filter_map(|c| component(c, p))
        .collect();
    Config {
        site,
        server,
        database,
        components,
        checks,
    }
}

/// Reports every id after the first use of the same id.
fn duplicates<'a>(ids: impl Iterator<Item = &'a Field<String>>, what: &str, p: &mut Problems) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for f in ids {
        if let Some(&at) = first.get(f.value.as_str()) {
            let line = p.line(at);
            let message = format!(
                "duplicate {what} id {:?} (first defined on line {line})",
                f.value
            );
            p.push(&f.span, message);
        } else {
            first.insert(&f.value, f.span.start);
        }
    }
}

fn component(raw: &RawComponent, p: &mut Problems) -> Option<Component> {
    let mut s = Scope {
        place: &raw.place,
        p,
    };
    let id = s.required(&raw.id, "id", &raw.span)?;
    let name = s
        .required(&raw.name, "name", &raw.span)
        .filter(|f| s.not_empty(f));
    let id = ComponentId::parse(&id.value).map_err(|e| s.err(&id.span, e));
    Some(Component {
        id: id.ok()?,
        name: name?.value.clone(),
        group: raw.group.as_ref().map(|f| f.value.clone()),
        description: raw.description.as_ref().map(|f| f.value.clone()),
        auto_incidents: raw.auto_incidents.as_ref().is_none_or(|f| f.value),
    })
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
    Some(CheckSpec {
        id: id?,
        component: component?,
        kind: kind?,
        interval: interval?,
        timeout: timeout?,
        degraded_over: degraded_over?,
        failure_threshold: s.count(raw.failure_threshold.as_ref(), 3, (1, u32::MAX)),
        recovery_threshold: s.count(raw.recovery_threshold.as_ref(), 2, (1, u32::MAX)),
    })
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

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
