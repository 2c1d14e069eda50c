//! Status rules of SPEC §3 (with §9's regional quorum, and when user reports
//! make a spike, §10) as pure functions of data and `now`.
//!
//! Nothing here reads the clock or does I/O: callers pass `now` and the data
//! they loaded, so every rule is tested with tables of scenarios.

pub mod auto_incident;
pub mod check_state;
pub mod component;
pub mod freshness;
pub mod maintenance;
pub mod overall;
pub mod quorum;
pub mod reports;
pub mod uptime;

pub use check_state::{CheckState, Tracker};
pub use component::ComponentStatus;
pub use freshness::Freshness;
pub use overall::Indicator;
pub use uptime::{DayCounts, DayUptime};
