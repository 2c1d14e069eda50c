//! Config loading tests, and the helpers every config test file shares
//! (`check`, `http`, `parse`, `problems`, `assert_cases`).

use std::path::Path;
use std::time::Duration;

use super::{Config, ConfigError, position};
use crate::domain::{CheckKind, ComponentId, HttpCheck, StatusMatcher};

/// One component `api` on lines 1–3, for cases that need a valid check target.
pub(in crate::config) const COMPONENT: &str = "[[components]]\nid = \"api\"\nname = \"API\"\n";

/// A check `c` of component `api`: `[[checks]]` on line 4, `kind_lines` from line 7.
pub(in crate::config) fn check(kind_lines: &str) -> String {
    format!("{COMPONENT}[[checks]]\nid = \"c\"\ncomponent = \"api\"\n{kind_lines}")
}

/// A valid http check with `extra` starting on line 9.
pub(in crate::config) fn http(extra: &str) -> String {
    check(&format!(
        "kind = \"http\"\nurl = \"http://example.com/\"\n{extra}"
    ))
}

pub(in crate::config) fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("beacon.toml"))
}

/// The problems of an invalid file as (line, column, message).
pub(in crate::config) fn problems(text: &str) -> Vec<(usize, usize, String)> {
    match parse(text) {
        Err(ConfigError::Invalid { problems, .. }) => problems
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect(),
        other => panic!("expected problems for\n{text}\ngot {other:?}"),
    }
}

/// Each case must give exactly one problem, at (line, column), whose message has `fragment`.
pub(in crate::config) fn assert_cases(cases: &[(&str, String, usize, usize, &str)]) {
    for (name, text, line, column, fragment) in cases {
        let found = problems(text);
        assert_eq!(found.len(), 1, "{name}: {found:#?}");
        let (l, c, message) = &found[0];
        assert_eq!((l, c), (line, column), "{name}: {message}");
        assert!(
            message.contains(fragment),
            "{name}: {message:?} lacks {fragment:?}"
        );
    }
}

const SPEC_EXAMPLE: &str = r#"[site]
title = "Acme Status"
url = "https://status.acme.example/"
description = "Live status of Acme services"
timezone = "Europe/Berlin"
history_days = 30

[server]
listen = "127.0.0.1:8080"
cache_max_age = "1m"

[database]
url = "sqlite://beacon.db"
retention_days = 14

[[components]]
id = "api"
name = "Public API"
group = "Core"
description = "REST API at api.acme.example"
auto_incidents = false

[[components]]
id = "db"
name = "Database"

[[checks]]
id = "api-health"
component = "api"
kind = "http"
url = "https://api.acme.example/health"
method = "HEAD"
interval = "30s"
timeout = "5s"
expect_status = [200, "3xx"]
expect_body = "ok"
degraded_over = "800ms"
failure_threshold = 4
recovery_threshold = 1
headers = { "User-Agent" = "beacon", Accept = "text/plain" }

[[checks]]
id = "db-port"
component = "db"
kind = "tcp"
address = "db.acme.example:5432"
interval = "4s"
"#;

#[test]
fn positions_are_one_based_and_count_characters() {
    let text = "ab\néé = 1\n";
    assert_eq!(position(text, 0), (1, 1));
    assert_eq!(position(text, 3), (2, 1));
    assert_eq!(position(text, 7), (2, 3)); // after two 2-byte characters
    assert_eq!(position(text, 4), (2, 1)); // inside a character: its start
    assert_eq!(position(text, 999), (3, 1));
}

#[test]
fn the_spec_example_parses_into_the_values_written() {
    let config = parse(SPEC_EXAMPLE).expect("valid");
    assert_eq!(config.site.title, "Acme Status");
    assert_eq!(
        config.site.url.as_deref(),
        Some("https://status.acme.example")
    );
    assert_eq!(config.site.description, "Live status of Acme services");
    assert_eq!(config.site.timezone, chrono_tz::Europe::Berlin);
    assert_eq!(config.site.history_days, 30);
    assert_eq!(config.server.listen.as_deref(), Some("127.0.0.1:8080"));
    assert_eq!(config.server.cache_max_age, Duration::from_secs(60));
    assert_eq!(config.database.url.as_deref(), Some("sqlite://beacon.db"));
    assert_eq!(config.database.retention_days, 14);

    let ids: Vec<&str> = config.components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["api", "db"]);
    let api = &config.components[0];
    assert_eq!(
        (api.name.as_str(), api.group.as_deref()),
        ("Public API", Some("Core"))
    );
    assert_eq!(
        api.description.as_deref(),
        Some("REST API at api.acme.example")
    );
    assert!(!api.auto_incidents);
    let db = &config.components[1];
    assert_eq!(
        (
            db.group.as_ref(),
            db.description.as_ref(),
            db.auto_incidents
        ),
        (None, None, true)
    );

    let health = &config.checks[0];
    assert_eq!(
        (health.id.as_str(), health.component.as_str()),
        ("api-health", "api")
    );
    let want = HttpCheck {
        url: "https://api.acme.example/health".into(),
        method: "HEAD".into(),
        headers: vec![
            ("User-Agent".into(), "beacon".into()),
            ("Accept".into(), "text/plain".into()),
        ],
        expect_status: vec![StatusMatcher::Code(200), StatusMatcher::Class(3)],
        expect_body: Some("ok".into()),
    };
    assert_eq!(health.kind, CheckKind::Http(want));
    assert_eq!(
        (health.interval, health.timeout),
        (Duration::from_secs(30), Duration::from_secs(5))
    );
    assert_eq!(health.degraded_over, Some(Duration::from_millis(800)));
    assert_eq!(
        (health.failure_threshold, health.recovery_threshold),
        (4, 1)
    );

    let port = &config.checks[1];
    assert_eq!(port.kind.target(), "db.acme.example:5432");
    assert_eq!(port.kind.name(), "tcp");
    // Defaults: timeout is half of a short interval; thresholds 3 and 2.
    assert_eq!(
        (port.interval, port.timeout),
        (Duration::from_secs(4), Duration::from_secs(2))
    );
    assert_eq!(
        (
            port.degraded_over,
            port.failure_threshold,
            port.recovery_threshold
        ),
        (None, 3, 2)
    );

    let api_id = ComponentId::parse("api").expect("slug");
    assert_eq!(
        config.component(&api_id).map(|c| c.name.as_str()),
        Some("Public API")
    );
    let other = ComponentId::parse("nope").expect("slug");
    assert!(config.component(&other).is_none());
}

#[test]
fn an_empty_file_gives_every_default() {
    let config = parse("").expect("valid");
    assert_eq!(config.site.title, "Status");
    assert_eq!(
        (config.site.url.as_ref(), config.site.description.as_str()),
        (None, "")
    );
    assert_eq!(
        (config.site.timezone, config.site.history_days),
        (chrono_tz::UTC, 90)
    );
    assert_eq!(config.server.listen, None);
    assert_eq!(config.server.cache_max_age, Duration::from_secs(30));
    assert_eq!(
        (config.database.url.as_ref(), config.database.retention_days),
        (None, 90)
    );
    assert_eq!(config.reports, super::Reports::default());
    assert!(config.server.trusted_proxies.is_empty());
    assert!(config.components.is_empty() && config.checks.is_empty());
}

#[test]
fn reports_and_trusted_proxies_take_the_values_written() {
    let text = "[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n\
                [reports]\nenabled = false\npublic = true\nthreshold = 3\nwindow = \"15m\"\n";
    let config = parse(text).expect("valid");
    let nets: Vec<String> = config
        .server
        .trusted_proxies
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(nets, ["10.0.0.0/8", "::1/128"]);
    let r = &config.reports;
    assert_eq!(
        (r.enabled, r.public, r.threshold, r.window),
        (false, true, 3, Duration::from_secs(900))
    );
}

#[test]
fn check_defaults_follow_the_spec() {
    let config = parse(&http("")).expect("valid");
    let c = &config.checks[0];
    let CheckKind::Http(h) = &c.kind else {
        panic!("not http: {:?}", c.kind)
    };
    assert_eq!(
        (h.method.as_str(), h.headers.len(), h.expect_body.as_ref()),
        ("GET", 0, None)
    );
    assert_eq!(h.expect_status, [StatusMatcher::Class(2)]);
    // 60s interval: the timeout is capped at 10s, not half the interval.
    assert_eq!(
        (c.interval, c.timeout),
        (Duration::from_secs(60), Duration::from_secs(10))
    );
    assert_eq!(
        (c.degraded_over, c.failure_threshold, c.recovery_threshold),
        (None, 3, 2)
    );
}

#[test]
fn problems_in_different_entries_are_all_reported_in_file_order() {
    let text = format!(
        "{COMPONENT}\
             [[checks]]\nid = \"one\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"h:1\"\ncolour = \"red\"\n\
             [[checks]]\nid = \"two\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"h:1\"\n\
             [[checks]]\nid = \"one\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"h:1\"\n\
             [[checks]]\nid = \"four\"\ncomponent = \"api\"\nkind = \"tcp\"\naddress = \"h:1\"\ninterval = \"1s\"\ntimeout = \"2s\"\n"
    );
    let found = problems(&text);
    let at: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(at, [(9, 1), (16, 6), (26, 11)], "{found:#?}");
    assert!(found[0].2.contains("unknown key `colour`"));
    assert!(
        found[1]
            .2
            .contains("duplicate check id \"one\" (first defined on line 5)")
    );
    assert!(
        found[2]
            .2
            .contains("`timeout` (2s) must be shorter than `interval` (1s)")
    );

    let Err(error) = parse(&text) else {
        panic!("invalid")
    };
    let lines: Vec<String> = error.to_string().lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], format!("beacon.toml:9:1: {}", found[0].2));
    assert!(
        lines[2].starts_with("beacon.toml:26:11: check \"four\": "),
        "{}",
        lines[2]
    );
}

#[test]
fn a_missing_file_is_one_line_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("beacon.toml");
    let error = Config::load(&path).expect_err("missing");
    assert!(matches!(error, ConfigError::Read { .. }), "{error:?}");
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!("cannot read config file {}: ", path.display())),
        "{shown}"
    );
    assert_eq!(shown.lines().count(), 1);

    std::fs::write(&path, SPEC_EXAMPLE).expect("write");
    assert_eq!(Config::load(&path).expect("valid").checks.len(), 2);
}
