//! Config tests of the `dns`, `tls` and `push` keys.

use std::time::Duration;

use crate::config::tests::{assert_cases, check, parse, problems};
use crate::domain::{CheckKind, DnsCheck, DnsRecord, PushCheck, TlsCheck};

const TOKEN: &str = "abcdefghijklmnop_-123";

/// A dns check: `kind` on line 7, `name` on line 8, `extra` from line 9.
fn dns(extra: &str) -> String {
    check(&format!("kind = \"dns\"\nname = \"example.com\"\n{extra}"))
}

/// A tls check: `kind` on line 7, `address` on line 8, `extra` from line 9.
fn tls(address: &str, extra: &str) -> String {
    check(&format!("kind = \"tls\"\naddress = \"{address}\"\n{extra}"))
}

/// A push check: `kind` on line 7, `token` on line 8, `extra` from line 9.
fn push(token: &str, extra: &str) -> String {
    check(&format!("kind = \"push\"\ntoken = \"{token}\"\n{extra}"))
}

fn kind(text: &str) -> CheckKind {
    let config = parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    config.checks[0].kind.clone()
}

#[test]
fn dns_keys_parse_with_defaults() {
    let want = DnsCheck {
        name: "example.com".into(),
        record: DnsRecord::A,
        expect: None,
        resolver: None,
    };
    assert_eq!(kind(&dns("")), CheckKind::Dns(want));
    let text = dns("record = \"mx\"\nexpect = \"mail.example.com.\"\nresolver = \"[::1]:5353\"\n");
    let want = DnsCheck {
        name: "example.com".into(),
        record: DnsRecord::Mx,
        expect: Some("mail.example.com.".into()),
        resolver: Some("[::1]:5353".parse().expect("address")),
    };
    assert_eq!(kind(&text), CheckKind::Dns(want));
    let CheckKind::Dns(d) = kind(&dns("record = \"AAAA\"\nexpect = \"2001:db8::1\"\n")) else {
        panic!("dns")
    };
    assert_eq!(d.record, DnsRecord::Aaaa);
}

#[test]
fn tls_keys_parse_with_defaults() {
    let want = TlsCheck {
        address: "example.com:443".into(),
        server_name: "example.com".into(),
        min_days_left: 14,
    };
    assert_eq!(kind(&tls("example.com:443", "")), CheckKind::Tls(want));
    let text = tls("[::1]:8443", "min_days_left = 0\n");
    let want = TlsCheck {
        address: "[::1]:8443".into(),
        server_name: "::1".into(),
        min_days_left: 0,
    };
    assert_eq!(kind(&text), CheckKind::Tls(want));
    let text = tls("10.0.0.1:443", "server_name = \"internal.example\"\n");
    let CheckKind::Tls(t) = kind(&text) else {
        panic!("tls")
    };
    assert_eq!(t.server_name, "internal.example");
}

#[test]
fn push_keys_parse_and_grace_defaults_to_half_the_interval() {
    let config = parse(&push(TOKEN, "interval = \"1m\"\n")).expect("valid");
    let c = &config.checks[0];
    let want = PushCheck {
        token: TOKEN.into(),
        grace: Duration::from_secs(30),
    };
    assert_eq!(c.kind, CheckKind::Push(want));
    assert_eq!(
        c.kind.target(),
        "incoming pings",
        "the token is never shown"
    );
    assert!(!format!("{c:?}").contains(TOKEN), "Debug redacts the token");
    let CheckKind::Push(p) = kind(&push(TOKEN, "grace = \"5m\"\n")) else {
        panic!("push")
    };
    assert_eq!(p.grace, Duration::from_secs(300));
}

#[test]
#[rustfmt::skip]
fn dns_tls_and_push_reject_bad_values() {
    let long = "a".repeat(129);
    assert_cases(&[
        ("record", dns("record = \"SRV\"\n"), 9, 10, "unknown record type \"SRV\" (use one of A, AAAA, CNAME, MX, TXT)"),
        ("name", check("kind = \"dns\"\nname = \"exa mple\"\n"), 8, 8, "`name` \"exa mple\" is not a DNS name"),
        ("no name", check("kind = \"dns\"\n"), 4, 1, "check \"c\": missing required key `name`"),
        ("expect ipv4", dns("expect = \"mail.example.com\"\n"), 9, 10, "must be an IPv4 address for A records"),
        ("expect ipv6", dns("record = \"AAAA\"\nexpect = \"1.2.3.4\"\n"), 10, 10, "must be an IPv6 address for AAAA records"),
        ("expect empty", dns("expect = \"\"\n"), 9, 10, "`expect` must not be empty"),
        ("resolver", dns("resolver = \"8.8.8.8\"\n"), 9, 12, "`resolver` \"8.8.8.8\" is not ip:port"),
        ("resolver name", dns("resolver = \"dns.google:53\"\n"), 9, 12, "is not ip:port"),
        ("tls address", tls("example.com", ""), 8, 11, "\"example.com\" is not host:port"),
        ("tls days", tls("h:443", "min_days_left = -1\n"), 9, 17, "`min_days_left` must be between 0 and 3650, not -1"),
        ("tls name", tls("h:443", "server_name = \"a b\"\n"), 9, 15, "`server_name` \"a b\" is not a DNS name or an IP address"),
        ("no address", check("kind = \"tls\"\n"), 4, 1, "missing required key `address`"),
        ("short token", push("abc", ""), 8, 9, "`token` must be 16 to 128 characters long, not 3"),
        ("long token", push(&long, ""), 8, 9, "must be 16 to 128 characters long, not 129"),
        ("token chars", push("abcdefghijklmnop/q", ""), 8, 9, "`token` may only contain A-Z, a-z, 0-9, _ and -, not '/'"),
        ("no token", check("kind = \"push\"\n"), 4, 1, "check \"c\": missing required key `token`"),
        ("push timeout", push(TOKEN, "timeout = \"5s\"\n"), 9, 1, "`timeout` does not apply to push checks"),
        ("push degraded", push(TOKEN, "degraded_over = \"1s\"\n"), 9, 1, "`degraded_over` does not apply to push checks"),
        ("grace", push(TOKEN, "grace = \"soon\"\n"), 9, 9, "invalid duration \"soon\""),
    ]);
}

#[test]
#[rustfmt::skip]
fn keys_of_another_kind_are_named_with_their_owners() {
    let tcp = check("kind = \"tcp\"\naddress = \"h:1\"\nname = \"example.com\"\n");
    assert_cases(&[
        ("name on tcp", tcp, 9, 1, "`name` belongs to dns checks, not tcp"),
        ("token on dns", dns(&format!("token = \"{TOKEN}\"\n")), 9, 1, "`token` belongs to push checks, not dns"),
        ("address on dns", dns("address = \"h:1\"\n"), 9, 1, "`address` belongs to tcp or tls checks, not dns"),
        ("url on push", push(TOKEN, "url = \"http://x/\"\n"), 9, 1, "`url` belongs to http checks, not push"),
        ("grace on tls", tls("h:1", "grace = \"1s\"\n"), 9, 1, "`grace` belongs to push checks, not tls"),
        ("min days on http", check("kind = \"http\"\nurl = \"http://x/\"\nmin_days_left = 3\n"), 9, 1, "`min_days_left` belongs to tls checks"),
    ]);
}

#[test]
fn a_token_used_twice_is_reported_at_the_second_use() {
    let text = format!(
        "{}[[checks]]\nid = \"d\"\ncomponent = \"api\"\nkind = \"push\"\ntoken = \"{TOKEN}\"\n",
        push(TOKEN, "")
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (line, column, message) = &found[0];
    assert_eq!((*line, *column), (13, 9), "{message}");
    assert!(
        message.starts_with("check \"d\": `token` is already used by another push check (line 8)"),
        "{message}"
    );
    assert!(
        !message.contains(TOKEN),
        "the token is not echoed: {message}"
    );
}
