//! The status model (STYLE §2): a snapshot of config + store + status rules
//! at one instant, rebuilt when data changes (a write in this process: at
//! once; another process: the revision poll) and when the clock moves on.
//! The web layer reads it; nothing else writes it.

mod refresher;
mod rollups;
pub mod snapshot;

pub use refresher::{MAX_AGE, MIN_GAP, Model, POLL_EVERY, RECENT_INCIDENTS};
pub use snapshot::{
    BADGE_DAYS, CheckModel, ComponentModel, DayTable, Loaded, Snapshot, first_day, today,
};
