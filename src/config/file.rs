//! The config file as written (SPEC §2): the spanned TOML tree read into raw sections.
//!
//! Only the shape is checked here: syntax, unknown keys and value types. Each
//! section and each array entry is read on its own, so one bad entry still
//! lets the others be read and checked. Meaning (ids, URLs, durations, limits)
//! is `validate`'s job.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use self::checks::read_check;
use super::Problems;
use super::notify::{self, file::RawNotify};
use super::section::{Opt, Section, place};

mod checks;

pub(super) use self::checks::{RawCheck, StatusEntry};

/// The file's sections; absent ones are empty (all defaults).
pub(super) struct RawConfig {
    pub site: RawSite,
    pub server: RawServer,
    pub database: RawDatabase,
    pub reports: RawReports,
    pub components: Vec<RawComponent>,
    pub checks: Vec<RawCheck>,
    pub notify: RawNotify,
}

#[derive(Default)]
pub(super) struct RawSite {
    pub title: Opt<String>,
    pub url: Opt<String>,
    pub description: Opt<String>,
    pub timezone: Opt<String>,
    pub history_days: Opt<i64>,
}

#[derive(Default)]
pub(super) struct RawServer {
    pub listen: Opt<String>,
    pub cache_max_age: Opt<String>,
    pub header_timeout: Opt<String>,
    pub max_connections: Opt<i64>,
    pub trusted_proxies: Opt<Vec<Spanned<String>>>,
}

#[derive(Default)]
pub(super) struct RawDatabase {
    pub url: Opt<String>,
    pub retention_days: Opt<i64>,
}

#[derive(Default)]
pub(super) struct RawReports {
    pub enabled: Opt<bool>,
    pub public: Opt<bool>,
    pub threshold: Opt<i64>,
    pub window: Opt<String>,
}

/// One `[[components]]` entry; `span` is its header, `place` names it in messages.
pub(super) struct RawComponent {
    pub span: Range<usize>,
    pub place: String,
    pub id: Opt<String>,
    pub name: Opt<String>,
    pub group: Opt<String>,
    pub description: Opt<String>,
    pub auto_incidents: Opt<bool>,
}

/// Reads the document; `None` when it is not TOML at all (the syntax error is recorded).
pub(super) fn read(text: &str, p: &mut Problems) -> Option<RawConfig> {
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
            p.push(
                &e.span().unwrap_or(0..0),
                format!("TOML syntax error: {message}"),
            );
            return None;
        }
    };
    let mut known = vec![
        "site",
        "server",
        "database",
        "reports",
        "components",
        "checks",
    ];
    known.extend(notify::file::SECTIONS);
    let top = Section::new(root.get_ref(), "top level".into(), &known, p);
    let site = top.table("site", p).map(|(_, t)| {
        let s = Section::new(
            t,
            "[site]".into(),
            &["title", "url", "description", "timezone", "history_days"],
            p,
        );
        RawSite {
            title: s.string("title", p),
            url: s.string("url", p),
            description: s.string("description", p),
            timezone: s.string("timezone", p),
            history_days: s.integer("history_days", p),
        }
    });
    let server = top.table("server", p).map(|(_, t)| {
        let keys = [
            "listen",
            "cache_max_age",
            "header_timeout",
            "max_connections",
            "trusted_proxies",
        ];
        let s = Section::new(t, "[server]".into(), &keys, p);
        RawServer {
            listen: s.string("listen", p),
            cache_max_age: s.duration("cache_max_age", p),
            header_timeout: s.duration("header_timeout", p),
            max_connections: s.integer("max_connections", p),
            trusted_proxies: s.strings("trusted_proxies", p),
        }
    });
    let database = top.table("database", p).map(|(_, t)| {
        let s = Section::new(t, "[database]".into(), &["url", "retention_days"], p);
        RawDatabase {
            url: s.string("url", p),
            retention_days: s.integer("retention_days", p),
        }
    });
    let reports = top.table("reports", p).map(|(_, t)| {
        let keys = ["enabled", "public", "threshold", "window"];
        let s = Section::new(t, "[reports]".into(), &keys, p);
        RawReports {
            enabled: s.field("enabled", "true or false", p, DeValue::as_bool),
            public: s.field("public", "true or false", p, DeValue::as_bool),
            threshold: s.integer("threshold", p),
            window: s.duration("window", p),
        }
    });
    let components = top.tables("components", p).into_iter().enumerate();
    let components = components
        .map(|(i, (span, t))| read_component(span, t, i + 1, p))
        .collect();
    let checks = top.tables("checks", p).into_iter().enumerate();
    let checks = checks
        .map(|(i, (span, t))| read_check(span, t, i + 1, p))
        .collect();
    Some(RawConfig {
        site: site.unwrap_or_default(),
        server: server.unwrap_or_default(),
        database: database.unwrap_or_default(),
        reports: reports.unwrap_or_default(),
        components,
        checks,
        notify: notify::file::read(&top, p),
    })
}

fn read_component(span: Range<usize>, t: &DeTable, n: usize, p: &mut Problems) -> RawComponent {
    let known = ["id", "name", "group", "description", "auto_incidents"];
    let s = Section::new(t, place(t, "component", "components", n), &known, p);
    RawComponent {
        id: s.string("id", p),
        name: s.string("name", p),
        group: s.string("group", p),
        description: s.string("description", p),
        auto_incidents: s.field("auto_incidents", "true or false", p, DeValue::as_bool),
        place: s.place,
        span,
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
