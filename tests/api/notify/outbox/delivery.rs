//! What reaches each notifier: one alert and one recovery at webhook,
//! chat, mail and SMS, and reminders while a check stays down.

use super::*;

#[tokio::test]
async fn a_stopped_target_reaches_webhook_chat_and_mail_within_seconds_with_one_recovery_each() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let chat = HookReceiver::start(None).await;
    let smtp = SmtpReceiver::start(SmtpMode::Plain, None).await;
    let dir = tempfile::tempdir().unwrap();
    let notifiers = format!(
        "{}\n[[notifiers]]\nid = \"ops-chat\"\nkind = \"slack\"\nurl = \"{}\"\nevents = [\"check.down\", \"check.up\"]\n\n[[notifiers]]\nid = \"oncall-mail\"\nkind = \"email\"\nto = [\"oncall@acme.example\"]\nevents = [\"check.down\", \"check.up\"]\n\n[email]\nsmtp = \"{}\"\nfrom = \"Acme Status <status@acme.example>\"\n",
        webhook(
            "ops-webhook",
            &hook.url(),
            "events = [\"check.down\", \"check.up\"]"
        ),
        chat.url(),
        smtp.url()
    );
    let served = serve_operational(&dir, &target, &notifiers).await;
    let client = reqwest::Client::new();

    target.set(Mode::Close);
    wait_until(Duration::from_secs(10), "api down on the page", || async {
        component_status(&client, &served.url).await == "major_outage"
    })
    .await;
    let down_at = Instant::now();
    wait_until(
        Duration::from_secs(5),
        "check.down at all three",
        || async {
            !by_id(&hook, "check.down").is_empty()
                && !chat.requests().is_empty()
                && !smtp.mails().is_empty()
        },
    )
    .await;
    let took = down_at.elapsed();
    assert!(took < Duration::from_secs(5), "alerts took {took:?}");

    let down = &hook.requests()[0];
    assert_eq!(down.signature, Signature::Valid);
    let body = down.json();
    assert_eq!(body["event"], "check.down");
    assert_eq!(body["id"], down.header("x-beacon-delivery"));
    assert_eq!(body["check"]["id"], "api-health");
    assert_eq!(body["component"]["id"], "api");
    assert_eq!(body["page"]["name"], "Acme Status");
    let text = chat.requests()[0].json()["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(text.contains("Public API (api-health) is down"), "{text}");
    let mail = &smtp.mails()[0];
    let subject = mail.header("Subject").join(" ");
    assert!(
        subject.contains("check.down") && subject.contains("Public API"),
        "{subject}"
    );
    assert!(mail.part("text/plain").is_some() && mail.part("text/html").is_some());

    target.set(Mode::Ok);
    wait_until(Duration::from_secs(15), "check.up at all three", || async {
        !by_id(&hook, "check.up").is_empty()
            && chat.requests().len() >= 2
            && smtp.mails().len() >= 2
    })
    .await;
    // Nothing more comes: one alert and one recovery each.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(by_id(&hook, "check.down").len(), 1);
    assert_eq!(by_id(&hook, "check.up").len(), 1);
    assert_eq!(chat.requests().len(), 2);
    assert_eq!(smtp.mails().len(), 2);
    let metrics = get_text(&format!("{}/metrics", served.url), None).await;
    for notifier in ["ops-webhook", "ops-chat", "oncall-mail"] {
        let line = format!(
            "beacon_notification_deliveries_total{{notifier=\"{notifier}\",outcome=\"delivered\"}} 2"
        );
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }
    let texts: Vec<String> = chat
        .requests()
        .iter()
        .map(|r| r.json()["text"].to_string())
        .collect();
    assert!(texts[1].contains("is up again"), "{texts:?}");
}

#[tokio::test]
async fn remind_every_repeats_check_down_while_down_and_stops_after_recovery() {
    let target = Target::start(Mode::Ok).await;
    let hook = HookReceiver::start(Some(SECRET)).await;
    let dir = tempfile::tempdir().unwrap();
    let extra = "events = [\"check.down\"]\nremind_every = \"1s\"";
    write(
        &dir,
        &config(&target.url(), &webhook("ops", &hook.url(), extra)),
    );
    let _served = serve(dir.path());

    target.set(Mode::Close);
    wait_until(Duration::from_secs(20), "a reminder", || async {
        by_id(&hook, "check.down").len() >= 2
    })
    .await;
    let bodies: HashSet<String> = hook
        .requests()
        .iter()
        .map(|r| r.json()["check"]["id"].to_string())
        .collect();
    assert_eq!(bodies.len(), 1, "reminders are about the same check");
    target.set(Mode::Ok);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_recovery = by_id(&hook, "check.down").len();
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        by_id(&hook, "check.down").len(),
        after_recovery,
        "no reminder once up"
    );
}

#[tokio::test]
async fn an_sms_notifier_texts_each_number_once_when_a_check_goes_down_and_up() {
    let target = Target::start(Mode::Ok).await;
    // The server is started with one secret variable; here it is both the
    // gateway's account and its token.
    let gateway = SmsGateway::start(SECRET, SECRET).await;
    let dir = tempfile::tempdir().unwrap();
    let sms = format!(
        "\n[[notifiers]]\nid = \"pager\"\nkind = \"sms\"\nurl = \"{}\"\nfrom = \"+15550001111\"\n\
         to = [\"+15550002222\", \"+15550003333\"]\nusername_env = \"BEACON_WEBHOOK_SECRET\"\n\
         password_env = \"BEACON_WEBHOOK_SECRET\"\nevents = [\"check.down\", \"check.up\"]\n",
        gateway.url()
    );
    let served = serve_operational(&dir, &target, &sms).await;
    let numbers = |word: &str| {
        let mut to: Vec<String> = gateway
            .texts()
            .into_iter()
            .filter(|t| t.body.contains(word))
            .map(|t| t.to)
            .collect();
        to.sort();
        to
    };

    target.set(Mode::Close);
    wait_until(
        Duration::from_secs(10),
        "a down text to each number",
        || async { numbers("is down").len() >= 2 },
    )
    .await;
    target.set(Mode::Ok);
    wait_until(
        Duration::from_secs(10),
        "an up text to each number",
        || async { numbers("is up again").len() >= 2 },
    )
    .await;
    let both = ["+15550002222", "+15550003333"];
    assert_eq!(numbers("is down"), both, "one down text per number");
    assert_eq!(numbers("is up again"), both, "one up text per number");
    assert!(gateway.refused().is_empty(), "{:?}", gateway.refused());
    drop(served);
}
