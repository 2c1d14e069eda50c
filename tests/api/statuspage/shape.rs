//! The reference shapes (`tests/fixtures/statuspage/`, from
//! statuspage-v2.md) and the walker that compares a payload with them and
//! checks its enum values.

use serde_json::Value;

/// Every path, with the fixture holding its reference shape.
pub(super) const ENDPOINTS: [(&str, &str); 8] = [
    ("/api/v2/summary.json", "summary.json"),
    ("/api/v2/status.json", "status.json"),
    ("/api/v2/components.json", "components.json"),
    ("/api/v2/incidents.json", "incidents.json"),
    (
        "/api/v2/incidents/unresolved.json",
        "incidents-unresolved.json",
    ),
    (
        "/api/v2/scheduled-maintenances.json",
        "scheduled-maintenances.json",
    ),
    (
        "/api/v2/scheduled-maintenances/upcoming.json",
        "scheduled-maintenances-upcoming.json",
    ),
    (
        "/api/v2/scheduled-maintenances/active.json",
        "scheduled-maintenances-active.json",
    ),
];

/// Keys whose value may be null where the reference shows a value.
pub(super) const NULLABLE: [&str; 6] = [
    "group_id",
    "description",
    "start_date",
    "monitoring_at",
    "resolved_at",
    "affected_components",
];

pub(super) const COMPONENT_STATUSES: [&str; 5] = [
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
];
pub(super) const INCIDENT_STATUSES: [&str; 5] = [
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "postmortem",
];
pub(super) const MAINTENANCE_STATUSES: [&str; 4] =
    ["scheduled", "in_progress", "verifying", "completed"];
pub(super) const INDICATORS: [&str; 5] = ["none", "minor", "major", "critical", "maintenance"];
pub(super) const IMPACTS: [&str; 4] = ["none", "minor", "major", "critical"];

pub(super) fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/statuspage/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture JSON")
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Problems of `actual` against the reference shape `want`: same keys, same
/// types (null only where [`NULLABLE`] allows it); each array element must
/// fit one of the reference's elements (e.g. a group row or a child row).
pub(super) fn shape_problems(path: &str, actual: &Value, want: &Value) -> Vec<String> {
    let key = path.rsplit('.').next().unwrap_or("");
    match (actual, want) {
        (Value::Null, w) if !w.is_null() && NULLABLE.contains(&key) => vec![],
        (Value::Object(a), Value::Object(w)) => {
            let mut problems = Vec::new();
            for k in w.keys().filter(|k| !a.contains_key(*k)) {
                problems.push(format!("{path}.{k}: missing"));
            }
            for (k, v) in a {
                match w.get(k) {
                    None => problems.push(format!("{path}.{k}: not in the reference")),
                    Some(wv) => problems.extend(shape_problems(&format!("{path}.{k}"), v, wv)),
                }
            }
            problems
        }
        (Value::Array(a), Value::Array(w)) => {
            assert!(!w.is_empty(), "{path}: the reference needs an example");
            let mut problems = Vec::new();
            for (i, item) in a.iter().enumerate() {
                let tries: Vec<Vec<String>> = w
                    .iter()
                    .map(|wi| shape_problems(&format!("{path}[]"), item, wi))
                    .collect();
                if tries.iter().all(|t| !t.is_empty()) {
                    let best = tries.into_iter().min_by_key(Vec::len).unwrap_or_default();
                    problems.push(format!("{path}[{i}]: {}", best.join("; ")));
                }
            }
            problems
        }
        (a, w) if kind(a) == kind(w) => vec![],
        (a, w) => vec![format!(
            "{path}: {} where the reference has {}",
            kind(a),
            kind(w)
        )],
    }
}

/// Enum values, id types and timestamps, checked by where they sit.
pub(super) fn value_problems(path: &str, v: &Value, out: &mut Vec<String>) {
    let allowed = |set: &[&str], s: &str| set.contains(&s);
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                value_problems(&format!("{path}.{k}"), child, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                value_problems(&format!("{path}[]"), item, out);
            }
        }
        _ => {}
    }
    let key = path.rsplit('.').next().unwrap_or("");
    let text = v.as_str();
    let bad = |out: &mut Vec<String>| out.push(format!("{path}: unexpected {v}"));
    let in_maintenance = path.starts_with(".scheduled_maintenances");
    match (key, text) {
        ("id" | "page_id" | "incident_id" | "code", None) => bad(out),
        (k, Some(t))
            if (k.ends_with("_at") || k == "scheduled_for" || k == "scheduled_until")
                && chrono::DateTime::parse_from_rfc3339(t).is_err() =>
        {
            bad(out)
        }
        ("indicator", Some(t)) if !allowed(&INDICATORS, t) => bad(out),
        ("old_status" | "new_status", Some(t)) if !allowed(&COMPONENT_STATUSES, t) => bad(out),
        ("status", Some(t)) => {
            let ok = if path.ends_with("components[].status") {
                allowed(&COMPONENT_STATUSES, t)
            } else if in_maintenance {
                allowed(&MAINTENANCE_STATUSES, t)
            } else {
                allowed(&INCIDENT_STATUSES, t)
            };
            if !ok {
                bad(out)
            }
        }
        ("impact", Some(t)) => {
            let ok = if in_maintenance {
                t == "maintenance"
            } else {
                allowed(&IMPACTS, t)
            };
            if !ok {
                bad(out)
            }
        }
        _ => {}
    }
}

#[test]
fn the_shape_walker_catches_missing_keys_wrong_types_and_bad_enums() {
    let reference = fixture("components.json");
    let mut wrong = reference.clone();
    wrong["components"][1]["id"] = Value::from(1);
    wrong["components"][1]
        .as_object_mut()
        .unwrap()
        .remove("position");
    wrong["components"][0]["group_id"] = Value::Null;
    wrong["page"]["name"] = Value::Null;
    let problems = shape_problems("", &wrong, &reference);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains(".page.name: null")));
    assert!(problems.iter().any(|p| p.contains("position: missing")));
    let mut bad = reference.clone();
    bad["components"][0]["status"] = Value::from("unknown");
    let mut found = Vec::new();
    value_problems("", &bad, &mut found);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(shape_problems("", &reference, &reference).is_empty());
}
