//! Checks and their results (SPEC §2 `[[checks]]`, §3 results).

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::ids::{CheckId, ComponentId};

/// One `[[checks]]` entry, validated: what to probe, how often and how strictly.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    pub id: CheckId,
    /// What visitors read (SPEC §2 `label`; default: the id).
    pub label: String,
    /// Whether `/components/{id}` may show the target (SPEC §2; default false).
    pub public_target: bool,
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

/// What a check probes (SPEC §2 `kind`).
#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Http(HttpCheck),
    Tcp(TcpCheck),
    Dns(DnsCheck),
    Tls(TlsCheck),
    Push(PushCheck),
}

impl CheckKind {
    /// The kind's name as written in the config file.
    pub fn name(&self) -> &'static str {
        match self {
            CheckKind::Http(_) => "http",
            CheckKind::Tcp(_) => "tcp",
            CheckKind::Dns(_) => "dns",
            CheckKind::Tls(_) => "tls",
            CheckKind::Push(_) => "push",
        }
    }

    /// Where the check points, as configured (URL, host:port or name):
    /// operator data, never shown publicly as it is (see [`CheckSpec::shown_target`]).
    /// Never a push token: that is a secret.
    pub fn target(&self) -> &str {
        match self {
            CheckKind::Http(h) => &h.url,
            CheckKind::Tcp(t) => &t.address,
            CheckKind::Dns(d) => &d.name,
            CheckKind::Tls(t) => &t.address,
            CheckKind::Push(_) => "incoming pings",
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

/// `kind = "dns"` (SPEC §2): `name` must have `record` answers, one of them `expect`.
#[derive(Debug, Clone, PartialEq)]
pub struct DnsCheck {
    /// The name queried, as written.
    pub name: String,
    pub record: DnsRecord,
    /// A value that must be among the answers (an address, a name or TXT text).
    pub expect: Option<String>,
    /// The server asked; `None` = the system's resolver configuration.
    pub resolver: Option<SocketAddr>,
}

/// The record types a `dns` check can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsRecord {
    A,
    Aaaa,
    Cname,
    Mx,
    Txt,
}

impl DnsRecord {
    /// Every type, in the order the config documents them.
    pub const ALL: [DnsRecord; 5] = [
        DnsRecord::A,
        DnsRecord::Aaaa,
        DnsRecord::Cname,
        DnsRecord::Mx,
        DnsRecord::Txt,
    ];

    /// The type as written in the config file and in reasons (`AAAA`).
    pub fn name(self) -> &'static str {
        match self {
            DnsRecord::A => "A",
            DnsRecord::Aaaa => "AAAA",
            DnsRecord::Cname => "CNAME",
            DnsRecord::Mx => "MX",
            DnsRecord::Txt => "TXT",
        }
    }

    /// Parses a type name, ignoring case.
    pub fn parse(s: &str) -> Option<DnsRecord> {
        Self::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(s))
    }
}

/// `kind = "tls"` (SPEC §2): a trusted, valid certificate with days to spare.
#[derive(Debug, Clone, PartialEq)]
pub struct TlsCheck {
    /// `host:port`.
    pub address: String,
    /// The name the certificate must be valid for (default: the host of `address`).
    pub server_name: String,
    /// Fail when the certificate expires within this many days (default 14).
    pub min_days_left: u32,
}

/// `kind = "push"` (SPEC §2): the monitored job pings `/api/push/{token}`.
///
/// `timeout` does not apply to push checks and is rejected by the config:
/// nothing is probed, the worker only reads the time of the last ping.
#[derive(Clone, PartialEq)]
pub struct PushCheck {
    /// 16–128 characters of `[A-Za-z0-9_-]`, unique across checks; a secret.
    pub token: String,
    /// Extra time after `interval` before a missing ping counts as failed.
    pub grace: Duration,
}

impl std::fmt::Debug for PushCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushCheck")
            .field("token", &"<redacted>")
            .field("grace", &self.grace)
            .finish()
    }
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
