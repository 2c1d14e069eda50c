//! The admin API of SPEC §6 over the real router: every route's happy path,
//! authentication, the error shape and codes, and that no input gets a 5xx.
//! The bodies and assertions these files share are in `helpers/admin.rs`.

mod auth;
mod errors;
mod incidents;
mod invalid;
mod maintenances;
mod openapi;
mod overrides;
