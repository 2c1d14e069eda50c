//! What visitors may see of a check's target (SPEC §2): a check's URL,
//! address, DNS name, resolver, headers and push token are operator data.
//! Only `public_target = true` shows a target, and then without a URL's
//! query string or the headers; reasons shown publicly are scrubbed of every
//! target string as a second line of defence (the probes already word their
//! reasons without them).

use super::{CheckKind, CheckSpec};

/// What replaces a target string found in a public reason.
pub const REDACTED: &str = "[redacted]";

/// Target strings shorter than this are not scrubbed from reasons: a header
/// value such as `1` would otherwise blank out every digit.
const MIN_SCRUBBED: usize = 4;

impl CheckSpec {
    /// The target as `/components/{id}` may show it: `None` unless
    /// `public_target = true`; for `http`, scheme, host, port and path only
    /// (no credentials, query string or fragment); never a push token.
    pub fn shown_target(&self) -> Option<String> {
        if !self.public_target {
            return None;
        }
        match &self.kind {
            CheckKind::Http(h) => url::Url::parse(&h.url)
                .ok()
                .as_ref()
                .and_then(without_query),
            CheckKind::Tcp(t) => Some(t.address.clone()),
            CheckKind::Tls(t) => Some(t.address.clone()),
            CheckKind::Dns(d) => Some(format!("{} {}", d.record.name(), d.name)),
            CheckKind::Push(_) => None,
        }
    }

    /// `reason` as visitors may read it: every string of this check's target
    /// (and a `:port` of it) replaced by [`REDACTED`], ignoring ASCII case.
    pub fn public_reason(&self, reason: &str) -> String {
        let mut secrets = self.target_strings();
        secrets.retain(|s| s.len() >= MIN_SCRUBBED);
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut out = reason.to_owned();
        for secret in &secrets {
            out = replace_ignoring_case(&out, secret);
        }
        for port in self.target_ports() {
            out = redact_port(&out, port);
        }
        out
    }

    /// Every piece of the target a reason could quote.
    fn target_strings(&self) -> Vec<String> {
        fn host_port(address: &str, out: &mut Vec<String>) {
            out.push(address.to_owned());
            if let Some((host, _)) = address.rsplit_once(':') {
                out.push(host.to_owned());
                out.push(
                    host.trim_start_matches('[')
                        .trim_end_matches(']')
                        .to_owned(),
                );
            }
        }
        let mut out = Vec::new();
        match &self.kind {
            CheckKind::Http(h) => {
                out.push(h.url.clone());
                out.extend(h.headers.iter().map(|(_, value)| value.clone()));
                if let Ok(url) = url::Url::parse(&h.url) {
                    out.extend(without_query(&url));
                    if let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default())
                    {
                        host_port(&format!("{host}:{port}"), &mut out);
                    }
                    out.push(url.path().to_owned());
                    out.extend(url.query().map(str::to_owned));
                    out.extend(url.query_pairs().map(|(_, v)| v.into_owned()));
                    out.push(url.username().to_owned());
                    out.extend(url.password().map(str::to_owned));
                    out.extend(url.fragment().map(str::to_owned));
                    let mut bare = url.clone();
                    bare.set_query(None);
                    bare.set_fragment(None);
                    out.push(bare.to_string());
                }
            }
            CheckKind::Tcp(t) => host_port(&t.address, &mut out),
            CheckKind::Tls(t) => {
                host_port(&t.address, &mut out);
                out.push(t.server_name.clone());
            }
            CheckKind::Dns(d) => {
                out.push(d.name.clone());
                out.push(d.name.trim_end_matches('.').to_owned());
                out.extend(d.expect.clone());
                if let Some(resolver) = d.resolver {
                    out.push(resolver.to_string());
                    out.push(resolver.ip().to_string());
                }
            }
            CheckKind::Push(p) => out.push(p.token.clone()),
        }
        out
    }

    /// Ports of the target, scrubbed where they follow a colon.
    fn target_ports(&self) -> Vec<u16> {
        let port_of = |address: &str| address.rsplit_once(':')?.1.parse::<u16>().ok();
        match &self.kind {
            CheckKind::Http(h) => url::Url::parse(&h.url)
                .ok()
                .and_then(|u| u.port_or_known_default())
                .into_iter()
                .collect(),
            CheckKind::Tcp(t) => port_of(&t.address).into_iter().collect(),
            CheckKind::Tls(t) => port_of(&t.address).into_iter().collect(),
            CheckKind::Dns(d) => d.resolver.map(|r| r.port()).into_iter().collect(),
            CheckKind::Push(_) => Vec::new(),
        }
    }
}

/// `scheme://host[:port]/path` of an http(s) URL.
fn without_query(url: &url::Url) -> Option<String> {
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let (scheme, host, path) = (url.scheme(), url.host_str()?, url.path());
    Some(format!("{scheme}://{host}{port}{path}"))
}

/// `text` with every occurrence of `needle` (ASCII case ignored) redacted.
fn replace_ignoring_case(text: &str, needle: &str) -> String {
    let (lower, wanted) = (text.to_ascii_lowercase(), needle.to_ascii_lowercase());
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    // ASCII lower-casing keeps byte offsets, so matches in `lower` index `text`.
    for (at, _) in lower.match_indices(&wanted) {
        if at < rest {
            continue;
        }
        out.push_str(&text[rest..at]);
        out.push_str(REDACTED);
        rest = at + wanted.len();
    }
    out.push_str(&text[rest..]);
    out
}

/// `text` with `:port` redacted wherever no digit follows it.
fn redact_port(text: &str, port: u16) -> String {
    let needle = format!(":{port}");
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in text.match_indices(&needle) {
        let end = at + needle.len();
        if text[end..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        out.push_str(&text[rest..at]);
        out.push(':');
        out.push_str(REDACTED);
        rest = end;
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::domain::{
        CheckId, ComponentId, DnsCheck, DnsRecord, HttpCheck, PushCheck, StatusMatcher, TcpCheck,
    };

    fn spec(kind: CheckKind, public_target: bool) -> CheckSpec {
        CheckSpec {
            id: CheckId::parse("c").unwrap(),
            label: "C".into(),
            public_target,
            component: ComponentId::parse("x").unwrap(),
            kind,
            interval: Duration::from_secs(10),
            timeout: Duration::from_secs(1),
            degraded_over: None,
            failure_threshold: 1,
            recovery_threshold: 1,
        }
    }

    fn http(url: &str) -> CheckKind {
        CheckKind::Http(HttpCheck {
            url: url.into(),
            method: "GET".into(),
            headers: vec![
                ("X-Key".into(), "SECRET789".into()),
                ("X-N".into(), "1".into()),
            ],
            expect_status: vec![StatusMatcher::Class(2)],
            expect_body: None,
        })
    }

    const URL: &str = "http://user:pw12@10.0.0.5:9109/internal/health?key=SECRET456#frag";

    #[test]
    fn targets_are_hidden_unless_public_and_then_lose_query_and_credentials() {
        assert_eq!(spec(http(URL), false).shown_target(), None);
        let shown = spec(http(URL), true).shown_target();
        assert_eq!(
            shown.as_deref(),
            Some("http://10.0.0.5:9109/internal/health")
        );
        let https = spec(http("https://API.example.com/?x=1"), true).shown_target();
        assert_eq!(https.as_deref(), Some("https://api.example.com/"));
        let tcp = CheckKind::Tcp(TcpCheck {
            address: "db.internal:5432".into(),
        });
        assert_eq!(spec(tcp.clone(), false).shown_target(), None);
        assert_eq!(
            spec(tcp, true).shown_target().as_deref(),
            Some("db.internal:5432")
        );
        let dns = CheckKind::Dns(DnsCheck {
            name: "api.example.com".into(),
            record: DnsRecord::Aaaa,
            expect: None,
            resolver: Some("10.0.0.53:53".parse().unwrap()),
        });
        let shown = spec(dns, true).shown_target();
        assert_eq!(shown.as_deref(), Some("AAAA api.example.com"));
        let push = CheckKind::Push(PushCheck {
            token: "t".repeat(16),
            grace: Duration::from_secs(1),
        });
        assert_eq!(spec(push, true).shown_target(), None);
    }

    #[test]
    fn public_reasons_lose_every_target_string() {
        let check = spec(http(URL), true);
        let cases = [
            ("connection refused", "connection refused"),
            (
                "error sending request for url (http://user:pw12@10.0.0.5:9109/internal/health?key=SECRET456#frag)",
                "error sending request for url ([redacted])",
            ),
            (
                "GET HTTP://10.0.0.5:9109/Internal/Health: bad",
                "GET [redacted]: bad",
            ),
            ("no route to [redacted]", "no route to [redacted]"),
            ("tcp connect to 10.0.0.5:9109", "tcp connect to [redacted]"),
            ("localhost:9109 refused", "localhost:[redacted] refused"),
            ("port :91090 stays", "port :91090 stays"),
            ("header SECRET789 1", "header [redacted] 1"),
            ("key SECRET456", "key [redacted]"),
        ];
        for (reason, want) in cases {
            assert_eq!(check.public_reason(reason), want, "{reason}");
        }
        let dns = spec(
            CheckKind::Dns(DnsCheck {
                name: "api.example.com.".into(),
                record: DnsRecord::A,
                expect: Some("203.0.113.10".into()),
                resolver: Some("10.0.0.53:5353".parse().unwrap()),
            }),
            false,
        );
        assert_eq!(
            dns.public_reason("no answer for api.example.com from 10.0.0.53:5353 (203.0.113.10)"),
            "no answer for [redacted] from [redacted] ([redacted])"
        );
    }
}
