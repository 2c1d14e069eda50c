//! A visitor's note on a problem report (SPEC §10): plain text, bounded.

/// Longest note, in characters (SPEC §10).
pub const NOTE_MAX_CHARS: usize = 500;

/// A note as stored: trimmed, line breaks as `\n`, no other control
/// characters, at most [`NOTE_MAX_CHARS`] characters; may be empty. Plain
/// text: every page and API shows it escaped, never as markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportNote(String);

impl ReportNote {
    /// Cleans `text` as above; `Err` with the length when it is too long.
    pub fn parse(text: &str) -> Result<ReportNote, usize> {
        let cleaned: String = text
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        let cleaned = cleaned.trim();
        match cleaned.chars().count() {
            n if n > NOTE_MAX_CHARS => Err(n),
            _ => Ok(ReportNote(cleaned.to_owned())),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_cleaned_and_bounded() {
        let long = "é".repeat(501);
        let fits = "é".repeat(500);
        let cases: &[(&str, &str, Result<&str, usize>)] = &[
            ("empty", "", Ok("")),
            ("trimmed", "  login fails \r\n", Ok("login fails")),
            ("line breaks kept", "a\r\nb", Ok("a\nb")),
            ("controls dropped", "a\u{0}b\u{1b}[31m", Ok("ab[31m")),
            (
                "markup kept as text",
                "<script>x</script>",
                Ok("<script>x</script>"),
            ),
            ("500 characters", &fits, Ok(&fits)),
            ("501 characters", &long, Err(501)),
        ];
        for (name, input, want) in cases {
            let got = ReportNote::parse(input);
            assert_eq!(
                got.as_ref().map(ReportNote::as_str),
                want.as_ref().map(|s| *s),
                "{name}"
            );
        }
    }
}
