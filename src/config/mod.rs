//! Configuration (SPEC §2). Filled in by the config work.
