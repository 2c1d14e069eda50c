//! Beacon: a self-hosted public status page (see `../shared/SPEC.md`).
//!
//! The data flows `config` → `probe` → `store` → `status` → `model` → `web`:
//! the config file becomes checks, the probe worker turns checks into
//! results, the store keeps them (with incidents, maintenance and tokens),
//! the status rules judge them, the model holds the judged state and its
//! rendered responses, and the web layer serves them; `app` and `cli` tie them
//! up. The declarations below follow that order; the blank lines between
//! them keep rustfmt from sorting them.

/// Plain data and validated newtypes shared by every layer.
pub mod domain;

/// TOML file → validated [`config::Config`]; every problem with line:column.
pub mod config;

/// The probe worker: scheduler, http/tcp/dns/tls probes, push pings, batched result writer.
pub mod probe;

/// All SQL (SQLite via sqlx): results and rollups, check states, push pings,
/// incidents, maintenances, overrides, admin tokens, backups.
pub mod store;

/// Pure status rules of SPEC §3: (data, now) → answer.
pub mod status;

/// The status model: the snapshot, its refresher, and every public response
/// rendered and compressed once per change.
pub mod model;

/// Statuspage API v2 object shapes (SPEC §5), shared by the v2 API and webhooks.
pub mod statuspage;

/// SPEC §8 transports: webhook, chat, e-mail and SMS sends, and the retry schedule.
pub mod notify;

/// SPEC §8 sender: events fanned out into deliveries and sent, retried, reminded.
pub mod outbox;

/// Exactly-once duties on the holder of a lease (SPEC §9).
pub mod duties;

/// axum routes, page structs and rendering; reads the model.
pub mod web;

/// `serve`: store, snapshot refresher, probe worker and web server together.
pub mod app;

/// The command line and its one-line errors.
pub mod cli;

/// Logging setup (text or JSON).
pub mod telemetry;
