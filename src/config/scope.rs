//! [`Scope`]: the problems of one section or entry, each message prefixed
//! with its name, and the value checks every section shares (durations,
//! counts, URLs, addresses, unique ids).

use std::collections::HashMap;
use std::fmt::Display;
use std::ops::Range;
use std::time::Duration;

use super::Problems;
use super::section::Field;

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
    pub fn http_url(&mut self, f: &Field<String>) -> bool {
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

/// Reports every id after the first use of the same id.
pub(super) fn duplicates<'a>(
    ids: impl Iterator<Item = &'a Field<String>>,
    what: &str,
    p: &mut Problems,
) {
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
