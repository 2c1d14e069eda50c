//! The configured notifiers as ready transports, and one attempt of one
//! delivery through them.

use std::sync::Arc;

use crate::config::{Config, Notifier, NotifierKind};
use crate::notify::email::{EmailSettings, Mail, Mailer};
use crate::notify::{Chat, Delivery, Outcome, Secret, Sms, Webhook, client};
use crate::store::Subscriber;

use super::payload::Payload;

/// One notifier's transport.
#[derive(Debug, Clone)]
enum Transport {
    Webhook(Webhook),
    Chat(Chat),
    Email(Vec<String>),
    Sms(Sms),
}

/// Every notifier of the config, built once at start-up.
#[derive(Debug, Clone)]
pub struct Targets {
    notifiers: Arc<Vec<(Notifier, Transport)>>,
    mailer: Option<Mailer>,
    /// For webhook subscribers, whose targets live in the store.
    http: reqwest::Client,
}

impl Targets {
    /// Builds the transports of `config` (fails on a notifier or `[email]`
    /// that validation let through but the transport refuses).
    pub async fn new(config: &Config) -> Result<Targets, String> {
        let http = client().map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let mailer = match &config.notify.email {
            Some(email) => {
                let mut settings = EmailSettings::new(email.server.clone(), &email.from);
                settings.credentials = email.credentials.clone();
                Some(Mailer::new(settings).await?)
            }
            None => None,
        };
        let mut notifiers = Vec::new();
        for n in &config.notify.notifiers {
            let named = |e: String| format!("notifier {:?}: {e}", n.id);
            let transport = match &n.kind {
                NotifierKind::Webhook { url, secret } => Transport::Webhook(
                    Webhook::new(http.clone(), url, secret.as_ref())
                        .map_err(named)?
                        .with_timeout(n.timeout),
                ),
                NotifierKind::Chat { kind, url } => Transport::Chat(
                    Chat::new(http.clone(), *kind, url)
                        .map_err(named)?
                        .with_timeout(n.timeout),
                ),
                NotifierKind::Email { to } => Transport::Email(to.clone()),
                NotifierKind::Sms {
                    url,
                    from,
                    to,
                    username,
                    password,
                } => Transport::Sms(
                    Sms::new(
                        http.clone(),
                        url,
                        from,
                        to.clone(),
                        username,
                        password.clone(),
                    )
                    .map_err(named)?
                    .with_timeout(n.timeout),
                ),
            };
            notifiers.push((n.clone(), transport));
        }
        Ok(Targets {
            notifiers: Arc::new(notifiers),
            mailer,
            http,
        })
    }

    /// The notifiers, in file order.
    pub fn notifiers(&self) -> impl Iterator<Item = &Notifier> {
        self.notifiers.iter().map(|(n, _)| n)
    }

    /// The numbers of an sms notifier, one delivery each; `[""]` for the
    /// other kinds (one delivery in all).
    pub fn recipients(&self, id: &str) -> Vec<String> {
        match self.notifiers.iter().find(|(n, _)| n.id == id) {
            Some((_, Transport::Sms(sms))) => sms.recipients().to_vec(),
            _ => vec![String::new()],
        }
    }

    /// The shared mailer, when `[email]` is set.
    pub fn mailer(&self) -> Option<&Mailer> {
        self.mailer.as_ref()
    }

    /// One attempt of delivery `id` of `payload` to notifier `target`.
    pub async fn send(
        &self,
        target: &str,
        id: &str,
        recipient: &str,
        payload: &Payload,
    ) -> Outcome {
        let Some((notifier, transport)) = self.notifiers.iter().find(|(n, _)| n.id == target)
        else {
            return Outcome::Permanent(format!("notifier {target:?} is no longer configured"));
        };
        match transport {
            Transport::Webhook(hook) => hook.send(&webhook_delivery(id, payload)).await,
            Transport::Chat(chat) => chat.send(&payload.message).await,
            Transport::Sms(sms) => sms.send(recipient, &payload.message).await,
            Transport::Email(to) => match &self.mailer {
                Some(mailer) => {
                    let mail = Mail::new(id, to.clone(), payload.message.clone());
                    mailer.send_within(&mail, notifier.timeout).await
                }
                None => Outcome::Permanent("no [email] section is configured".to_owned()),
            },
        }
    }
}

impl Targets {
    /// One attempt of delivery `id` of `payload` to `subscriber`.
    pub async fn send_to_subscriber(
        &self,
        subscriber: &Subscriber,
        id: &str,
        payload: &Payload,
    ) -> Outcome {
        match subscriber.kind.as_str() {
            "webhook" => {
                let secret = subscriber.secret.clone().map(Secret::new);
                match Webhook::new(self.http.clone(), &subscriber.address, secret.as_ref()) {
                    Ok(hook) => hook.send(&webhook_delivery(id, payload)).await,
                    Err(why) => Outcome::Permanent(why),
                }
            }
            _ => match &self.mailer {
                Some(mailer) => {
                    let to = vec![subscriber.address.clone()];
                    let mut mail = Mail::new(id, to, payload.message.clone());
                    if let Some(url) = &payload.unsubscribe {
                        mail = mail.one_click_unsubscribe(url);
                    }
                    mailer.send(&mail).await
                }
                None => Outcome::Permanent("no [email] section is configured".to_owned()),
            },
        }
    }
}

/// The webhook body of `payload` under delivery id `id`.
pub fn webhook_delivery(id: &str, payload: &Payload) -> Delivery {
    Delivery::new(
        id,
        &payload.event,
        payload.occurred_at,
        payload.fields.clone(),
    )
}
