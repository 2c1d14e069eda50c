//! Validation tests: impossible values in each section are reported at
//! their line:column, and unusual but valid values pass.

use crate::config::tests::{COMPONENT, assert_cases, check, http, parse, problems};

fn tcp(address: &str) -> String {
    check(&format!("kind = \"tcp\"\naddress = \"{address}\"\n"))
}

#[test]
#[rustfmt::skip]
fn sections_reject_impossible_values() {
    assert_cases(&[
        ("timezone", "[site]\ntimezone = \"Mars/Olympus\"\n".into(), 2, 12, "timezone \"Mars/Olympus\" is not an IANA"),
        ("history 0", "[site]\nhistory_days = 0\n".into(), 2, 16, "`history_days` must be between 1 and 365, not 0"),
        ("history 366", "[site]\nhistory_days = 366\n".into(), 2, 16, "between 1 and 365, not 366"),
        ("site url", "[site]\nurl = \"status.example\"\n".into(), 2, 7, "URL \"status.example\" is not an absolute URL"),
        ("site ftp", "[site]\nurl = \"ftp://status.example\"\n".into(), 2, 7, "must start with http:// or https://"),
        ("listen", "[server]\nlisten = \"8080\"\n".into(), 2, 10, "\"8080\" is not host:port"),
        ("max age", "[server]\ncache_max_age = \"soon\"\n".into(), 2, 17, "invalid duration \"soon\""),
        ("retention 0", "[database]\nretention_days = 0\n".into(), 2, 18, "`retention_days` must be at least 1, not 0"),
        ("retention huge", "[database]\nretention_days = 99999999999999999999\n".into(), 2, 18, "at least 1"),
        ("db url", "[database]\nurl = \"\"\n".into(), 2, 7, "`url` must not be empty"),
        ("proxy type", "[server]\ntrusted_proxies = [\"::1\", 7]\n".into(), 2, 27, "each `trusted_proxies` entry must be a string, found integer"),
        ("threshold 1", "[reports]\nthreshold = 1\n".into(), 2, 13, "[reports]: `threshold` must be between 2 and 10000, not 1"),
        ("window short", "[reports]\nwindow = \"10s\"\n".into(), 2, 10, "[reports]: `window` must be between 1m and 24h"),
        ("window bad", "[reports]\nwindow = \"soon\"\n".into(), 2, 10, "invalid duration \"soon\""),
        ("enabled type", "[reports]\nenabled = \"yes\"\n".into(), 2, 11, "`enabled` must be true or false, found string"),
        ("reports key", "[reports]\nlimit = 3\n".into(), 2, 1, "[reports]: unknown key `limit`"),
        ("quorum 0", "[probes]\nquorum = 0\n".into(), 2, 10, "[probes]: `quorum` must be between 1 and 1000, not 0"),
        ("quorum -2", "[probes]\nquorum = -2\n".into(), 2, 10, "`quorum` must be between 1 and 1000, not -2"),
        ("quorum type", "[probes]\nquorum = \"two\"\n".into(), 2, 10, "`quorum` must be an integer, found string"),
        ("probes key", "[probes]\nregions = 3\n".into(), 2, 1, "[probes]: unknown key `regions`"),
    ]);
}

#[test]
#[rustfmt::skip]
fn components_need_unique_slugs_and_a_name() {
    let dup = format!("{COMPONENT}[[components]]\nid = \"api\"\nname = \"Again\"\n");
    assert_cases(&[
        ("slug", "[[components]]\nid = \"Core_API\"\nname = \"A\"\n".into(), 2, 6, "\"Core_API\" is not a valid id"),
        ("no name", "[[components]]\nid = \"api\"\n".into(), 1, 1, "component \"api\": missing required key `name`"),
        ("no id", "\n[[components]]\nname = \"A\"\n".into(), 2, 1, "[[components]] #1: missing required key `id`"),
        ("dup", dup, 5, 6, "duplicate component id \"api\" (first defined on line 2)"),
    ]);
}

#[test]
#[rustfmt::skip]
fn checks_reject_impossible_values() {
    let two = format!("{}[[checks]]\nid = \"c\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"h:1\"\n", tcp("h:1"));
    let orphan = format!("{COMPONENT}[[checks]]\nid = \"c\"\ncomponent = \"nope\"\nkind = \"tcp\"\naddress = \"h:1\"\n");
    assert_cases(&[
        ("timeout", http("interval = \"5s\"\ntimeout = \"5s\"\n"), 10, 11, "`timeout` (5s) must be shorter than `interval` (5s)"),
        ("timeout 0", http("timeout = \"0s\"\n"), 9, 11, "`timeout` must be more than 0"),
        ("failure 0", http("failure_threshold = 0\n"), 9, 21, "`failure_threshold` must be at least 1, not 0"),
        ("recovery 0", http("recovery_threshold = 0\n"), 9, 22, "`recovery_threshold` must be at least 1, not 0"),
        ("threshold <0", http("recovery_threshold = -2\n"), 9, 22, "at least 1, not -2"),
        ("duration", http("interval = \"5 parsecs\"\n"), 9, 12, "invalid duration \"5 parsecs\""),
        ("too often", http("interval = \"50ms\"\n"), 9, 12, "`interval` must be at least 100ms, not 50ms"),
        ("degraded", http("timeout = \"2s\"\ndegraded_over = \"3s\"\n"), 10, 17, "`degraded_over` (3s) must be shorter than `timeout` (2s)"),
        ("degraded default", http("degraded_over = \"10s\"\n"), 9, 17, "shorter than `timeout` (10s)"),
        ("method", http("method = \"FETCH\"\n"), 9, 10, "invalid HTTP method \"FETCH\""),
        ("code", http("expect_status = [200, 600]\n"), 9, 23, "code 600 is not between 100 and 599"),
        ("class", http("expect_status = [\"6xx\"]\n"), 9, 18, "\"6xx\" is not a status class"),
        ("no statuses", http("expect_status = []\n"), 9, 17, "`expect_status` must not be empty"),
        ("header", http("headers = { \"Bad Header\" = \"x\" }\n"), 9, 13, "invalid header name \"Bad Header\""),
        ("address on http", http("address = \"h:1\"\n"), 9, 1, "`address` belongs to tcp or tls checks, not http"),
        ("url on tcp", format!("{}url = \"http://x/\"\n", tcp("h:1")), 9, 1, "`url` belongs to http checks, not tcp"),
        ("bad url", check("kind = \"http\"\nurl = \"ftp://example.com/\"\n"), 8, 7, "must start with http:// or https://"),
        ("relative url", check("kind = \"http\"\nurl = \"/health\"\n"), 8, 7, "is not an absolute URL"),
        ("no port", tcp("example.com"), 8, 11, "\"example.com\" is not host:port with a numeric port"),
        ("named port", tcp("example.com:https"), 8, 11, "is not host:port"),
        ("no host", tcp(":80"), 8, 11, "is not host:port"),
        ("no url", check("kind = \"http\"\n"), 4, 1, "check \"c\": missing required key `url`"),
        ("no address", check("kind = \"tcp\"\n"), 4, 1, "missing required key `address`"),
        ("no kind", check(""), 4, 1, "missing required key `kind`"),
        ("unknown kind", check("kind = \"smtp\"\n"), 7, 8, "unknown check kind \"smtp\" (expected one of http, tcp, dns, tls, push)"),
        ("slug", tcp("h:1").replace("id = \"c\"", "id = \"C!\""), 5, 6, "\"C!\" is not a valid id"),
        ("dup", two, 10, 6, "duplicate check id \"c\" (first defined on line 5)"),
        ("orphan", orphan, 6, 13, "check \"c\": component \"nope\" is not defined in [[components]]"),
    ]);
}

#[test]
fn ipv6_addresses_status_classes_and_small_intervals_are_accepted() {
    let config = parse(&tcp("[::1]:8080")).expect("valid");
    assert_eq!(config.checks[0].kind.target(), "[::1]:8080");
    let config = parse(&http(
        "expect_status = [\"5XX\", 418]\ninterval = \"100ms\"\n",
    ))
    .expect("valid");
    let crate::domain::CheckKind::Http(h) = &config.checks[0].kind else {
        panic!("http")
    };
    assert!(
        h.expect_status.iter().any(|m| m.matches(503))
            && h.expect_status.iter().any(|m| m.matches(418))
    );
    assert!(!h.expect_status.iter().any(|m| m.matches(200)));
    assert_eq!(
        config.checks[0].timeout,
        std::time::Duration::from_millis(50)
    );
}

#[test]
fn a_check_naming_an_invalid_component_reports_only_the_component() {
    let text = "[[components]]\nid = \"Bad\"\nname = \"B\"\n[[checks]]\nid = \"c\"\ncomponent = \"Bad\"\nkind = \"tcp\"\naddress = \"h:1\"\n";
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].0, found[0].1), (2, 6));
}

#[test]
fn label_and_public_target_default_to_the_id_and_private() {
    let config = parse(&http("")).expect("valid");
    let check = &config.checks[0];
    assert_eq!((check.label.as_str(), check.public_target), ("c", false));
    let text = http("label = \"  Health endpoint  \"\npublic_target = true\n");
    let check = parse(&text).expect("valid").checks.remove(0);
    assert_eq!(check.label, "Health endpoint");
    assert!(check.public_target);
}

#[test]
fn label_and_public_target_reject_bad_values_where_they_are() {
    let token = "push_token_0123456789";
    let push = check(&format!(
        "kind = \"push\"\ntoken = \"{token}\"\npublic_target = true\n"
    ));
    let long = format!("label = \"{}\"\n", "x".repeat(101));
    let cases = [
        (
            "empty label",
            http("label = \" \"\n"),
            9,
            9,
            "`label` must not be empty",
        ),
        ("long label", http(&long), 9, 9, "at most 100 characters"),
        ("two lines", http("label = \"a\\nb\"\n"), 9, 9, "one line"),
        (
            "not a bool",
            http("public_target = \"yes\"\n"),
            9,
            17,
            "true or false",
        ),
        (
            "push",
            push,
            9,
            1,
            "`public_target` does not apply to push checks",
        ),
        (
            "typo",
            http("public_targets = true\n"),
            9,
            1,
            "unknown key `public_targets`",
        ),
    ];
    assert_cases(&cases);
}

#[test]
fn the_quorum_defaults_to_the_majority_and_reads_a_positive_count() {
    assert_eq!(parse("").unwrap().probes.quorum, None);
    assert_eq!(parse("[probes]\n").unwrap().probes.quorum, None);
    assert_eq!(
        parse("[probes]\nquorum = 2\n").unwrap().probes.quorum,
        Some(2)
    );
}
