//! Configuration (SPEC §2): the TOML file becomes a validated [`Config`](crate::config::Config).
//!
//! Parsing happens in two steps so that one bad entry never hides another:
//! `file` reads the spanned TOML tree into raw sections (syntax, unknown keys,
//! value types), then `validate` turns them into domain types (ids, URLs,
//! durations, cross-references). Every problem is collected with its line and
//! column, and [`ConfigError::Invalid`](crate::config::ConfigError::Invalid)
//! lists them all in file order.

mod checks;
mod demo;
mod file;
mod notify;
mod scope;
mod section;
mod validate;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::domain::{CheckSpec, Component, ComponentId};

pub use notify::secrets::Env;
pub use notify::{Email, Notifier, NotifierKind, Notify};

/// The whole validated configuration file (SPEC §2).
#[derive(Debug, Clone)]
pub struct Config {
    pub site: Site,
    pub server: Server,
    pub database: Database,
    pub reports: Reports,
    pub probes: Probes,
    /// In file order (the page groups them in this order). Shared: the
    /// status model and the probe worker hold these handles, not indexes.
    pub components: Vec<Arc<Component>>,
    pub checks: Vec<Arc<CheckSpec>>,
    /// `[email]`, `[[notifiers]]`, `[subscriptions]` (SPEC §8).
    pub notify: Notify,
}

/// `[site]` (SPEC §2): what the page says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub title: String,
    /// Public base URL, absolute http(s), without a trailing slash.
    pub url: Option<String>,
    pub description: String,
    /// Times on the page are shown in this zone.
    pub timezone: chrono_tz::Tz,
    /// Days of uptime bars on the page, 1..=365.
    pub history_days: u32,
}

/// `[server]` (SPEC §2): where to listen, how long pages may be cached, and
/// the connection limits that keep slow or idle clients from holding it.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// `host:port`; `None` leaves it to the flag, environment or default.
    pub listen: Option<String>,
    /// `Cache-Control: max-age` of public pages.
    pub cache_max_age: Duration,
    /// A client must send a request's headers within this long, and an
    /// idle keep-alive connection is closed after it (`header_timeout`).
    pub header_timeout: Duration,
    /// Connections open at once; more are answered 503 and closed.
    pub max_connections: u32,
    /// Peers whose `X-Forwarded-For` is believed (SPEC §7 `trusted_proxies`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Server {
    /// Default of `header_timeout`.
    pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default of `max_connections`.
    pub const MAX_CONNECTIONS: u32 = 1024;
}

/// `[database]` (SPEC §2): where results go and how long raw ones are kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    /// `None` leaves it to the flag, environment or default.
    pub url: Option<String>,
    /// Days raw check results are kept; at least 1.
    pub retention_days: u32,
}

/// `[reports]` (SPEC §10): visitors' "Report a problem" forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Reports {
    /// `false` removes the forms and `POST /components/{id}/report` (404).
    pub enabled: bool,
    /// `true` shows each component's count of reporters in the last hour.
    pub public: bool,
    /// Distinct reporters within `window` that make a `reports.spike`.
    pub threshold: u32,
    /// The sliding window of the spike rule.
    pub window: Duration,
}

impl Default for Reports {
    /// Enabled, not public, 5 reporters in 10 minutes (SPEC §10).
    fn default() -> Reports {
        Reports {
            enabled: true,
            public: false,
            threshold: 5,
            window: Duration::from_secs(600),
        }
    }
}

/// `[probes]` (SPEC §9): how regional probes' states combine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Probes {
    /// Regions that must agree for a check to be down or degraded; `None`:
    /// more than half of the regions reporting the check (see
    /// [`crate::status::quorum`]).
    pub quorum: Option<usize>,
}

/// One problem in the config file (SPEC §2), at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why the configuration could not be loaded (SPEC §1 `check-config`, §2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is missing or unreadable; shown as one line.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not a valid configuration; one `PATH:LINE:COL: message` line per problem.
    #[error("{}", ProblemList { path, problems })]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

/// Formats problems as `PATH:LINE:COL: message` lines.
struct ProblemList<'a> {
    path: &'a Path,
    problems: &'a [Problem],
}

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            let path = self.path.display();
            write!(f, "{path}:{}:{}: {}", p.line, p.column, p.message)?;
        }
        Ok(())
    }
}

/// Problems found so far, each at a byte offset of the text.
struct Problems<'a> {
    text: &'a str,
    found: Vec<(usize, String)>,
}

impl<'a> Problems<'a> {
    fn new(text: &'a str) -> Self {
        Problems {
            text,
            found: Vec::new(),
        }
    }

    /// Records a problem at the start of `at`.
    fn push(&mut self, at: &Range<usize>, message: impl Into<String>) {
        self.found.push((at.start, message.into()));
    }

    /// The 1-based line of a byte offset, to point at an earlier definition.
    fn line(&self, offset: usize) -> usize {
        position(self.text, offset).0
    }

    /// The text of a key as written, to name it in a message.
    fn key_name(&self, key: &Range<usize>) -> &'a str {
        self.text.get(key.clone()).unwrap_or("?")
    }

    fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The problems in file order, located by line and column.
    fn into_sorted(self) -> Vec<Problem> {
        let mut found = self.found;
        found.sort_by_key(|(offset, _)| *offset);
        found
            .into_iter()
            .map(|(offset, message)| {
                let (line, column) = position(self.text, offset);
                Problem {
                    line,
                    column,
                    message,
                }
            })
            .collect()
    }
}

/// 1-based line and column (counted in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or_default().chars().count();
    (before.matches('\n').count() + 1, column + 1)
}

impl Config {
    /// Reads and parses the config file at `path` (SPEC §2).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses config text (SPEC §2), reporting every problem at once; `path`
    /// only labels them. Secrets are read from the process's environment.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::parse_with_env(text, path, &|name| std::env::var(name).ok())
    }

    /// [`Config::parse`], reading the environment variables the file names
    /// through `env`.
    pub fn parse_with_env(text: &str, path: &Path, env: Env) -> Result<Config, ConfigError> {
        let mut problems = Problems::new(text);
        let config =
            file::read(text, &mut problems).map(|raw| validate::validate(raw, env, &mut problems));
        match config {
            Some(config) if problems.is_empty() => Ok(config),
            _ => Err(ConfigError::Invalid {
                path: path.to_owned(),
                problems: problems.into_sorted(),
            }),
        }
    }

    /// The built-in loopback-only demo (SPEC §1 "Embedded default"), checking Beacon at `listen`.
    pub fn demo(listen: std::net::SocketAddr) -> Config {
        demo::config(listen)
    }

    /// The configured name of a component, or its id if it left the config.
    pub fn component_name<'c>(&'c self, id: &'c str) -> &'c str {
        self.components
            .iter()
            .find(|c| c.id.as_str() == id)
            .map_or(id, |c| c.name.as_str())
    }

    /// The checks of `component`, in file order.
    pub fn checks_of<'c>(
        &'c self,
        component: &'c ComponentId,
    ) -> impl Iterator<Item = &'c Arc<CheckSpec>> + 'c {
        self.checks
            .iter()
            .filter(move |c| &c.component == component)
    }

    /// The component with this id, if configured (SPEC §2 `[[components]]`).
    pub fn component(&self, id: &ComponentId) -> Option<&Arc<Component>> {
        self.components.iter().find(|c| &c.id == id)
    }
}

#[cfg(test)]
#[path = "mod_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "values_tests.rs"]
mod values_tests;
