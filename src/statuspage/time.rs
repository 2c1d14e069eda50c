//! The time format of every API v2 object.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::config::Config;

/// API v2 times: RFC 3339 with milliseconds, in the site timezone's offset (`Z` for UTC).
pub(super) fn api_time(config: &Config, at: DateTime<Utc>) -> String {
    at.with_timezone(&config.site.timezone)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}
