//! The SPEC §8 transports against real receivers on 127.0.0.1: a webhook
//! receiver that verifies signatures, chat payloads as the platforms take
//! them, e-mail through aiosmtpd in plain, STARTTLS and implicit-TLS modes,
//! and an SMS gateway in Twilio's shape.

mod chat;
mod cli;
mod concurrency;
mod email;
mod events;
pub mod outbox;
mod sms;
mod subscriptions;
mod webhook;

use beacon::notify::Message;

/// A message as the outbox would build it for `line`, with hostile text in
/// the HTML that must arrive as it was sent.
pub fn message(line: &str) -> Message {
    Message {
        line: line.to_owned(),
        subject: format!("[Acme Status] {line}"),
        text: format!("{line}\n\nhttps://status.acme.example/components/api\n"),
        html: format!(
            "<p>{line}</p><p><a href=\"https://status.acme.example/components/api\">Status</a></p>"
        ),
        link: "https://status.acme.example/components/api".to_owned(),
    }
}

#[tokio::test]
async fn debug_output_names_no_secret() {
    use beacon::notify::email::{EmailSettings, Mailer, SmtpServer};
    use beacon::notify::{Chat, ChatKind, Secret, Sms, Webhook, client};

    let secret = Secret::new("s3cret-key");
    let webhook = Webhook::new(
        client().unwrap(),
        "https://h.example/x?token=t0k",
        Some(&secret),
    );
    let chat = Chat::new(
        client().unwrap(),
        ChatKind::Slack,
        "https://hooks.slack.com/services/T0/B0/t0k",
    );
    let to = vec!["+15550002222".to_owned()];
    let sms = Sms::new(
        client().unwrap(),
        "https://sms.example/t0k",
        "+1555",
        to,
        "AC1",
        secret.clone(),
    );
    let server = SmtpServer::parse("smtps://mail.acme.example", false).unwrap();
    let mut settings = EmailSettings::new(server, "status@acme.example");
    settings.credentials = Some(("beacon".to_owned(), secret));
    let mailer = Mailer::new(settings.clone()).await.unwrap();
    let shown = [
        format!("{webhook:?}"),
        format!("{chat:?}"),
        format!("{sms:?}"),
        format!("{settings:?}"),
        format!("{mailer:?}"),
    ];
    for debug in shown {
        assert!(
            !debug.contains("s3cret") && !debug.contains("t0k"),
            "{debug}"
        );
    }
}
