//! `[email]`, `[[notifiers]]` and `[subscriptions]` → [`Notify`], every
//! problem collected with its place. Secrets are read here, from the
//! environment variables the file names.

use std::collections::HashSet;
use std::time::Duration;

use toml::Spanned;

use super::file::{RawEmail, RawNotifier, RawNotify};
use super::{Email, Notifier, NotifierKind, Notify};
use crate::config::Problems;
use crate::config::scope::{Scope, duplicates};
use crate::config::section::Field;
use crate::domain::{ComponentId, EventKind};
use crate::notify::email::SmtpServer;
use crate::notify::{ChatKind, Secret, SecretUrl};

/// Reads an environment variable (the process's, or a test's table).
pub type Env<'e> = &'e dyn Fn(&str) -> Option<String>;

const DEFAULT_TIMEOUT: Duration = crate::notify::DEFAULT_TIMEOUT;

/// An optional key: absent is fine (`Some(None)`), present but invalid is
/// not (`None`).
fn valid<T>(key: Option<Option<T>>) -> Option<Option<T>> {
    match key {
        None => Some(None),
        Some(None) => None,
        Some(value) => Some(value),
    }
}

/// Checks the three sections; `components` are the configured ids.
pub(crate) fn validate(
    raw: RawNotify,
    components: &HashSet<&str>,
    env: Env,
    p: &mut Problems,
) -> Notify {
    let email = raw
        .email
        .as_ref()
        .and_then(|(span, e)| email(span, e, env, p));
    let has_email = raw.email.is_some();
    let ids = raw.notifiers.iter().filter_map(|n| n.id.as_ref());
    duplicates(ids, "notifier", p);
    let notifiers = raw
        .notifiers
        .iter()
        .filter_map(|n| notifier(n, components, has_email, env, p))
        .collect();
    let subscriptions = raw.subscriptions.as_ref().is_some_and(|f| f.value);
    if subscriptions && !has_email {
        let at = raw.subscriptions_span.unwrap_or(0..0);
        p.push(
            &at,
            "[subscriptions]: `enabled = true` needs an [email] section to send confirmations",
        );
    }
    Notify {
        email,
        notifiers,
        subscriptions,
    }
}

/// The value of the environment variable `f` names; a problem when unset.
fn secret(s: &mut Scope, f: &Field<String>, env: Env) -> Option<Secret> {
    match env(&f.value) {
        Some(value) if !value.is_empty() => Some(Secret::new(value)),
        _ => {
            let key = s.p.key_name(&f.key).to_owned();
            s.err(
                &f.span,
                format_args!(
                    "`{key}` names the environment variable {:?}, which is not set",
                    f.value
                ),
            );
            None
        }
    }
}

fn email(
    span: &std::ops::Range<usize>,
    raw: &RawEmail,
    env: Env,
    p: &mut Problems,
) -> Option<Email> {
    let mut s = Scope {
        place: "[email]",
        p,
    };
    let tls_required = match &raw.tls {
        None => false,
        Some(f) if f.value == "required" => true,
        Some(f) if f.value == "opportunistic" => false,
        Some(f) => {
            let what = "must be \"required\" or \"opportunistic\"";
            s.err(&f.span, format_args!("`tls` {what}, not {:?}", f.value));
            false
        }
    };
    let server = s.required(&raw.smtp, "smtp", span).and_then(|f| {
        SmtpServer::parse(&f.value, tls_required)
            .map_err(|e| s.err(&f.span, e))
            .ok()
    });
    let from = s.required(&raw.from, "from", span).and_then(|f| {
        let parsed = f.value.parse::<lettre::message::Mailbox>();
        parsed
            .map_err(|e| {
                s.err(
                    &f.span,
                    format_args!("`from` {:?} is not an address: {e}", f.value),
                )
            })
            .ok()
            .map(|_| f.value.clone())
    });
    let credentials = match (&raw.username_env, &raw.password_env) {
        (None, None) => Some(None),
        (Some(user), Some(password)) => {
            let user = secret(&mut s, user, env);
            let password = secret(&mut s, password, env);
            user.zip(password)
                .map(|(u, p)| Some((u.expose().to_owned(), p)))
        }
        (Some(f), None) | (None, Some(f)) => {
            s.err(&f.span, "`username_env` and `password_env` go together");
            None
        }
    };
    Some(Email {
        server: server?,
        from: from?,
        credentials: credentials?,
    })
}

const KINDS: &str = "webhook, slack, discord, teams, email or sms";

fn notifier(
    raw: &RawNotifier,
    components: &HashSet<&str>,
    has_email: bool,
    env: Env,
    p: &mut Problems,
) -> Option<Notifier> {
    let mut s = Scope {
        place: &raw.place,
        p,
    };
    let id = s.required(&raw.id, "id", &raw.span).and_then(|f| {
        ComponentId::parse(&f.value)
            .map(|_| f.value.clone())
            .map_err(|e| s.err(&f.span, e))
            .ok()
    });
    let events = raw.events.as_ref().map(|f| event_names(&mut s, &f.value));
    let filter = raw
        .components
        .as_ref()
        .map(|f| component_ids(&mut s, &f.value, components));
    let remind_every = raw.remind_every.as_ref().map(|f| s.duration(f));
    let timeout = match &raw.timeout {
        None => Some(DEFAULT_TIMEOUT),
        Some(f) => s.duration(f).filter(|d| {
            let ok = (Duration::from_millis(100)..=Duration::from_secs(60)).contains(d);
            if !ok {
                s.err(&f.span, "`timeout` must be between 100ms and 60s");
            }
            ok
        }),
    };
    let kind = s
        .required(&raw.kind, "kind", &raw.span)
        .and_then(|f| kind(&mut s, raw, f, has_email, env));
    Some(Notifier {
        id: id?,
        kind: kind?,
        events: valid(events)?,
        components: valid(filter)?,
        remind_every: valid(remind_every)?,
        timeout: timeout?,
    })
}

/// The kind and its own keys; keys of other kinds are problems.
fn kind(
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

fn event_names(s: &mut Scope, names: &[Spanned<String>]) -> Option<Vec<EventKind>> {
    let mut out = Vec::new();
    let mut ok = true;
    for name in names {
        match EventKind::parse(name.get_ref()) {
            Some(kind) => out.push(kind),
            None => {
                ok = false;
                let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                s.err(
                    &name.span(),
                    format_args!(
                        "unknown event {:?} (known events: {})",
                        name.get_ref(),
                        known.join(", ")
                    ),
                );
            }
        }
    }
    ok.then_some(out)
}

fn component_ids(
    s: &mut Scope,
    ids: &[Spanned<String>],
    known: &HashSet<&str>,
) -> Option<Vec<ComponentId>> {
    let mut out = Vec::new();
    let mut ok = true;
    for id in ids {
        match ComponentId::parse(id.get_ref()) {
            Ok(c) if known.contains(id.get_ref().as_str()) => out.push(c),
            _ => {
                ok = false;
                let what = "is not defined in [[components]]";
                s.err(
                    &id.span(),
                    format_args!("component {:?} {what}", id.get_ref()),
                );
            }
        }
    }
    ok.then_some(out)
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

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
