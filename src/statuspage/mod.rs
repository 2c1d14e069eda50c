//! The payloads of Statuspage's public API v2, field for field
//! (`shared/statuspage-v2.md`), built from the snapshot: the
//! `/api/v2/*.json` bodies (endpoints in `web::present::statuspage`) and the
//! objects of the SPEC §8 webhook bodies.
//!
//! Values Beacon has no source for are fixed so that bytes (and ETags)
//! change only when data does:
//! - `page.id`: 12 base36 characters of a SHA-256 of `site.url` (or of
//!   `site.title` when no URL is set); `page.url` and `shortlink`s are
//!   absolute: under `site.url`, else under the bound address (as in feeds).
//! - Group rows: id `group-{slug of the name}` (a `-2`, `-3`… suffix if two
//!   groups or a component share it), `description` null, `showcase` false,
//!   `start_date` null, status the worst of their children.
//! - `position`: 1-based order within its level (top level: groups and
//!   ungrouped components in page order; inside a group: file order).
//! - `showcase` true (every component has an uptime bar), `only_show_if_degraded` false.
//! - `start_date`: the first day with a check result (rollups are kept
//!   forever); `created_at`: that day's start in the site timezone;
//!   `updated_at`: the latest check result. Before any result, both are the
//!   time the server process started and `start_date` is null.
//! - Components with no data report `operational` (Statuspage has no unknown).
//!
//! `page`, `status` and the [`Builder`] are in [`builder`], the component
//! rows in [`components`], incidents and maintenances in [`incidents`],
//! the API's time format in [`time`].

mod builder;
mod components;
mod incidents;
mod time;

pub use self::builder::{Builder, PageJson, StatusJson, page_id};
pub use self::components::ComponentJson;
pub use self::incidents::{AffectedJson, IncidentJson, MaintenanceJson, UpdateJson};
