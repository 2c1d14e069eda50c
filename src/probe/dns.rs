//! `kind = "dns"`: the name has answers of the record type, and `expect`
//! among them when given (SPEC §2).
//!
//! A fresh resolver per attempt: nothing is cached between attempts, so every
//! result reflects what the DNS answers now. `/etc/hosts` is never consulted.

use std::net::IpAddr;
use std::time::Instant;

use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};

use super::Attempt;
use super::reasons::io_reason;
use crate::domain::{DnsCheck, DnsRecord};

/// One attempt. The caller bounds it with the check's timeout.
pub async fn run(check: &DnsCheck) -> Attempt {
    let resolver = match resolver(check) {
        Ok(r) => r,
        Err(e) => return Attempt::failed(format!("DNS lookup failed: {}", describe(&e)), None),
    };
    let started = Instant::now();
    let lookup = resolver
        .lookup(check.name.as_str(), record_type(check.record))
        .await;
    let latency = Some(started.elapsed());
    let (answers, missing) = match lookup {
        Ok(lookup) => {
            let data = lookup.answers().iter().map(|r| &r.data);
            (data.filter_map(|d| answer(d, check.record)).collect(), "")
        }
        Err(e) if e.is_nx_domain() => (Vec::new(), " (the name does not exist)"),
        Err(e) if e.is_no_records_found() => (Vec::new(), ""),
        Err(e) => {
            return Attempt::failed(format!("DNS lookup failed: {}", describe(&e)), None);
        }
    };
    Attempt {
        failure: judge(check, &answers).map(|reason| reason + missing),
        latency,
    }
}

/// A resolver for `check.resolver`, else one from the system's configuration.
fn resolver(check: &DnsCheck) -> Result<TokioResolver, NetError> {
    let mut builder = match check.resolver {
        Some(server) => {
            let mut name_server = NameServerConfig::udp_and_tcp(server.ip());
            for connection in &mut name_server.connections {
                connection.port = server.port();
            }
            let config = ResolverConfig::from_name_servers(vec![name_server]);
            Resolver::builder_with_config(config, TokioRuntimeProvider::default())
        }
        None => Resolver::builder_tokio()?,
    };
    builder.options_mut().use_hosts_file = ResolveHosts::Never;
    builder.build()
}

fn record_type(record: DnsRecord) -> RecordType {
    match record {
        DnsRecord::A => RecordType::A,
        DnsRecord::Aaaa => RecordType::AAAA,
        DnsRecord::Cname => RecordType::CNAME,
        DnsRecord::Mx => RecordType::MX,
        DnsRecord::Txt => RecordType::TXT,
    }
}

/// One answer as people write it (`1.2.3.4`, `10 mail.example.com`, TXT
/// text); records of other types (a CNAME on the way to an A) are skipped.
fn answer(data: &RData, record: DnsRecord) -> Option<String> {
    let name = |n: &hickory_resolver::proto::rr::Name| {
        let n = n.to_string();
        n.strip_suffix('.').unwrap_or(&n).to_owned()
    };
    match (record, data) {
        (DnsRecord::A, RData::A(a)) => Some(a.0.to_string()),
        (DnsRecord::Aaaa, RData::AAAA(a)) => Some(a.0.to_string()),
        (DnsRecord::Cname, RData::CNAME(c)) => Some(name(&c.0)),
        (DnsRecord::Mx, RData::MX(mx)) => Some(format!("{} {}", mx.preference, name(&mx.exchange))),
        (DnsRecord::Txt, RData::TXT(txt)) => Some(
            txt.txt_data
                .iter()
                .map(|part| String::from_utf8_lossy(part))
                .collect(),
        ),
        _ => None,
    }
}

/// Why the answers fail the check, if they do. Neither the name nor the
/// answers are quoted: reasons are public (SPEC §2); the log has the answers.
fn judge(check: &DnsCheck, answers: &[String]) -> Option<String> {
    let record = check.record.name();
    if answers.is_empty() {
        return Some(format!("no {record} records"));
    }
    let expect = check.expect.as_deref()?;
    if answers.iter().any(|a| matches(check.record, expect, a)) {
        return None;
    }
    tracing::debug!(name = %check.name, ?answers, expect, "dns answers lack the expected value");
    let n = answers.len();
    let plural = if n == 1 { "" } else { "s" };
    Some(format!(
        "the expected value is not among the {n} {record} answer{plural}"
    ))
}

/// Whether `answer` is the `expect`ed value: addresses compare as addresses,
/// names ignore case and a final dot (an MX matches by exchange alone too),
/// TXT text ignores case.
fn matches(record: DnsRecord, expect: &str, answer: &str) -> bool {
    let name = |s: &str| s.trim().trim_end_matches('.').to_ascii_lowercase();
    match record {
        DnsRecord::A | DnsRecord::Aaaa => {
            match (expect.parse::<IpAddr>(), answer.parse::<IpAddr>()) {
                (Ok(want), Ok(got)) => want == got,
                _ => expect.eq_ignore_ascii_case(answer),
            }
        }
        DnsRecord::Cname => name(expect) == name(answer),
        DnsRecord::Mx => {
            let exchange = answer.split_once(' ').map_or(answer, |(_, e)| e);
            name(expect) == name(answer) || name(expect) == name(exchange)
        }
        DnsRecord::Txt => expect.eq_ignore_ascii_case(answer),
    }
}

/// A readable reason for a failed lookup.
fn describe(e: &NetError) -> String {
    match e {
        NetError::Dns(DnsError::ResponseCode(code)) => format!("server answered {code}"),
        NetError::Io(io) => io_reason(io),
        NetError::Timeout => "no answer from the DNS server".to_owned(),
        other => {
            tracing::debug!(error = %other, "dns lookup failed");
            "no usable answer".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(record: DnsRecord, expect: Option<&str>) -> DnsCheck {
        DnsCheck {
            name: "example.test".into(),
            record,
            expect: expect.map(str::to_owned),
            resolver: None,
        }
    }

    /// (name, record, expect, answers, reason wanted)
    type Case = (
        &'static str,
        DnsRecord,
        Option<&'static str>,
        &'static [&'static str],
        Option<&'static str>,
    );

    #[test]
    #[rustfmt::skip]
    fn judging_answers() {
        use DnsRecord::*;
        let cases: [Case; 11] = [
            ("any answer", A, None, &["5.6.7.8"], None),
            ("none", A, None, &[], Some("no A records")),
            ("none aaaa", Aaaa, Some("::1"), &[], Some("no AAAA records")),
            ("expected", A, Some("1.2.3.4"), &["5.6.7.8", "1.2.3.4"], None),
            ("missing", A, Some("1.2.3.4"), &["5.6.7.8"], Some("the expected value is not among the 1 A answer")),
            ("ipv6 forms", Aaaa, Some("2001:DB8:0::1"), &["2001:db8::1"], None),
            ("cname case and dot", Cname, Some("Edge.CDN.example."), &["edge.cdn.example"], None),
            ("mx exchange", Mx, Some("mail.example.test."), &["10 MAIL.example.test"], None),
            ("mx full", Mx, Some("10 mail.example.test"), &["10 mail.example.test"], None),
            ("txt case", Txt, Some("V=SPF1 -all"), &["v=spf1 -all"], None),
            ("txt other", Txt, Some("x"), &["v=spf1 -all", "y"], Some("the expected value is not among the 2 TXT answers")),
        ];
        for (name, record, expect, answers, want) in cases {
            let answers: Vec<String> = answers.iter().map(|a| a.to_string()).collect();
            assert_eq!(judge(&check(record, expect), &answers).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn reasons_quote_neither_the_name_nor_the_answers() {
        let answers: Vec<String> = (1..=8).map(|i| format!("10.0.0.{i}")).collect();
        let reason = judge(&check(DnsRecord::A, Some("1.2.3.4")), &answers).unwrap();
        assert_eq!(reason, "the expected value is not among the 8 A answers");
        let none = judge(&check(DnsRecord::Mx, None), &[]).unwrap();
        assert!(!none.contains("example.test"), "{none}");
    }
}
