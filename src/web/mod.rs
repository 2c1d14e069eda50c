//! The web layer: extract → load → decide → render. No SQL, no status rules.

pub mod charts;
pub mod views;
