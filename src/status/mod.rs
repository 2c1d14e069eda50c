//! Status rules (SPEC §3).
