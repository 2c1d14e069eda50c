//! `[[notifiers]]`, `[email]`, `[subscriptions]`: what reads, and what is refused where.
use std::path::Path;

use crate::config::{Config, ConfigError, NotifierKind};

const BASE: &str = "[[components]]\nid = \"api\"\nname = \"API\"\n";

fn env(name: &str) -> Option<String> {
    match name {
        "HOOK_SECRET" => Some("s3cret".into()),
        "SMS_ACCOUNT" => Some("AC1".into()),
        "SMS_TOKEN" => Some("t0k".into()),
        _ => None,
    }
}

fn problems(text: &str) -> Vec<String> {
    match Config::parse_with_env(&format!("{BASE}{text}"), Path::new("b.toml"), &env) {
        Ok(_) => Vec::new(),
        Err(ConfigError::Invalid { problems, .. }) => problems
            .into_iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn every_kind_reads_with_its_secrets() {
    let text = r#"
[email]
smtp = "smtp://mail.acme.example:587"
from = "Acme Status <status@acme.example>"

[subscriptions]
enabled = true

[[notifiers]]
id = "hook"
kind = "webhook"
url = "https://hooks.acme.example/beacon"
secret_env = "HOOK_SECRET"
events = ["check.down", "check.up"]
components = ["api"]
remind_every = "1h"
timeout = "2s"

[[notifiers]]
id = "mail"
kind = "email"
to = ["oncall@acme.example"]

[[notifiers]]
id = "text"
kind = "sms"
url = "https://sms.example/Messages.json"
from = "+15550001111"
to = ["+15550002222"]
username_env = "SMS_ACCOUNT"
password_env = "SMS_TOKEN"

[[notifiers]]
id = "chat"
kind = "teams"
url = "https://teams.example/webhook"
"#;
    let config = Config::parse_with_env(&format!("{BASE}{text}"), Path::new("b"), &env).unwrap();
    let notify = &config.notify;
    assert!(notify.subscriptions && notify.email.is_some());
    let names: Vec<&str> = notify.notifiers.iter().map(|n| n.kind.name()).collect();
    assert_eq!(names, ["webhook", "email", "sms", "teams"]);
    let hook = notify.notifier("hook").unwrap();
    assert_eq!(
        hook.remind_every,
        Some(std::time::Duration::from_secs(3600))
    );
    assert_eq!(hook.timeout, std::time::Duration::from_secs(2));
    let NotifierKind::Webhook {
        secret: Some(secret),
        ..
    } = &hook.kind
    else {
        panic!("a signed webhook");
    };
    assert_eq!(secret.expose(), "s3cret");
    assert!(
        notify.notifier("mail").unwrap().events.is_none(),
        "default: all events"
    );
}

#[test]
fn problems_are_named_with_line_and_column() {
    let cases = [
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"webhook\"\nurl = \"ftp://x\"\n",
            "7:7: notifier \"a\": `url`: the URL must start with http:// or https://",
        ),
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"webhook\"\nurl = \"https://x.example\"\nsecret_env = \"NOPE\"\n",
            "8:14: notifier \"a\": `secret_env` names the environment variable \"NOPE\", which is not set",
        ),
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"slack\"\nurl = \"https://x.example\"\nevents = [\"check.sideways\"]\n",
            "8:11: notifier \"a\": unknown event \"check.sideways\"",
        ),
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"slack\"\nurl = \"https://x.example\"\ncomponents = [\"db\"]\n",
            "8:15: notifier \"a\": component \"db\" is not defined in [[components]]",
        ),
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"pager\"\n",
            "6:8: notifier \"a\": unknown kind \"pager\"",
        ),
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"slack\"\nurl = \"https://x.example\"\ncolour = 1\n",
            "8:1: notifier \"a\": unknown key `colour`",
        ),
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"slack\"\nurl = \"https://x.example\"\nto = [\"x\"]\n",
            "8:1: notifier \"a\": `to` does not apply to kind \"slack\"",
        ),
        (
            "[[notifiers]]\nid = \"a\"\nkind = \"email\"\nto = [\"not an address\"]\n",
            "6:8: notifier \"a\": kind \"email\" needs an [email] section",
        ),
        (
            "[subscriptions]\nenabled = true\n",
            "[subscriptions]: `enabled = true` needs an [email] section",
        ),
        (
            "[email]\nsmtp = \"smtp://u:p@mail.example\"\nfrom = \"status@acme.example\"\n",
            "5:8: [email]: no credentials in the SMTP URL",
        ),
        (
            "[server]\ntrusted_proxies = [\"10.0.0.0/33\"]\n",
            "5:20: [server]: trusted proxy \"10.0.0.0/33\" is not an IP address or network",
        ),
    ];
    for (text, want) in cases {
        let got = problems(text);
        assert!(got.iter().any(|p| p.contains(want)), "{want}\nin {got:#?}");
    }
    let twice = "[[notifiers]]\nid = \"a\"\nkind = \"slack\"\nurl = \"https://x.example\"\n";
    let got = problems(&format!("{twice}{twice}"));
    assert!(
        got.iter()
            .any(|p| p.contains("duplicate notifier id \"a\"")),
        "{got:?}"
    );
}
