//! The transports of SPEC §8: how one event reaches one target. Each kind
//! takes a plain input ([`Delivery`] for `webhook`, [`Message`] for the
//! others), sends it once within a timeout and answers an [`Outcome`]; the
//! outbox (which events, which targets, when to retry, deduplication by
//! delivery id) lives above this module and schedules retries with
//! [`backoff`].
//!
//! The transports read neither the configuration nor the store; the
//! sender in [`crate::outbox`] does, and drives them. Nothing here blocks
//! a thread or logs: secrets ([`Secret`], [`SecretUrl`]) never show in
//! `Debug`, and reasons never repeat a URL (chat webhook URLs are secrets).

pub mod backoff;
mod chat;
mod delivery;
mod discord;
pub mod email;
mod http;
mod outcome;
mod secret;
mod slack;
mod sms;
mod teams;
mod text;
mod webhook;

pub use chat::{Chat, ChatKind};
pub use delivery::{DEFAULT_TIMEOUT, Delivery, Message};
pub use http::client;
pub use outcome::Outcome;
pub use secret::{Secret, SecretUrl};
pub use sms::{SMS_MAX_CHARS, Sms, sms_body};
pub use webhook::Webhook;
