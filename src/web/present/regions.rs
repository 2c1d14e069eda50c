//! The "By probe region" table of `/components/{id}` (SPEC §9): each
//! region's own state of each check, stale regions marked as such. A
//! component whose checks are each reported by one region gets none.

use std::collections::BTreeSet;

use super::status;
use crate::model::ComponentModel;
use crate::status::Freshness;
use crate::web::views::{RegionCell, RegionRow, RegionTable};

/// The table, or `None` when one region (or none) reports `model`'s checks.
pub fn table(model: &ComponentModel) -> Option<RegionTable> {
    let regions: BTreeSet<&str> = model
        .checks
        .iter()
        .flat_map(|c| &c.regions)
        .map(|r| r.region.as_str())
        .collect();
    if regions.len() < 2 {
        return None;
    }
    let rows = model
        .checks
        .iter()
        .map(|check| RegionRow {
            label: check.spec.label.clone(),
            cells: regions
                .iter()
                .map(|&name| RegionCell {
                    region: name.to_owned(),
                    state: check.regions.iter().find(|r| r.region == name).map(|r| {
                        let freshness = if r.live {
                            Freshness::Fresh
                        } else {
                            Freshness::Stale
                        };
                        status::check(r.state, freshness)
                    }),
                })
                .collect(),
        })
        .collect();
    Some(RegionTable {
        regions: regions.into_iter().map(str::to_owned).collect(),
        rows,
    })
}
