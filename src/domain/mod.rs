//! Plain data of SPEC §2–§3 and parse-don't-validate newtypes. No I/O, no clock.

mod check;
mod component;
mod ids;

pub use check::{
    CheckKind, CheckResult, CheckSpec, DnsCheck, DnsRecord, HttpCheck, Outcome, PushCheck,
    StatusMatcher, TcpCheck, TlsCheck,
};
pub use component::Component;
pub use ids::{CheckId, ComponentId, InvalidSlug};
