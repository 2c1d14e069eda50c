//! Stable slugs that name components, checks (SPEC §2: `[a-z0-9-]+`) and
//! probe regions (SPEC §9).

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

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses a slug of `[a-z0-9-]{1,64}`.
            pub fn parse(s: &str) -> Result<Self, InvalidSlug> {
                parse_slug(s).map(Self)
            }

            /// The slug as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// Id of a component (SPEC §2 `[[components]] id`).
    ComponentId
);
slug_id!(
    /// Id of a check (SPEC §2 `[[checks]] id`).
    CheckId
);
slug_id!(
    /// Name of a probe region (SPEC §9 `beacon probe --region`).
    RegionId
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
}
