//! Values for seeding a store: check results as the probe writer records
//! them, and component ids.

use std::time::Duration;

/// The component id `id` (a valid slug).
pub fn component_id(id: &str) -> beacon::domain::ComponentId {
    beacon::domain::ComponentId::parse(id).unwrap()
}

/// One result of `check` at `when`, as the probe writer records it.
pub fn recorded(
    check: &str,
    when: chrono::DateTime<chrono::Utc>,
    outcome: beacon::domain::Outcome,
    latency_ms: u64,
) -> beacon::store::Recorded {
    let reason = (outcome != beacon::domain::Outcome::Ok).then(|| format!("{outcome:?} reason"));
    beacon::store::Recorded {
        result: beacon::domain::CheckResult {
            check: beacon::domain::CheckId::parse(check).unwrap(),
            at: when,
            outcome,
            latency: Some(Duration::from_millis(latency_ms)),
            reason,
        },
        tracker: beacon::status::Tracker::NEW.next(outcome, 1, 1),
        day: when.date_naive(),
        counted: true,
    }
}

/// A config with the check [`recorded`] results usually name: `api-health`
/// of component `api`, for the duties that read the config.
pub fn api_health_config() -> beacon::config::Config {
    let text = "[[components]]\nid = \"api\"\nname = \"Public API\"\n\n\
        [[checks]]\nid = \"api-health\"\ncomponent = \"api\"\nkind = \"tcp\"\n\
        address = \"127.0.0.1:1\"\ninterval = \"10s\"\n";
    beacon::config::Config::parse(text, std::path::Path::new("beacon.toml")).unwrap()
}
