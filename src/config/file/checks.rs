//! One `[[checks]]` entry as written (SPEC §2): the keys of every kind,
//! header tables and `expect_status` arrays read with their spans.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::Problems;
use crate::config::section::{Opt, Section, place, to_i64};

/// One `[[checks]]` entry, with the keys of every kind; `validate` sorts them out.
pub(in crate::config) struct RawCheck {
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
pub(in crate::config) enum StatusEntry {
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

pub(super) fn read_check(span: Range<usize>, t: &DeTable, n: usize, p: &mut Problems) -> RawCheck {
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
