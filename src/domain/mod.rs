//! Plain data of SPEC §2–§6 and parse-don't-validate newtypes. No I/O, no clock.

mod check;
mod client_ip;
mod component;
mod event;
mod ids;
mod incident;
mod maintenance;
mod report;
mod target;
mod text;
mod window;

pub use check::{
    CheckKind, CheckResult, CheckSpec, DnsCheck, DnsRecord, HttpCheck, Outcome, PushCheck,
    StatusMatcher, TcpCheck, TlsCheck,
};
pub use client_ip::client_ip;
pub use component::{Component, ComponentStatus};
pub use event::EventKind;
pub use ids::{
    CheckId, ComponentId, DEFAULT_REGION, IncidentId, InvalidRecordId, InvalidSlug, MaintenanceId,
    RECORD_ID_LEN, RegionId,
};
pub use incident::{
    AffectedComponent, Impact, Incident, IncidentEdit, IncidentStatus, IncidentUpdate, NewIncident,
    NewUpdate,
};
pub use maintenance::{Maintenance, MaintenanceEdit, MaintenanceStatus, NewMaintenance};
pub use report::{NOTE_MAX_CHARS, ReportNote};
pub use text::{InvalidBody, InvalidTitle, MAX_BODY, MAX_TITLE, MarkdownBody, Title};
pub use window::{InvalidWindow, TimeWindow};
