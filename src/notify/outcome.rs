//! The answer of one send, shared by every kind.

use std::fmt;

/// What one attempt came to; the reasons name a status or an error, never a
/// secret or a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The target accepted it (HTTP 2xx, SMTP 250 after DATA).
    Delivered,
    /// Not delivered this time; a later attempt may succeed.
    Retry(String),
    /// Not delivered, and the same attempt would fail again (an address
    /// that is no address, an SMTP 5xx answer): no point retrying.
    Permanent(String),
}

impl Outcome {
    /// Whether the target accepted it.
    pub fn is_delivered(&self) -> bool {
        matches!(self, Outcome::Delivered)
    }

    /// Why it was not delivered, if it was not.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Delivered => None,
            Outcome::Retry(why) | Outcome::Permanent(why) => Some(why),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Delivered => f.write_str("delivered"),
            Outcome::Retry(why) => write!(f, "not delivered, will retry: {why}"),
            Outcome::Permanent(why) => write!(f, "not delivered, will not retry: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_a_sentence() {
        let cases = [
            (Outcome::Delivered, "delivered", None),
            (
                Outcome::Retry("HTTP 500".into()),
                "not delivered, will retry: HTTP 500",
                Some("HTTP 500"),
            ),
            (
                Outcome::Permanent("bad address".into()),
                "not delivered, will not retry: bad address",
                Some("bad address"),
            ),
        ];
        for (outcome, text, reason) in cases {
            assert_eq!(outcome.to_string(), text);
            assert_eq!(outcome.reason(), reason);
            assert_eq!(outcome.is_delivered(), reason.is_none());
        }
    }
}
