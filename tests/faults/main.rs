//! Server-side faults created for real against the real `beacon` binary
//! (issue 10): a full disk, a database locked by another process, slow and
//! idle clients, SIGTERM mid-request, a stopped prober, wrong tokens.

mod auth_burst;
mod beacon;
mod cosmetics;
mod disk_full;
mod locked;
mod readiness;
mod schemathesis;
mod shutdown;
mod slow_clients;
