//! Stable slugs that name components, checks (SPEC §2: `[a-z0-9-]+`) and
//! probe regions (SPEC §9), and the ids Beacon gives incidents and
//! maintenances (SPEC §6).

use std::fmt;

/// A slug that is not `[a-z0-9-]+` (or is longer than 64 characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a valid id: use 1 to 64 of a-z, 0-9 and -")]
pub struct InvalidSlug(pub String);

fn parse_slug(s: &str) -> Result<String, InvalidSlug> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(InvalidSlug(s.to_owned()))
    }
}

/// Length of an incident or maintenance id.
pub const RECORD_ID_LEN: usize = 12;

/// Text that is not an id Beacon could have given (12 of `0-9a-z`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a record id: Beacon's are 12 of 0-9 and a-z")]
pub struct InvalidRecordId(pub String);

/// The store draws them at random, like Statuspage's ids.
fn parse_record_id(s: &str) -> Result<String, InvalidRecordId> {
    let ok = s.len() == RECORD_ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(s.to_owned())
    } else {
        Err(InvalidRecordId(s.to_owned()))
    }
}

/// A newtype over checked text, serialized as the bare text.
macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $parse:ident -> $error:ty, $rule:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Parses ", $rule, ".")]
            pub fn parse(s: &str) -> Result<Self, $error> {
                $parse(s).map(Self)
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// Reads as its text (`as_deref`, `&str` arguments); it cannot be
        /// changed through it, so it stays a valid id.
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        /// An id equals the text it was parsed from.
        impl PartialEq<String> for $name {
            fn eq(&self, text: &String) -> bool {
                self.0 == *text
            }
        }

        /// An id equals the text it was parsed from.
        impl PartialEq<&str> for $name {
            fn eq(&self, text: &&str) -> bool {
                self.0 == *text
            }
        }
    };
}

text_id!(
    /// Id of a component (SPEC §2 `[[components]] id`).
    ComponentId, parse_slug -> InvalidSlug, "a slug of `[a-z0-9-]{1,64}`"
);
text_id!(
    /// Id of a check (SPEC §2 `[[checks]] id`).
    CheckId, parse_slug -> InvalidSlug, "a slug of `[a-z0-9-]{1,64}`"
);
text_id!(
    /// Id of an incident (SPEC §6 `/api/admin/incidents/{id}`, `/incidents/{id}`).
    IncidentId, parse_record_id -> InvalidRecordId, "12 of `0-9a-z`; anything else names no incident"
);
text_id!(
    /// Id of a maintenance (SPEC §6 `/api/admin/maintenances/{id}`, `/maintenances/{id}`).
    MaintenanceId, parse_record_id -> InvalidRecordId, "12 of `0-9a-z`; anything else names no maintenance"
);
text_id!(
    /// Name of a probe region (SPEC §9 `beacon probe --region`).
    RegionId, parse_slug -> InvalidSlug, "a slug of `[a-z0-9-]{1,64}`"
);

impl Default for RegionId {
    /// `default`: the region of a single-machine install.
    fn default() -> RegionId {
        RegionId(DEFAULT_REGION.to_owned())
    }
}

/// The region of results written without `--region` (SPEC §9).
pub const DEFAULT_REGION: &str = "default";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lowercase_digits_and_dashes_only() {
        for good in ["api", "a-1", "0", &"x".repeat(64)] {
            assert!(ComponentId::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "API", "a_b", "a b", "é", "../x", &"x".repeat(65)] {
            assert!(CheckId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn record_ids_are_twelve_lowercase_base36_characters() {
        for good in ["i00000000001", "k3x9q0c2m1za", "zzzzzzzzzzzz"] {
            assert_eq!(IncidentId::parse(good).unwrap().as_str(), good);
            assert!(MaintenanceId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "nope",
            "x1",
            "I00000000001",
            "i0000000000-",
            "i000000000012",
            "é0000000000",
        ] {
            assert!(IncidentId::parse(bad).is_err(), "{bad}");
            assert!(MaintenanceId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn record_ids_serialize_as_their_bare_text() {
        let id = MaintenanceId::parse("m00000000001").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""m00000000001""#);
        assert_eq!(id.to_string(), "m00000000001");
    }
}
