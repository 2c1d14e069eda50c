//! `beacon notify test ID` and `beacon check-config` on notifiers, with the
//! real binary against real receivers.

use std::process::Command;

use crate::binary::{assert_one_line_error, beacon, run};
use crate::receivers::{Answer, HookReceiver, Signature, SmsGateway};

const ACCOUNT: &str = "AC0123";
const TOKEN: &str = "sms-t0ken";

fn config(hook: &str, sms: &str) -> String {
    format!(
        r#"
[site]
title = "Acme Status"
url = "https://status.acme.example"

[[components]]
id = "api"
name = "Public API"

[[notifiers]]
id = "ops"
kind = "webhook"
url = "{hook}"
secret_env = "HOOK_SECRET"

[[notifiers]]
id = "pager"
kind = "sms"
url = "{sms}"
from = "+15550001111"
to = ["+15550002222", "+15550003333"]
username_env = "SMS_ACCOUNT"
password_env = "SMS_TOKEN"
"#
    )
}

fn command(dir: &std::path::Path) -> Command {
    let mut cmd = beacon(dir);
    cmd.env("HOOK_SECRET", "whsec-cli")
        .env("SMS_ACCOUNT", ACCOUNT)
        .env("SMS_TOKEN", TOKEN)
        .args(["--config", "beacon.toml"]);
    cmd
}

#[tokio::test]
async fn notify_test_delivers_signed_to_a_webhook_and_texts_every_number_with_basic_auth() {
    let hook = HookReceiver::start(Some("whsec-cli")).await;
    let sms = SmsGateway::start(ACCOUNT, TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("beacon.toml"),
        config(&hook.url(), &sms.url()),
    )
    .unwrap();

    let out = tokio::task::spawn_blocking({
        let dir = dir.path().to_owned();
        move || run(command(&dir).args(["notify", "test", "ops"]))
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("notifier ops: delivered"));
    let got = hook.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].signature, Signature::Valid);
    assert_eq!(got[0].header("x-beacon-event"), "test");
    assert_eq!(got[0].json()["page"]["url"], "https://status.acme.example");

    let out = tokio::task::spawn_blocking({
        let dir = dir.path().to_owned();
        move || run(command(&dir).args(["notify", "test", "pager"]))
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    let texts = sms.texts();
    let to: Vec<&str> = texts.iter().map(|t| t.to.as_str()).collect();
    assert_eq!(to, ["+15550002222", "+15550003333"], "one POST per number");
    assert!(texts.iter().all(|t| t.from == "+15550001111"));
    assert!(
        texts[0]
            .body
            .starts_with("Test notification from Acme Status"),
        "{texts:?}"
    );
    assert!(sms.refused().is_empty(), "{:?}", sms.refused());
}

#[tokio::test]
async fn notify_test_fails_naming_the_status_and_unknown_ids_are_errors() {
    let hook = HookReceiver::start(Some("whsec-cli")).await;
    hook.answer(Answer::Fail(503));
    let sms = SmsGateway::start(ACCOUNT, "another-token").await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("beacon.toml"),
        config(&hook.url(), &sms.url()),
    )
    .unwrap();
    let path = dir.path().to_owned();
    let (failed, refused, unknown) = tokio::task::spawn_blocking(move || {
        (
            run(command(&path).args(["notify", "test", "ops"])),
            run(command(&path).args(["notify", "test", "pager"])),
            run(command(&path).args(["notify", "test", "nope"])),
        )
    })
    .await
    .unwrap();
    assert_eq!(failed.status.code(), Some(1));
    assert_one_line_error(&failed, "HTTP 503 Service Unavailable");
    assert_one_line_error(&refused, "HTTP 401 Unauthorized");
    assert_one_line_error(
        &unknown,
        "unknown notifier \"nope\" (configured: ops, pager)",
    );
}

#[test]
fn check_config_names_an_unset_secret_variable_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = config(
        "https://hooks.acme.example/x",
        "https://sms.example/Messages.json",
    );
    std::fs::write(dir.path().join("beacon.toml"), text).unwrap();
    let out = run(beacon(dir.path())
        .env("SMS_ACCOUNT", ACCOUNT)
        .env("SMS_TOKEN", TOKEN)
        .env_remove("HOOK_SECRET")
        .args(["--config", "beacon.toml", "check-config"]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("beacon.toml:14:14: notifier \"ops\": `secret_env` names the environment variable \"HOOK_SECRET\", which is not set"),
        "{err}"
    );
    let ok = run(command(dir.path()).arg("check-config"));
    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("2 notifiers"));
}
