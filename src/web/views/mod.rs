//! View models: the askama page structs and the small view types they show.
//!
//! [`super::present`] builds these from the snapshot; templates only lay
//! them out. Everything here is already formatted text (times in the site
//! timezone, percentages), so templates hold no logic beyond loops and
//! conditions. The types every page shares are in [`common`]; the pages of `/`
//! and `/components/{id}` are in [`pages`], those of incidents and
//! maintenances in [`incidents`], the badge in [`badge`], the feed entry's
//! content in [`feeds`].

pub mod badge;
mod common;
pub mod feeds;
pub mod incidents;
pub mod pages;

pub use common::*;
pub use incidents::*;
pub use pages::*;

#[cfg(test)]
mod tests;
