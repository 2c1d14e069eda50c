//! A component: one service visitors see on the page (SPEC §2 `[[components]]`).

use super::ComponentId;

/// One `[[components]]` entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub id: ComponentId,
    pub name: String,
    /// Optional group; components render grouped, in file order.
    pub group: Option<String>,
    pub description: Option<String>,
    /// When false, outages of this component open no automatic incident.
    pub auto_incidents: bool,
}
