//! Checks and their results (SPEC §2 `[[checks]]`, §3 results).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{CheckId, ComponentId};

/// One `[[checks]]` entry, validated: what to probe, how often and how strictly.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    pub id: CheckId,
    pub component: ComponentId,
    pub kind: CheckKind,
    pub interval: Duration,
    /// Bound on one attempt; always shorter than `interval`.
    pub timeout: Duration,
    /// An ok result slower than this counts as slow.
    pub degraded_over: Option<Duration>,
    /// Consecutive failed (or slow) results that move the check down (or degraded); ≥ 1.
    pub failure_threshold: u32,
    /// Consecutive good results that bring it back; ≥ 1.
    pub recovery_threshold: u32,
}

/// What a check probes. New kinds (`dns`, `tls`, `push`) slot in as variants.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Http(HttpCheck),
    Tcp(TcpCheck),
}

impl CheckKind {
    /// The kind's name as written in the config file.
    pub fn name(&self) -> &'static str {
        match self {
            CheckKind::Http(_) => "http",
            CheckKind::Tcp(_) => "tcp",
        }
    }

    /// Where the check points, for display (URL or host:port).
    pub fn target(&self) -> &str {
        match self {
            CheckKind::Http(h) => &h.url,
            CheckKind::Tcp(t) => &t.address,
        }
    }
}

/// `kind = "http"`.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpCheck {
    /// Absolute `http://` or `https://` URL.
    pub url: String,
    /// Upper-case HTTP method token, e.g. `GET`.
    pub method: String,
    pub headers: Vec<(String, String)>,
    /// Accepted statuses; never empty (default `["2xx"]`).
    pub expect_status: Vec<StatusMatcher>,
    pub expect_body: Option<String>,
}

/// `kind = "tcp"`.
#[derive(Debug, Clone, PartialEq)]
pub struct TcpCheck {
    /// `host:port`.
    pub address: String,
}

/// One entry of `expect_status`: an exact code or a class such as `2xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatcher {
    Code(u16),
    /// The hundreds digit: `Class(2)` is `2xx`.
    Class(u16),
}

impl StatusMatcher {
    /// Whether `status` is accepted.
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusMatcher::Code(c) => c == status,
            StatusMatcher::Class(c) => status / 100 == c,
        }
    }
}

impl std::fmt::Display for StatusMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusMatcher::Code(c) => write!(f, "{c}"),
            StatusMatcher::Class(c) => write!(f, "{c}xx"),
        }
    }
}

/// How one probe attempt went (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    /// Ok, but slower than `degraded_over`.
    Slow,
    Failed,
}

impl Outcome {
    /// Stable storage code.
    pub fn code(self) -> i64 {
        match self {
            Outcome::Ok => 0,
            Outcome::Slow => 1,
            Outcome::Failed => 2,
        }
    }

    /// Inverse of [`Outcome::code`]; unknown codes read as failed.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Outcome::Ok,
            1 => Outcome::Slow,
            _ => Outcome::Failed,
        }
    }
}

/// One probe attempt's result.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub check: CheckId,
    pub at: DateTime<Utc>,
    pub outcome: Outcome,
    /// Time to the answer; `None` when there was none (refused, timed out).
    pub latency: Option<Duration>,
    /// A reason a person can read; set for every failed or slow result.
    pub reason: Option<String>,
}
