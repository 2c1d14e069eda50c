//! Config loading tests (positions, problem order, the file on disk), and
//! the helpers every config test file shares (`check`, `http`, `parse`,
//! `problems`, `assert_cases`, `SPEC_EXAMPLE`).

use std::path::Path;

use super::{Config, ConfigError, position};

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

/// The example file of SPEC §2.
pub(in crate::config) const SPEC_EXAMPLE: &str = r#"[site]
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
