//! `slack`, `discord`, `teams`: each platform's incoming-webhook JSON, with
//! one readable line and a link to the page.

use beacon::notify::{Chat, ChatKind, Outcome, client};

use super::message;
use crate::receivers::{Answer, HookReceiver};

const LINK: &str = "https://status.acme.example/components/api";

async fn post(kind: ChatKind, line: &str) -> serde_json::Value {
    let receiver = HookReceiver::start(None).await;
    let chat = Chat::new(client().unwrap(), kind, &receiver.url()).unwrap();
    assert_eq!(chat.send(&message(line)).await, Outcome::Delivered);
    let got = receiver.requests();
    assert_eq!(got.len(), 1, "one POST");
    assert_eq!(got[0].header("content-type"), "application/json");
    got[0].json()
}

#[tokio::test]
async fn slack_gets_text_with_a_link_and_markup_escaped() {
    let body = post(ChatKind::Slack, "Public API is down <b>& out</b>").await;
    assert_eq!(
        body,
        serde_json::json!({
            "text": format!("Public API is down &lt;b&gt;&amp; out&lt;/b&gt; <{LINK}|Open the status page>")
        })
    );
}

#[tokio::test]
async fn discord_gets_content_with_a_link_and_mentions_off() {
    let body = post(ChatKind::Discord, "@everyone Public API is down").await;
    assert_eq!(
        body["content"],
        format!("@everyone Public API is down\n{LINK}")
    );
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
}

#[tokio::test]
async fn teams_gets_a_message_card_with_an_open_button() {
    let body = post(ChatKind::Teams, "Public API is down").await;
    assert_eq!(body["@type"], "MessageCard");
    assert_eq!(body["@context"], "https://schema.org/extensions");
    assert_eq!(body["title"], "[Acme Status] Public API is down");
    assert_eq!(body["summary"], "[Acme Status] Public API is down");
    assert_eq!(body["text"], "Public API is down");
    let action = &body["potentialAction"][0];
    assert_eq!(action["@type"], "OpenUri");
    assert_eq!(action["targets"][0]["uri"], LINK);
}

#[tokio::test]
async fn a_chat_platform_error_is_a_retry() {
    let receiver = HookReceiver::start(None).await;
    receiver.answer(Answer::Fail(503));
    let chat = Chat::new(client().unwrap(), ChatKind::Slack, &receiver.url()).unwrap();
    assert_eq!(
        chat.send(&message("x")).await,
        Outcome::Retry("HTTP 503 Service Unavailable".into())
    );
}
