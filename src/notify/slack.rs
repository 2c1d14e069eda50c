//! Slack's incoming-webhook payload: `text` in Slack's mrkdwn, one line and
//! a link. Slack reads `&`, `<` and `>` as markup, so operator text is
//! escaped as Slack documents ("Escaping text").

use serde_json::{Value, json};

use super::Message;

/// `{"text": "<line> <link|Open the status page>"}`.
pub(super) fn payload(message: &Message) -> Value {
    let text = format!(
        "{} <{}|Open the status page>",
        escape(&message.line),
        escape(&message.link)
    );
    json!({ "text": text })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::chat::tests::message;

    #[test]
    fn one_line_and_a_link_with_markup_escaped() {
        let got = payload(&message(
            "API <down> & out",
            "https://s.example/c/api?a=1&b=2",
        ));
        assert_eq!(
            got,
            json!({ "text": "API &lt;down&gt; &amp; out <https://s.example/c/api?a=1&amp;b=2|Open the status page>" })
        );
    }
}
