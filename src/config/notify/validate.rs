//! `[email]`, `[[notifiers]]` and `[subscriptions]` → [`Notify`], every
//! problem collected with its place; each kind's own keys are checked in
//! [`super::kinds`], secrets read from the environment by [`super::secrets`].

use std::collections::HashSet;
use std::time::Duration;

use toml::Spanned;

use super::file::{RawEmail, RawNotifier, RawNotify};
use super::kinds::kind;
use super::secrets::{Env, secret};
use super::{Email, Notifier, Notify};
use crate::config::Problems;
use crate::config::scope::{Scope, duplicates};
use crate::config::section::valid;
use crate::domain::{ComponentId, EventKind};
use crate::notify::email::SmtpServer;

const DEFAULT_TIMEOUT: Duration = crate::notify::DEFAULT_TIMEOUT;

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

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
