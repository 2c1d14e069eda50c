//! A `[[notifiers]]` entry's `kind` and the keys that kind owns (SPEC §8):
//! webhook, chat (Slack, Discord, Teams), e-mail and SMS.

use toml::Spanned;

use super::NotifierKind;
use super::file::RawNotifier;
use super::secrets::{Env, secret};
use crate::config::scope::Scope;
use crate::config::section::{Field, valid};
use crate::notify::{ChatKind, SecretUrl};

const KINDS: &str = "webhook, slack, discord, teams, email or sms";

/// The kind and its own keys; keys of other kinds are problems.
pub(super) fn kind(
    s: &mut Scope,
    raw: &RawNotifier,
    f: &Field<String>,
    has_email: bool,
    env: Env,
) -> Option<NotifierKind> {
    let own: &[&str] = match f.value.as_str() {
        "webhook" => &["url", "secret_env"],
        "slack" | "discord" | "teams" => &["url"],
        "email" => &["to"],
        "sms" => &["url", "from", "to", "username_env", "password_env"],
        other => {
            s.err(
                &f.span,
                format_args!("unknown kind {other:?} (one of {KINDS})"),
            );
            return None;
        }
    };
    let present = [
        ("url", raw.url.as_ref().map(|f| &f.key)),
        ("secret_env", raw.secret_env.as_ref().map(|f| &f.key)),
        ("to", raw.to.as_ref().map(|f| &f.key)),
        ("from", raw.from.as_ref().map(|f| &f.key)),
        ("username_env", raw.username_env.as_ref().map(|f| &f.key)),
        ("password_env", raw.password_env.as_ref().map(|f| &f.key)),
    ];
    for (key, at) in present {
        if let Some(at) = at.filter(|_| !own.contains(&key)) {
            let kind = &f.value;
            s.err(at, format_args!("`{key}` does not apply to kind {kind:?}"));
        }
    }
    let url = |s: &mut Scope| {
        let u = s.required(&raw.url, "url", &raw.span)?;
        SecretUrl::parse(&u.value)
            .map_err(|e| s.err(&u.span, format_args!("`url`: {e}")))
            .ok()
            .map(|_| u.value.clone())
    };
    match f.value.as_str() {
        "webhook" => {
            let url = url(s);
            let secret = raw.secret_env.as_ref().map(|e| secret(s, e, env));
            Some(NotifierKind::Webhook {
                url: url?,
                secret: valid(secret)?,
            })
        }
        "slack" | "discord" | "teams" => {
            let kind = match f.value.as_str() {
                "slack" => ChatKind::Slack,
                "discord" => ChatKind::Discord,
                _ => ChatKind::Teams,
            };
            Some(NotifierKind::Chat { kind, url: url(s)? })
        }
        "email" => {
            if !has_email {
                s.err(&f.span, "kind \"email\" needs an [email] section");
            }
            let to = s
                .required(&raw.to, "to", &raw.span)
                .and_then(|t| addresses(s, t));
            Some(NotifierKind::Email { to: to? })
        }
        _ => {
            let url = url(s);
            let from = s
                .required(&raw.from, "from", &raw.span)
                .filter(|f| s.not_empty(f));
            let to = s
                .required(&raw.to, "to", &raw.span)
                .and_then(|t| non_empty(s, t, "number"));
            let user = s.required(&raw.username_env, "username_env", &raw.span);
            let user = user.and_then(|f| secret(s, f, env));
            let password = s.required(&raw.password_env, "password_env", &raw.span);
            let password = password.and_then(|f| secret(s, f, env));
            Some(NotifierKind::Sms {
                url: url?,
                from: from?.value.clone(),
                to: to?,
                username: user?.expose().to_owned(),
                password: password?,
            })
        }
    }
}

/// A non-empty list of non-empty strings.
fn non_empty(s: &mut Scope, f: &Field<Vec<Spanned<String>>>, what: &str) -> Option<Vec<String>> {
    if f.value.is_empty() {
        s.err(&f.span, format_args!("`to` needs at least one {what}"));
        return None;
    }
    let mut ok = true;
    for entry in &f.value {
        if entry.get_ref().trim().is_empty() {
            ok = false;
            s.err(&entry.span(), format_args!("an empty {what} in `to`"));
        }
    }
    ok.then(|| f.value.iter().map(|e| e.get_ref().clone()).collect())
}

/// `to` of an e-mail notifier: e-mail addresses.
fn addresses(s: &mut Scope, f: &Field<Vec<Spanned<String>>>) -> Option<Vec<String>> {
    let list = non_empty(s, f, "address")?;
    let mut ok = true;
    for (entry, text) in f.value.iter().zip(&list) {
        if let Err(e) = text.parse::<lettre::Address>() {
            ok = false;
            s.err(
                &entry.span(),
                format_args!("{text:?} is not an e-mail address: {e}"),
            );
        }
    }
    ok.then_some(list)
}
