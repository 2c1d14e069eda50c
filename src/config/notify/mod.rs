//! `[email]`, `[[notifiers]]` and `[subscriptions]` (SPEC §8): who is told
//! about events, and how. Read from the file by [`file`], checked by
//! [`validate`]; secrets come only from the environment variables named,
//! read once while validating (a named but unset one is a config error).

pub(super) mod file;
mod kinds;
pub(super) mod secrets;
pub(super) mod validate;

use std::time::Duration;

use crate::domain::{ComponentId, EventKind};
use crate::notify::email::SmtpServer;
use crate::notify::{ChatKind, Secret};

/// Everything notifications need from the config file.
#[derive(Debug, Clone, Default)]
pub struct Notify {
    /// `[email]`: the SMTP server shared by e-mail notifiers and subscriptions.
    pub email: Option<Email>,
    /// `[[notifiers]]`, in file order.
    pub notifiers: Vec<Notifier>,
    /// `[subscriptions] enabled`: visitors may subscribe by e-mail.
    pub subscriptions: bool,
}

impl Notify {
    /// The notifier with this id.
    pub fn notifier(&self, id: &str) -> Option<&Notifier> {
        self.notifiers.iter().find(|n| n.id == id)
    }
}

/// `[email]` with its secrets read.
#[derive(Debug, Clone)]
pub struct Email {
    pub server: SmtpServer,
    /// The `From:` mailbox, e.g. `Acme Status <status@acme.example>`.
    pub from: String,
    /// AUTH username and password, from `username_env` / `password_env`.
    pub credentials: Option<(String, Secret)>,
}

/// One `[[notifiers]]` entry.
#[derive(Debug, Clone)]
pub struct Notifier {
    /// Its id (`beacon notify test ID`, `/metrics`, `/api/admin/deliveries`).
    pub id: String,
    pub kind: NotifierKind,
    /// The events it gets; `None`: all.
    pub events: Option<Vec<EventKind>>,
    /// The components it hears about; `None`: all.
    pub components: Option<Vec<ComponentId>>,
    /// Repeat `check.down` this often while the check stays down.
    pub remind_every: Option<Duration>,
    /// Each attempt gives up after this long (`timeout`, default 10 s).
    pub timeout: Duration,
}

impl Notifier {
    /// Whether this notifier takes `kind` (a test event always passes).
    pub fn wants(&self, kind: EventKind) -> bool {
        kind == EventKind::Test || self.events.as_ref().is_none_or(|e| e.contains(&kind))
    }

    /// Whether an event about `components` concerns it (an event about no
    /// component, or a notifier without a filter, always does).
    pub fn covers<'a>(&self, mut components: impl Iterator<Item = &'a str>) -> bool {
        let Some(wanted) = &self.components else {
            return true;
        };
        let mut any = false;
        let hit = components.any(|c| {
            any = true;
            wanted.iter().any(|w| w.as_str() == c)
        });
        hit || !any
    }
}

/// How a notifier sends (SPEC §8 `kind`).
#[derive(Debug, Clone)]
pub enum NotifierKind {
    Webhook {
        url: String,
        secret: Option<Secret>,
    },
    Chat {
        kind: ChatKind,
        url: String,
    },
    Email {
        to: Vec<String>,
    },
    Sms {
        url: String,
        from: String,
        to: Vec<String>,
        username: String,
        password: Secret,
    },
}

impl NotifierKind {
    /// The `kind` value as written in the file.
    pub fn name(&self) -> &'static str {
        match self {
            NotifierKind::Webhook { .. } => "webhook",
            NotifierKind::Chat {
                kind: ChatKind::Slack,
                ..
            } => "slack",
            NotifierKind::Chat {
                kind: ChatKind::Discord,
                ..
            } => "discord",
            NotifierKind::Chat {
                kind: ChatKind::Teams,
                ..
            } => "teams",
            NotifierKind::Email { .. } => "email",
            NotifierKind::Sms { .. } => "sms",
        }
    }
}
