//! `email`: lettre over rustls to aiosmtpd — plain, STARTTLS and implicit
//! TLS with AUTH; plain text and HTML alternatives; the RFC 8058 headers;
//! no mail when TLS is required but missing or the certificate untrusted.

use std::time::{Duration, Instant};

use beacon::notify::email::{EmailSettings, Mail, Mailer, SmtpServer};
use beacon::notify::{Outcome, Secret};

use super::message;
use crate::receivers::{ReceivedMail, SmtpMode, SmtpReceiver};

const USER: &str = "beacon";
const PASSWORD: &str = "smtp-pa55word";
const UNSUBSCRIBE: &str = "https://status.acme.example/subscriptions/unsubscribe/Zm9vYmFy";

async fn mailer(receiver: &SmtpReceiver, tls_required: bool, password: &str) -> Mailer {
    let server = SmtpServer::parse(&receiver.url(), tls_required).unwrap();
    let mut settings = EmailSettings::new(server, "Acme Status <status@acme.example>");
    settings.credentials = Some((USER.to_owned(), Secret::new(password)));
    settings.extra_roots_pem = Some(receiver.ca_pem.clone().into_bytes());
    settings.timeout = Duration::from_secs(10);
    Mailer::new(settings).await.unwrap()
}

/// A fresh server in `mode` and the outcome of sending it `mail(id)`.
async fn send_one(
    mode: SmtpMode,
    tls_required: bool,
    password: &str,
    id: &str,
) -> (SmtpReceiver, Outcome) {
    let receiver = SmtpReceiver::start(mode, Some((USER, PASSWORD))).await;
    let outcome = mailer(&receiver, tls_required, password)
        .await
        .send(&mail(id))
        .await;
    (receiver, outcome)
}

fn mail(id: &str) -> Mail {
    let to = vec![
        "Ops <oncall@acme.example>".to_owned(),
        "boss@acme.example".to_owned(),
    ];
    Mail::new(
        id,
        to,
        message("Öffentliche API is down: connection refused"),
    )
    .one_click_unsubscribe(UNSUBSCRIBE)
}

/// Everything a reader and a mail client rely on, whatever the transport.
fn assert_well_formed(got: &ReceivedMail, id: &str) {
    assert_eq!(got.auth_user.as_deref(), Some(USER));
    assert_eq!(got.rcpt_tos, ["oncall@acme.example", "boss@acme.example"]);
    assert_eq!(got.header("From"), ["Acme Status <status@acme.example>"]);
    assert_eq!(
        got.header("To"),
        ["Ops <oncall@acme.example>, boss@acme.example"]
    );
    assert_eq!(
        got.header("Subject"),
        ["[Acme Status] Öffentliche API is down: connection refused"]
    );
    assert_eq!(got.header("Message-ID"), [format!("<{id}@acme.example>")]);
    assert_eq!(got.header("Date").len(), 1);
    assert_eq!(got.content_type, "multipart/alternative");
    let want = message("Öffentliche API is down: connection refused");
    let text = got.part("text/plain").expect("a text/plain part");
    assert_eq!(text.replace("\r\n", "\n"), want.text);
    let html = got.part("text/html").expect("a text/html part");
    assert_eq!(html.replace("\r\n", "\n").trim_end(), want.html);
    // RFC 8058: exactly one of each, an angle-bracketed HTTPS URI, and the
    // one value List-Unsubscribe-Post may have.
    assert_eq!(got.header("List-Unsubscribe"), [format!("<{UNSUBSCRIBE}>")]);
    assert_eq!(
        got.header("List-Unsubscribe-Post"),
        ["List-Unsubscribe=One-Click"]
    );
    assert!(
        got.raw
            .contains(&format!("\r\nList-Unsubscribe: <{UNSUBSCRIBE}>\r\n")),
        "unfolded on the wire:\n{}",
        got.raw
    );
}

#[tokio::test]
async fn email_in_plain_smtp_with_auth() {
    let (receiver, outcome) = send_one(SmtpMode::Plain, false, PASSWORD, "d-1").await;
    assert_eq!(outcome, Outcome::Delivered);
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].tls, None, "no STARTTLS offered: plain text");
    assert_well_formed(&got[0], "d-1");
}

#[tokio::test]
async fn email_over_starttls_when_offered_with_auth() {
    let receiver = SmtpReceiver::start(SmtpMode::StartTls, Some((USER, PASSWORD))).await;
    for required in [false, true] {
        let outcome = mailer(&receiver, required, PASSWORD)
            .await
            .send(&mail("d-2"))
            .await;
        assert_eq!(outcome, Outcome::Delivered, "tls required: {required}");
    }
    let got = receiver.wait_for(2).await;
    for mail in &got {
        assert!(
            mail.tls.as_deref().is_some_and(|v| v.starts_with("TLSv1.")),
            "{:?}",
            mail.tls
        );
        assert_well_formed(mail, "d-2");
    }
}

#[tokio::test]
async fn email_over_implicit_tls_with_auth() {
    let (receiver, outcome) = send_one(SmtpMode::Tls, false, PASSWORD, "d-3").await;
    assert!(receiver.url().starts_with("smtps://"));
    assert_eq!(outcome, Outcome::Delivered);
    let got = receiver.wait_for(1).await;
    assert!(got[0].tls.is_some(), "TLS from the first byte");
    assert_well_formed(&got[0], "d-3");
}

#[tokio::test]
async fn tls_required_refuses_a_server_without_starttls() {
    let (receiver, outcome) = send_one(SmtpMode::Plain, true, PASSWORD, "d-4").await;
    let Outcome::Retry(why) = outcome else {
        panic!("sent without TLS: {outcome:?}");
    };
    assert!(why.contains("STARTTLS is not supported"), "{why}");
    assert!(receiver.mails().is_empty());
}

#[tokio::test]
async fn an_untrusted_certificate_sends_nothing() {
    let receiver = SmtpReceiver::start(SmtpMode::StartTls, Some((USER, PASSWORD))).await;
    let server = SmtpServer::parse(&receiver.url(), false).unwrap();
    let mut settings = EmailSettings::new(server, "status@acme.example");
    settings.credentials = Some((USER.to_owned(), Secret::new(PASSWORD)));
    let outcome = Mailer::new(settings)
        .await
        .unwrap()
        .send(&mail("d-5"))
        .await;
    let Outcome::Retry(why) = outcome else {
        panic!("not a retry: {outcome:?}");
    };
    assert!(
        why.contains("invalid peer certificate: UnknownIssuer"),
        "{why}"
    );
    assert!(receiver.mails().is_empty());
}

#[tokio::test]
async fn a_wrong_password_is_permanent_and_names_no_secret() {
    let (receiver, outcome) = send_one(SmtpMode::StartTls, false, "wrong-pa55", "d-6").await;
    let Outcome::Permanent(why) = outcome else {
        panic!("not permanent: {outcome:?}");
    };
    assert!(why.contains("535"), "{why}");
    assert!(!why.contains("wrong-pa55"), "{why}");
    assert!(receiver.mails().is_empty());
}

#[tokio::test]
async fn a_server_that_never_greets_is_a_retry_within_the_timeout() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://localhost:{}", silent.local_addr().unwrap().port());
    let mut settings = EmailSettings::new(
        SmtpServer::parse(&url, false).unwrap(),
        "status@acme.example",
    );
    settings.timeout = Duration::from_millis(500);
    let mailer = Mailer::new(settings).await.unwrap();
    let started = Instant::now();
    let outcome = mailer.send(&mail("d-7")).await;
    let took = started.elapsed();
    assert_eq!(outcome, Outcome::Retry("timed out after 500ms".into()));
    assert!(took < Duration::from_secs(5), "not bounded: {took:?}");
}

#[tokio::test]
async fn a_notifiers_shorter_timeout_bounds_the_mailer() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://localhost:{}", silent.local_addr().unwrap().port());
    let settings = EmailSettings::new(
        SmtpServer::parse(&url, false).unwrap(),
        "status@acme.example",
    );
    // The mailer keeps its default (10 s); the notifier allows 400 ms.
    let mailer = Mailer::new(settings).await.unwrap();
    let outcome = mailer
        .send_within(&mail("d-8"), Duration::from_millis(400))
        .await;
    assert_eq!(outcome, Outcome::Retry("timed out after 400ms".into()));
}
