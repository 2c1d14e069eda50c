//! Beacon: a self-hosted public status page (see `../shared/SPEC.md`).
//!
//! Modules in data-flow order: the config file becomes checks, the probe
//! worker turns checks into results, the store keeps them, the status rules
//! judge them, and the web layer shows them.

/// TOML file → validated [`config::Config`]; every problem with line:column.
pub mod config;
/// Plain data and validated newtypes shared by every layer.
pub mod domain;
/// Pure status rules of SPEC §3: (data, now) → answer.
pub mod status;
/// axum routes, page structs and rendering.
pub mod web;
