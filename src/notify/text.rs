//! Cutting text to a platform's limit so that it still reads well.

/// `text` when it has at most `max` characters; otherwise its start, cut at
/// the last space when one is near (within the last fifth), ending in "…",
/// `max` characters at most in all.
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let head: String = text.chars().take(max - 1).collect();
    let at_a_word_end = text.chars().nth(max - 1).is_some_and(char::is_whitespace);
    let near = head.len() - head.len() / 5;
    let cut = match head.rfind(char::is_whitespace) {
        Some(space) if space >= near && !at_a_word_end => &head[..space],
        _ => head.as_str(),
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_at_a_word_when_one_is_near() {
        let cases = [
            ("short", 10, "short"),
            ("exactly10!", 10, "exactly10!"),
            ("Public API is down", 10, "Public AP…"),
            ("Public API is down", 11, "Public API…"),
            ("Public API is down", 14, "Public API is…"),
            ("Public API is down", 16, "Public API is…"),
            ("ééééééé", 4, "ééé…"),
            ("anything", 1, "…"),
            ("anything", 0, ""),
        ];
        for (text, max, want) in cases {
            let got = shorten(text, max);
            assert_eq!(got, want, "{text:?} to {max}");
            assert!(got.chars().count() <= max);
        }
    }
}
