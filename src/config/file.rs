//! The config file as written (SPEC §2): the spanned TOML tree read into raw sections.
//!
//! Only the shape is checked here: syntax, unknown keys and value types. Each
//! section and each array entry is read on its own, so one bad entry still
//! lets the others be read and checked. Meaning (ids, URLs, durations, limits)
//! is `validate`'s job.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Problems;
use super::notify::{self, file::RawNotify};
use super::section::{Opt, Section, place, to_i64};

/// The file's sections; absent ones are empty (all defaults).
pub(super) struct RawConfig {
    pub site: RawSite,
    pub server: RawServer,
    pub database: RawDatabase,
    pub reports: RawReports,
    pub probes: RawProbes,
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

#[derive(Default)]
pub(super) struct RawProbes {
    pub quorum: Opt<i64>,
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

/// One `[[checks]]` entry, with the keys of every kind; `validate` sorts them out.
pub(super) struct RawCheck {
    pub span: Range<usize>,
    pub place: String,
    pub id: Opt<String>,
    pub component: Opt<String>,
    pub kind: Opt<String>,
    pub interval: Opt<String>,
    pub timeout: Opt<String>,
    pub degraded_over: Opt<String>,
    pub failure_threshold: Opt<i64>,
    pub recovery_threshold: Opt<i64>,
    pub url: Opt<String>,
    pub method: Opt<String>,
    pub headers: Opt<Vec<(Spanned<String>, String)>>,
    pub expect_status: Opt<Vec<Spanned<StatusEntry>>>,
    pub expect_body: Opt<String>,
    pub address: Opt<String>,
    pub name: Opt<String>,
    pub record: Opt<String>,
    pub expect: Opt<String>,
    pub resolver: Opt<String>,
    pub server_name: Opt<String>,
    pub min_days_left: Opt<i64>,
    pub token: Opt<String>,
    pub grace: Opt<String>,
    pub label: Opt<String>,
    pub public_target: Opt<bool>,
}

/// One `expect_status` entry as written: a code or a class string.
pub(super) enum StatusEntry {
    Code(i64),
    Class(String),
    /// Neither; already reported here.
    WrongType,
}

/// Keys of every check kind; `validate` reports those of another kind.
#[rustfmt::skip]
const CHECK_KEYS: &[&str] = &[
    "id", "component", "kind", "interval", "timeout", "degraded_over", "failure_threshold",
    "recovery_threshold", "url", "method", "headers", "expect_status", "expect_body", "address",
    "name", "record", "expect", "resolver", "server_name", "min_days_left", "token", "grace",
    "label", "public_target",
];

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
        "probes",
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
    let probes = top.table("probes", p).map(|(_, t)| {
        let s = Section::new(t, "[probes]".into(), &["quorum"], p);
        RawProbes {
            quorum: s.integer("quorum", p),
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
        probes: probes.unwrap_or_default(),
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

fn read_check(span: Range<usize>, t: &DeTable, n: usize, p: &mut Problems) -> RawCheck {
    let s = Section::new(t, place(t, "check", "checks", n), CHECK_KEYS, p);
    let headers = s.field("headers", "a table of strings", p, DeValue::as_table);
    let headers = headers.map(|f| f.map(|t| s.headers(t, p)));
    let statuses = s.field("expect_status", "an array", p, DeValue::as_array);
    let expect_status = statuses.map(|f| f.map(|a| s.statuses(a, p)));
    RawCheck {
        id: s.string("id", p),
        component: s.string("component", p),
        kind: s.string("kind", p),
        interval: s.duration("interval", p),
        timeout: s.duration("timeout", p),
        degraded_over: s.duration("degraded_over", p),
        failure_threshold: s.integer("failure_threshold", p),
        recovery_threshold: s.integer("recovery_threshold", p),
        url: s.string("url", p),
        method: s.string("method", p),
        headers,
        expect_status,
        expect_body: s.string("expect_body", p),
        address: s.string("address", p),
        name: s.string("name", p),
        record: s.string("record", p),
        expect: s.string("expect", p),
        resolver: s.string("resolver", p),
        server_name: s.string("server_name", p),
        min_days_left: s.integer("min_days_left", p),
        token: s.string("token", p),
        grace: s.duration("grace", p),
        label: s.string("label", p),
        public_target: s.field("public_target", "true or false", p, DeValue::as_bool),
        place: s.place,
        span,
    }
}

/// Check-only readers of a [`Section`].
impl Section<'_, '_> {
    /// Header name/value pairs in file order; values that are not strings are reported.
    fn headers(&self, t: &DeTable, p: &mut Problems) -> Vec<(Spanned<String>, String)> {
        let mut headers = Vec::new();
        for (name, value) in t.iter() {
            match value.get_ref().as_str() {
                Some(v) => headers.push((
                    Spanned::new(name.span(), name.get_ref().to_string()),
                    v.to_owned(),
                )),
                None => {
                    let found = value.get_ref().type_str();
                    let message = format!(
                        "{}: header `{name}` must be a string, found {found}",
                        self.place
                    );
                    p.push(&value.span(), message);
                }
            }
        }
        headers.sort_by_key(|(name, _)| name.span().start);
        headers
    }

    /// `expect_status` entries that are integers or strings; anything else is reported.
    fn statuses(&self, items: &[Spanned<DeValue>], p: &mut Problems) -> Vec<Spanned<StatusEntry>> {
        let mut out = Vec::new();
        for item in items {
            let entry = match item.get_ref() {
                DeValue::Integer(i) => StatusEntry::Code(to_i64(i)),
                DeValue::String(s) => StatusEntry::Class(s.to_string()),
                other => {
                    let want = "an integer status code or a class string such as \"2xx\"";
                    let found = other.type_str();
                    let message = format!(
                        "{}: each `expect_status` entry must be {want}, found {found}",
                        self.place
                    );
                    p.push(&item.span(), message);
                    StatusEntry::WrongType
                }
            };
            out.push(Spanned::new(item.span(), entry));
        }
        out
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
