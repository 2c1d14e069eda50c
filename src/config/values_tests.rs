//! What a file's values become: the SPEC §2 example, and every default.

use std::time::Duration;

use crate::config::tests::{SPEC_EXAMPLE, http, parse};
use crate::domain::{CheckKind, ComponentId, HttpCheck, StatusMatcher};

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
