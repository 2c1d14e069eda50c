//! `sms`: Twilio's form shape with basic auth, one POST per recipient,
//! bodies within one 160-character segment.

use beacon::notify::{Outcome, SMS_MAX_CHARS, Secret, Sms, client, sms_body};

use super::message;
use crate::receivers::{SmsGateway, Text};

const ACCOUNT: &str = "AC0123456789abcdef";
const TOKEN: &str = "tw-auth-t0ken";

fn sms(gateway: &SmsGateway, token: &str) -> Sms {
    let to = vec!["+15550002222".to_owned(), "+15550003333".to_owned()];
    Sms::new(
        client().unwrap(),
        &gateway.url(),
        "+15550001111",
        to,
        ACCOUNT,
        Secret::new(token),
    )
    .unwrap()
}

#[tokio::test]
async fn one_text_per_recipient_with_from_to_body_and_basic_auth() {
    let gateway = SmsGateway::start(ACCOUNT, TOKEN).await;
    let sms = sms(&gateway, TOKEN);
    let message = message("Public API is down");
    for to in sms.recipients() {
        assert_eq!(sms.send(to, &message).await, Outcome::Delivered, "{to}");
    }
    let body = format!("Public API is down {}", message.link);
    assert_eq!(
        gateway.texts(),
        ["+15550002222", "+15550003333"].map(|to| Text {
            from: "+15550001111".to_owned(),
            to: to.to_owned(),
            body: body.clone(),
        })
    );
    assert!(gateway.refused().is_empty());
}

#[tokio::test]
async fn a_long_line_is_cut_to_one_segment_readably() {
    let gateway = SmsGateway::start(ACCOUNT, TOKEN).await;
    let long = message(&"Public API is down: connection refused by 10.0.0.1. ".repeat(5));
    let outcome = sms(&gateway, TOKEN).send("+15550002222", &long).await;
    assert_eq!(
        outcome,
        Outcome::Delivered,
        "refused: {:?}",
        gateway.refused()
    );
    let texts = gateway.texts();
    assert_eq!(texts[0].body, sms_body(&long));
    assert!(texts[0].body.chars().count() <= SMS_MAX_CHARS);
    assert!(texts[0].body.ends_with('…'), "{}", texts[0].body);
    assert!(
        texts[0]
            .body
            .starts_with("Public API is down: connection refused")
    );
}

#[tokio::test]
async fn a_wrong_token_is_a_retry_naming_the_status_not_the_token() {
    let gateway = SmsGateway::start(ACCOUNT, TOKEN).await;
    let outcome = sms(&gateway, "stale-t0ken")
        .send("+15550002222", &message("x"))
        .await;
    let Outcome::Retry(why) = outcome else {
        panic!("not a retry: {outcome:?}");
    };
    assert!(why.starts_with("HTTP 401 Unauthorized"), "{why}");
    assert!(!why.contains("stale-t0ken"), "{why}");
    assert_eq!(gateway.refused(), ["bad credentials"]);
    assert!(gateway.texts().is_empty());
}
