//! `/metrics` in the Prometheus text format (SPEC §7), names prefixed
//! `beacon_`. The format is a few lines of text, so it is written here
//! directly rather than through a metrics registry crate: check figures come
//! from the snapshot and the store (so a separate `beacon probe` process is
//! covered too), the rest from this process's counters.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::domain::ComponentStatus;
use crate::model::Snapshot;
use crate::model::regions::RegionHealth;
use crate::probe::lag::ScheduleLag;
use crate::status::CheckState;
use crate::store::WriteHealth;

/// What this process counted, beside the snapshot.
pub struct Process<'a> {
    /// Snapshots built by this process.
    pub rebuilds: u64,
    /// How late checks started against their schedule.
    pub schedule_lag: &'a ScheduleLag,
    /// Responses by route pattern and status.
    pub http_counts: BTreeMap<(String, u16), u64>,
    /// Whether the database takes writes, and what waits or was dropped.
    pub health: &'a WriteHealth,
    /// Admin requests with a token that is not valid.
    pub auth_failures: u64,
    /// HTTP connections open now.
    pub connections_open: u64,
    /// HTTP connections refused at the cap.
    pub connections_refused: u64,
    /// The outbox: `(notifier, status, deliveries)`, subscribers together.
    pub deliveries: Vec<(String, String, u64)>,
    /// Every probe region, as stored at this moment (SPEC §9).
    pub regions: Vec<RegionHealth>,
    /// The leases of exactly-once duties this process contends for, and
    /// whether it holds each now.
    pub leases: Vec<(&'a str, bool)>,
}

/// The whole `/metrics` body: `totals` are `(check, good, total)` results
/// from the store's rollups, `now` dates the snapshot's age.
pub fn text(
    snap: &Snapshot,
    totals: &[(String, u64, u64)],
    process: &Process<'_>,
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP beacon_check_results_total Check results counted toward uptime, by outcome."
    );
    let _ = writeln!(out, "# TYPE beacon_check_results_total counter");
    for (check, good, total) in totals {
        let check = label(check);
        let _ = writeln!(
            out,
            "beacon_check_results_total{{check=\"{check}\",result=\"ok\"}} {good}"
        );
        let failed = total.saturating_sub(*good);
        let _ = writeln!(
            out,
            "beacon_check_results_total{{check=\"{check}\",result=\"failed\"}} {failed}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP beacon_check_latency_seconds Latency of each check's latest answer."
    );
    let _ = writeln!(out, "# TYPE beacon_check_latency_seconds gauge");
    let checks = snap.components.iter().flat_map(|c| &c.checks);
    for check in checks.clone() {
        if let Some(ms) = check.last_latency_ms {
            let id = label(check.spec.id.as_str());
            let _ = writeln!(
                out,
                "beacon_check_latency_seconds{{check=\"{id}\"}} {}",
                ms as f64 / 1000.0
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP beacon_check_up Whether each check is up (1), degraded (0.5) or down (0)."
    );
    let _ = writeln!(out, "# TYPE beacon_check_up gauge");
    for check in checks {
        if let Some(state) = check.state {
            let value = match state {
                CheckState::Up => "1",
                CheckState::Degraded => "0.5",
                CheckState::Down => "0",
            };
            let id = label(check.spec.id.as_str());
            let _ = writeln!(out, "beacon_check_up{{check=\"{id}\"}} {value}");
        }
    }
    let _ = writeln!(
        out,
        "# HELP beacon_component_status 1 for each component's current status."
    );
    let _ = writeln!(out, "# TYPE beacon_component_status gauge");
    for component in &snap.components {
        let id = label(component.spec.id.as_str());
        for status in ComponentStatus::ALL {
            let value = u8::from(component.status == status);
            let _ = writeln!(
                out,
                "beacon_component_status{{component=\"{id}\",status=\"{}\"}} {value}",
                status.as_str()
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP beacon_snapshot_age_seconds Age of the status model the pages are served from."
    );
    let _ = writeln!(out, "# TYPE beacon_snapshot_age_seconds gauge");
    let age = (now - snap.built_at).num_milliseconds().max(0) as f64 / 1000.0;
    let _ = writeln!(out, "beacon_snapshot_age_seconds {age}");
    let _ = writeln!(
        out,
        "# HELP beacon_snapshot_rebuilds_total Status snapshots built by this process."
    );
    let _ = writeln!(out, "# TYPE beacon_snapshot_rebuilds_total counter");
    let _ = writeln!(out, "beacon_snapshot_rebuilds_total {}", process.rebuilds);
    process.schedule_lag.write_prometheus(&mut out);
    let _ = writeln!(
        out,
        "# HELP beacon_http_requests_total HTTP responses of this process, by route and status."
    );
    let _ = writeln!(out, "# TYPE beacon_http_requests_total counter");
    for ((route, status), n) in &process.http_counts {
        let _ = writeln!(
            out,
            "beacon_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
            label(route)
        );
    }
    reliability(&mut out, process);
    deliveries(&mut out, &process.deliveries);
    regions(&mut out, &process.regions, now);
    leases(&mut out, &process.leases);
    out
}

/// Each probe region's age and staleness: a dead region shows here (and
/// on `/readyz`) while the others keep the page right.
fn regions(out: &mut String, regions: &[RegionHealth], now: DateTime<Utc>) {
    let _ = writeln!(
        out,
        "# HELP beacon_region_last_result_age_seconds Age of each probe region's newest result."
    );
    let _ = writeln!(out, "# TYPE beacon_region_last_result_age_seconds gauge");
    for r in regions {
        let age = (now - r.last_result_at).num_milliseconds().max(0) as f64 / 1000.0;
        let region = label(&r.region);
        let _ = writeln!(
            out,
            "beacon_region_last_result_age_seconds{{region=\"{region}\"}} {age}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP beacon_region_stale 1 when a probe region has not reported a check for 3 of its intervals."
    );
    let _ = writeln!(out, "# TYPE beacon_region_stale gauge");
    for r in regions {
        let region = label(&r.region);
        let _ = writeln!(
            out,
            "beacon_region_stale{{region=\"{region}\"}} {}",
            u8::from(r.stale)
        );
    }
}

/// Which exactly-once duties this process runs now (SPEC §9): across all
/// processes on one database, each lease shows 1 on exactly one of them.
fn leases(out: &mut String, leases: &[(&str, bool)]) {
    let _ = writeln!(
        out,
        "# HELP beacon_lease_held 1 while this process holds the lease of a group of exactly-once duties, else 0."
    );
    let _ = writeln!(out, "# TYPE beacon_lease_held gauge");
    for (name, held) in leases {
        let _ = writeln!(
            out,
            "beacon_lease_held{{duty=\"{name}\"}} {}",
            u8::from(*held)
        );
    }
}

/// A label value with Prometheus escaping.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Write health, held-back and dropped results, failed admin
/// authentications and connections: what an operator alerts on when the
/// disk fills up or someone hammers the server.
fn reliability(out: &mut String, process: &Process<'_>) {
    let health = process.health;
    let families: [(&str, &str, &str, u64); 7] = [
        (
            "beacon_database_write_ok",
            "gauge",
            "1 while this process's latest database write succeeded (or none failed in the last minute), else 0.",
            u64::from(health.failing().is_none()),
        ),
        (
            "beacon_database_write_failures_total",
            "counter",
            "Database writes of this process that failed.",
            health.failures_total(),
        ),
        (
            "beacon_results_pending",
            "gauge",
            "Probe results held in memory, waiting for the database to take them.",
            health.pending_results(),
        ),
        (
            "beacon_results_dropped_total",
            "counter",
            "Probe results given up on: the pending queue overflowed, or shutdown came while writes failed.",
            health.dropped_results_total(),
        ),
        (
            "beacon_admin_auth_failures_total",
            "counter",
            "Admin API requests with a token that is not valid.",
            process.auth_failures,
        ),
        (
            "beacon_http_connections_open",
            "gauge",
            "HTTP connections open now.",
            process.connections_open,
        ),
        (
            "beacon_http_connections_refused_total",
            "counter",
            "HTTP connections answered 503 because max_connections were open.",
            process.connections_refused,
        ),
    ];
    for (name, kind, help, value) in families {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        let _ = writeln!(out, "{name} {value}");
    }
}

/// The outbox by notifier: finished deliveries by outcome (a counter:
/// deliveries are never deleted) and those still pending.
fn deliveries(out: &mut String, counts: &[(String, String, u64)]) {
    let _ = writeln!(
        out,
        "# HELP beacon_notification_deliveries_total Notification deliveries finished, by notifier and outcome."
    );
    let _ = writeln!(out, "# TYPE beacon_notification_deliveries_total counter");
    for (notifier, status, n) in counts.iter().filter(|(_, s, _)| s != "pending") {
        let _ = writeln!(
            out,
            "beacon_notification_deliveries_total{{notifier=\"{}\",outcome=\"{status}\"}} {n}",
            label(notifier)
        );
    }
    let _ = writeln!(
        out,
        "# HELP beacon_notification_deliveries_pending Notification deliveries not yet made, by notifier."
    );
    let _ = writeln!(out, "# TYPE beacon_notification_deliveries_pending gauge");
    for (notifier, _, n) in counts.iter().filter(|(_, s, _)| s == "pending") {
        let _ = writeln!(
            out,
            "beacon_notification_deliveries_pending{{notifier=\"{}\"}} {n}",
            label(notifier)
        );
    }
}
