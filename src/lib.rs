//! Beacon: a self-hosted public status page (see `../shared/SPEC.md`).
//!
//! Modules in data-flow order: the config file becomes checks, the probe
//! worker turns checks into results, the store keeps them, the status rules
//! judge them, and the web layer shows them; `app` and `cli` tie them up.

/// `serve`: store, snapshot refresher, probe worker and web server together.
pub mod app;
/// The command line and its one-line errors.
pub mod cli;
/// TOML file → validated [`config::Config`]; every problem with line:column.
pub mod config;
/// Plain data and validated newtypes shared by every layer.
pub mod domain;
/// The probe worker: scheduler, http/tcp/dns/tls probes, push pings, batched result writer.
pub mod probe;
/// Pure status rules of SPEC §3: (data, now) → answer.
pub mod status;
/// All SQL: results, rollups, check states, push pings (SQLite via sqlx).
pub mod store;
/// Logging setup (text or JSON).
pub mod telemetry;
/// axum routes, the status snapshot, page structs and rendering.
pub mod web;
