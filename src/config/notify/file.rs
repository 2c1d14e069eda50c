//! `[email]`, `[[notifiers]]` and `[subscriptions]` as written: shape only
//! (unknown keys, value types), like [`super::super::file`].

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::Problems;
use crate::config::section::{Opt, Section, place};

#[derive(Default)]
pub(crate) struct RawNotify {
    /// `[email]`, with its header's span.
    pub email: Option<(Range<usize>, RawEmail)>,
    pub notifiers: Vec<RawNotifier>,
    pub subscriptions: Opt<bool>,
    /// The `[subscriptions]` header, to point at when `[email]` is missing.
    pub subscriptions_span: Option<Range<usize>>,
}

#[derive(Default)]
pub(crate) struct RawEmail {
    pub smtp: Opt<String>,
    pub from: Opt<String>,
    pub tls: Opt<String>,
    pub username_env: Opt<String>,
    pub password_env: Opt<String>,
}

/// One `[[notifiers]]` entry, with the keys of every kind.
pub(crate) struct RawNotifier {
    pub span: Range<usize>,
    pub place: String,
    pub id: Opt<String>,
    pub kind: Opt<String>,
    pub url: Opt<String>,
    pub secret_env: Opt<String>,
    pub events: Opt<Vec<Spanned<String>>>,
    pub components: Opt<Vec<Spanned<String>>>,
    pub remind_every: Opt<String>,
    pub timeout: Opt<String>,
    pub to: Opt<Vec<Spanned<String>>>,
    pub from: Opt<String>,
    pub username_env: Opt<String>,
    pub password_env: Opt<String>,
}

#[rustfmt::skip]
const NOTIFIER_KEYS: &[&str] = &[
    "id", "kind", "url", "secret_env", "events", "components", "remind_every", "timeout", "to",
    "from", "username_env", "password_env",
];

/// The top-level keys read here.
pub(crate) const SECTIONS: [&str; 3] = ["email", "notifiers", "subscriptions"];

/// Reads the three sections from the top-level `top`.
pub(crate) fn read(top: &Section, p: &mut Problems) -> RawNotify {
    let email = top.table("email", p).map(|(span, t)| {
        let keys = ["smtp", "from", "tls", "username_env", "password_env"];
        let s = Section::new(t, "[email]".into(), &keys, p);
        let raw = RawEmail {
            smtp: s.string("smtp", p),
            from: s.string("from", p),
            tls: s.string("tls", p),
            username_env: s.string("username_env", p),
            password_env: s.string("password_env", p),
        };
        (span, raw)
    });
    let notifiers = top.tables("notifiers", p).into_iter().enumerate();
    let notifiers = notifiers
        .map(|(i, (span, t))| read_notifier(span, t, i + 1, p))
        .collect();
    let (subscriptions, subscriptions_span) = match top.table("subscriptions", p) {
        Some((span, t)) => {
            let s = Section::new(t, "[subscriptions]".into(), &["enabled"], p);
            let enabled = s.field("enabled", "true or false", p, DeValue::as_bool);
            (enabled, Some(span))
        }
        None => (None, None),
    };
    RawNotify {
        email,
        notifiers,
        subscriptions,
        subscriptions_span,
    }
}

fn read_notifier(span: Range<usize>, t: &DeTable, n: usize, p: &mut Problems) -> RawNotifier {
    let s = Section::new(t, place(t, "notifier", "notifiers", n), NOTIFIER_KEYS, p);
    RawNotifier {
        id: s.string("id", p),
        kind: s.string("kind", p),
        url: s.string("url", p),
        secret_env: s.string("secret_env", p),
        events: s.strings("events", p),
        components: s.strings("components", p),
        remind_every: s.string("remind_every", p),
        timeout: s.string("timeout", p),
        to: s.strings("to", p),
        from: s.string("from", p),
        username_env: s.string("username_env", p),
        password_env: s.string("password_env", p),
        place: s.place,
        span,
    }
}
