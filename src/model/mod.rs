//! The status model (STYLE §2): a snapshot of config + store + status rules
//! at one instant, rebuilt when data changes (a write in this process: at
//! once; another process: the revision poll) and when the clock moves on,
//! plus every public response rendered and compressed once per change.
//! The web layer reads it; nothing else writes it.

pub mod charts;
pub mod encoding;
pub mod history;
mod refresher;
pub mod regions;
pub mod responses;
mod rollups;
pub mod snapshot;

pub use encoding::Encoding;
pub use refresher::{MAX_AGE, MIN_GAP, Model, POLL_EVERY, RECENT_INCIDENTS};
pub use responses::{Encoded, Rendered, Responses};
pub use snapshot::{
    BADGE_DAYS, CheckModel, ComponentModel, DayTable, Loaded, Snapshot, first_day, today,
};
