//! Raw sections → validated domain types (SPEC §2), collecting every problem.
//!
//! Each section and entry is checked on its own and all problems are recorded;
//! invalid values fall back to defaults so that checking can go on, and the
//! caller discards the result whenever any problem was found.
//!
//! This file has the `[site]`, `[server]` and `[database]` sections,
//! duplicate ids and components; `[[checks]]` entries are in [`super::checks`].

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;

use super::file::RawReports;
use super::file::{RawComponent, RawConfig};
use super::scope::{Scope, duplicates};
use super::{Config, Database, Probes, Problems, Reports, Server, Site, checks};
use crate::domain::{Component, ComponentId};

/// Checks every section and entry; the result is meaningful only if no problem was recorded.
pub(super) fn validate(raw: RawConfig, env: super::Env, p: &mut Problems) -> Config {
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
        header_timeout: match server.header_timeout {
            Some(f) => s.duration(&f).map_or(Server::HEADER_TIMEOUT, |d| {
                if d < Duration::from_millis(100) {
                    s.err(&f.span, "`header_timeout` must be at least 100ms");
                }
                d
            }),
            None => Server::HEADER_TIMEOUT,
        },
        max_connections: s.count(
            server.max_connections.as_ref(),
            Server::MAX_CONNECTIONS,
            (1, 1_000_000),
        ),
        trusted_proxies: server
            .trusted_proxies
            .map(|f| networks(&mut s, &f.value))
            .unwrap_or_default(),
    };
    let mut s = Scope {
        place: "[database]",
        p,
    };
    let database = Database {
        url: database.url.filter(|f| s.not_empty(f)).map(|f| f.value),
        retention_days: s.count(database.retention_days.as_ref(), 90, (1, u32::MAX)),
    };

    let reports = reports(raw.reports, p);
    let mut s = Scope {
        place: "[probes]",
        p,
    };
    let probes = Probes {
        // A positive count; 1000 regions is far beyond any deployment.
        quorum: raw
            .probes
            .quorum
            .as_ref()
            .map(|f| s.count(Some(f), 1, (1, 1000)) as usize),
    };

    let component_ids = raw.components.iter().filter_map(|c| c.id.as_ref());
    duplicates(component_ids.clone(), "component", p);
    duplicates(raw.checks.iter().filter_map(|c| c.id.as_ref()), "check", p);
    let known: HashSet<&str> = component_ids.map(|f| f.value.as_str()).collect();
    let checks = checks::checks(&raw.checks, &known, p)
        .into_iter()
        .map(Arc::new)
        .collect();
    let components = raw
        .components
        .iter()
        .filter_map(|c| component(c, p))
        .map(Arc::new)
        .collect();
    let notify = super::notify::validate::validate(raw.notify, &known, env, p);
    Config {
        site,
        server,
        database,
        reports,
        probes,
        components,
        checks,
        notify,
    }
}

/// `[reports]`: a threshold of at least 2 (one visitor alone is not a
/// spike) and a window between 1 minute and 24 hours.
fn reports(raw: RawReports, p: &mut Problems) -> Reports {
    let mut s = Scope {
        place: "[reports]",
        p,
    };
    let default = Reports::default();
    let window = raw.window.and_then(|f| {
        let d = s.duration(&f)?;
        let (min, max) = (Duration::from_secs(60), Duration::from_secs(86_400));
        if !(min..=max).contains(&d) {
            s.err(&f.span, "`window` must be between 1m and 24h");
        }
        Some(d)
    });
    Reports {
        enabled: raw.enabled.is_none_or(|f| f.value),
        public: raw.public.is_some_and(|f| f.value),
        threshold: s.count(raw.threshold.as_ref(), default.threshold, (2, 10_000)),
        window: window.unwrap_or(default.window),
    }
}

/// `trusted_proxies`: networks (`10.0.0.0/8`) or single addresses (`::1`).
fn networks(s: &mut Scope, entries: &[toml::Spanned<String>]) -> Vec<ipnet::IpNet> {
    let mut out = Vec::new();
    for entry in entries {
        let text = entry.get_ref().trim();
        let parsed = text
            .parse::<ipnet::IpNet>()
            .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
        match parsed {
            Ok(net) => out.push(net),
            Err(_) => {
                let what = "is not an IP address or network such as \"10.0.0.0/8\"";
                s.err(&entry.span(), format_args!("trusted proxy {text:?} {what}"));
            }
        }
    }
    out
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

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
