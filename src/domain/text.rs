//! Operator text of SPEC §6, parsed once at the edge: a one-line [`Title`]
//! and a [`MarkdownBody`], each within the SPEC's limits.

use std::fmt;

/// Most characters in a title (SPEC §6).
pub const MAX_TITLE: usize = 200;
/// Most characters in a Markdown body (SPEC §6).
pub const MAX_BODY: usize = 20_000;

/// Why text is not a [`Title`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTitle {
    /// Blank once trimmed.
    #[error("the title is empty")]
    Empty,
    /// More than [`MAX_TITLE`] characters once trimmed.
    #[error("the title is longer than {MAX_TITLE} characters")]
    TooLong,
    /// A line break, tab or other control character.
    #[error("the title contains a control character")]
    ControlCharacter,
}

/// A one-line title: trimmed, 1 to [`MAX_TITLE`] characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    /// Trims `raw` and checks it, the first broken rule winning.
    pub fn parse(raw: &str) -> Result<Title, InvalidTitle> {
        let title = raw.trim();
        if title.is_empty() {
            Err(InvalidTitle::Empty)
        } else if title.chars().count() > MAX_TITLE {
            Err(InvalidTitle::TooLong)
        } else if title.chars().any(char::is_control) {
            Err(InvalidTitle::ControlCharacter)
        } else {
            Ok(Title(title.to_owned()))
        }
    }

    /// The title as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Title {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<Title> for String {
    fn from(t: Title) -> String {
        t.0
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why text is not a [`MarkdownBody`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidBody {
    /// More than [`MAX_BODY`] characters.
    #[error("the body is longer than {MAX_BODY} characters")]
    TooLong,
    /// Blank where text is required (an incident update).
    #[error("the body is empty")]
    Empty,
}

/// Operator Markdown of at most [`MAX_BODY`] characters, kept as written
/// (it is rendered and sanitized where it is shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownBody(String);

impl MarkdownBody {
    /// Any text within the limit, blank included (a maintenance's body).
    pub fn parse(raw: String) -> Result<MarkdownBody, InvalidBody> {
        if raw.chars().count() > MAX_BODY {
            Err(InvalidBody::TooLong)
        } else {
            Ok(MarkdownBody(raw))
        }
    }

    /// Text within the limit that is not blank (an incident update's body).
    pub fn parse_non_empty(raw: String) -> Result<MarkdownBody, InvalidBody> {
        let body = MarkdownBody::parse(raw)?;
        if body.0.trim().is_empty() {
            Err(InvalidBody::Empty)
        } else {
            Ok(body)
        }
    }

    /// The Markdown as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<MarkdownBody> for String {
    fn from(b: MarkdownBody) -> String {
        b.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_trimmed() {
        assert_eq!(
            Title::parse("  Database upgrade \n").unwrap().as_str(),
            "Database upgrade"
        );
    }

    #[test]
    fn a_blank_title_is_empty() {
        for raw in ["", "   ", "\n\t"] {
            assert_eq!(Title::parse(raw), Err(InvalidTitle::Empty), "{raw:?}");
        }
    }

    #[test]
    fn a_title_counts_characters_not_bytes() {
        assert!(Title::parse(&"é".repeat(MAX_TITLE)).is_ok());
        assert_eq!(
            Title::parse(&"é".repeat(MAX_TITLE + 1)),
            Err(InvalidTitle::TooLong)
        );
        assert_eq!(
            Title::parse(&format!("  {}  ", "x".repeat(MAX_TITLE)))
                .unwrap()
                .as_str()
                .len(),
            MAX_TITLE
        );
    }

    #[test]
    fn a_title_is_one_line_without_control_characters() {
        for raw in ["a\nb", "a\u{7}b", "a\tb", "a\u{1b}[31mb"] {
            assert_eq!(
                Title::parse(raw),
                Err(InvalidTitle::ControlCharacter),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn a_too_long_title_is_reported_before_its_control_characters() {
        let raw = format!("{}\u{7}", "x".repeat(MAX_TITLE));
        assert_eq!(Title::parse(&raw), Err(InvalidTitle::TooLong));
    }

    #[test]
    fn a_body_is_kept_as_written_up_to_the_limit() {
        let raw = format!("  *{}*  \n", "é".repeat(MAX_BODY - 7));
        assert_eq!(MarkdownBody::parse(raw.clone()).unwrap().as_str(), raw);
        assert_eq!(
            MarkdownBody::parse("x".repeat(MAX_BODY + 1)),
            Err(InvalidBody::TooLong)
        );
    }

    #[test]
    fn a_blank_body_is_allowed_only_where_text_is_optional() {
        assert_eq!(MarkdownBody::parse(" \n".into()).unwrap().as_str(), " \n");
        assert_eq!(
            MarkdownBody::parse_non_empty(" \n".into()),
            Err(InvalidBody::Empty)
        );
        assert!(MarkdownBody::parse_non_empty("Fixed.".into()).is_ok());
    }

    #[test]
    fn a_too_long_blank_body_is_too_long() {
        let raw = " ".repeat(MAX_BODY + 1);
        assert_eq!(
            MarkdownBody::parse_non_empty(raw),
            Err(InvalidBody::TooLong)
        );
    }
}
