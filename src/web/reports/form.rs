//! The body of `POST /components/{id}/report`: `application/x-www-form-urlencoded`
//! decoded strictly (a value that is not UTF-8 is an error, not replaced).

use crate::domain::{NOTE_MAX_CHARS, ReportNote};

/// A decoded report form.
#[derive(Debug, PartialEq, Eq)]
pub struct ReportForm {
    pub note: ReportNote,
    /// The honeypot field was filled in: a bot.
    pub bot: bool,
}

/// Why a form was refused, worded for the visitor.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("The form could not be read: it is not valid UTF-8 form data.")]
    Malformed,
    #[error("The note is {0} characters long; at most {NOTE_MAX_CHARS} fit.")]
    TooLong(usize),
}

/// Decodes the form; fields other than `note` and the honeypot `website`
/// are ignored, as browsers may add some.
pub fn parse(body: &[u8]) -> Result<ReportForm, FormError> {
    let mut note = None;
    let mut bot = false;
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut halves = pair.splitn(2, |b| *b == b'=');
        let key = decode(halves.next().unwrap_or_default())?;
        let value = decode(halves.next().unwrap_or_default())?;
        match key.as_str() {
            "note" if note.is_none() => note = Some(value),
            "website" => bot |= !value.trim().is_empty(),
            _ => {}
        }
    }
    let note =
        ReportNote::parse(note.as_deref().unwrap_or_default()).map_err(FormError::TooLong)?;
    Ok(ReportForm { note, bot })
}

/// `+` as space, then percent-decoding; the bytes must be UTF-8.
fn decode(raw: &[u8]) -> Result<String, FormError> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| FormError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str) -> ReportNote {
        ReportNote::parse(text).unwrap()
    }

    #[test]
    fn forms_decode_strictly() {
        let long = format!("note={}", "a".repeat(501));
        let cases: &[(&str, &[u8], Result<ReportForm, FormError>)] = &[
            (
                "empty body",
                b"",
                Ok(ReportForm {
                    note: note(""),
                    bot: false,
                }),
            ),
            (
                "note",
                b"note=login+fails%21&website=",
                Ok(ReportForm {
                    note: note("login fails!"),
                    bot: false,
                }),
            ),
            (
                "utf-8 escapes",
                b"note=%C3%A9",
                Ok(ReportForm {
                    note: note("é"),
                    bot: false,
                }),
            ),
            (
                "honeypot",
                b"note=hi&website=http%3A%2F%2Fspam",
                Ok(ReportForm {
                    note: note("hi"),
                    bot: true,
                }),
            ),
            (
                "other fields",
                b"x=1&note=a&note=b",
                Ok(ReportForm {
                    note: note("a"),
                    bot: false,
                }),
            ),
            (
                "invalid escape bytes",
                b"note=%FF%FE",
                Err(FormError::Malformed),
            ),
            ("raw invalid bytes", b"note=\xff", Err(FormError::Malformed)),
            ("too long", long.as_bytes(), Err(FormError::TooLong(501))),
        ];
        for (name, body, want) in cases {
            assert_eq!(&parse(body), want, "{name}");
        }
    }
}
