//! Real headless Chromium over the served pages: an axe-core accessibility
//! audit, no sideways scrolling on a 375 px phone, light and dark mode.
//! Needs `node` and Chromium (`apt-get install chromium`; `.ci/run` installs
//! it); the npm packages are installed on first use from the lock file.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::helpers::{Mode, Target, component_id, spawn_app, texts, wait_until};

fn ensure_node_modules(dir: &Path) {
    if dir.join("node_modules/playwright-core").is_dir()
        && dir.join("node_modules/axe-core").is_dir()
    {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .expect("npm is needed for the browser tests");
    assert!(status.success(), "npm ci failed in {}", dir.display());
}

/// Runs the audit over `paths`; returns the report, panicking with it on failure.
pub async fn audit(base: &str, paths: &[&str]) -> serde_json::Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    ensure_node_modules(&dir);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let urls: Vec<String> = paths.iter().map(|p| format!("{base}{p}")).collect();
    let output = tokio::process::Command::new("node")
        .arg(dir.join("audit.mjs"))
        .arg(&out)
        .args(&urls)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), output)
        .await
        .expect("browser audit finished in time")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "browser audit failed (screenshots in {}):\n{stdout}\n{}",
        out.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).expect("audit prints JSON")
}

#[tokio::test]
async fn pages_pass_axe_and_fit_a_phone_in_light_and_dark_mode() {
    let up = Target::start(Mode::Ok).await;
    let down = Target::start(Mode::Status(503)).await;
    let config = format!(
        r#"
[site]
title = "Acme Status"
description = "Live status of Acme services"

[[components]]
id = "api"
name = "Public API"
group = "Core"
description = "REST API"

[[components]]
id = "web"
name = "Website with a rather long name that must wrap on a phone"
group = "Core"

[[checks]]
id = "api-health"
component = "api"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"

[[checks]]
id = "web-health"
component = "web"
kind = "http"
url = "{}"
interval = "300ms"
timeout = "250ms"
"#,
        up.url(),
        down.url()
    );
    let app = spawn_app(&config).await;
    wait_until(
        Duration::from_secs(10),
        "both components have data",
        || async {
            texts(&app.get("/").await.1, ".component .status-label")
                == ["Operational", "Major Outage"]
        },
    )
    .await;
    let store = beacon::store::Store::open(&crate::helpers::database_url(&app.dir))
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let incident = store
        .create_incident(
            &beacon::domain::NewIncident {
                title: "Elevated error rates".into(),
                status: beacon::domain::IncidentStatus::Identified,
                impact: beacon::domain::Impact::Major,
                body: "We found the cause: **a bad deploy**. Rolling back.".into(),
                components: vec![(
                    component_id("web"),
                    beacon::domain::ComponentStatus::PartialOutage,
                )],
                auto_component: None,
                notify: true,
            },
            now,
        )
        .await
        .unwrap();
    let maintenance = store
        .create_maintenance(
            &beacon::domain::NewMaintenance {
                title: "Database upgrade".into(),
                body: "Expect brief read-only periods.".into(),
                starts_at: now + chrono::Duration::hours(2),
                ends_at: now + chrono::Duration::hours(3),
                components: vec![component_id("api")],
                notify: true,
            },
            now,
        )
        .await
        .unwrap();
    wait_until(
        Duration::from_secs(5),
        "incident and maintenance on /",
        || async {
            let html = app.get("/").await.1;
            html.contains("Elevated error rates") && html.contains("Database upgrade")
        },
    )
    .await;
    let incident_page = format!("/incidents/{}", incident.id);
    let maintenance_page = format!("/maintenances/{}", maintenance.id);
    let paths = [
        "/",
        "/components/api",
        "/components/web",
        "/incidents",
        &incident_page,
        &maintenance_page,
        "/no-such-page",
    ];
    // The report forms (SPEC §10) are part of what is audited (unfolded).
    let index = app.get("/").await.1;
    assert_eq!(texts(&index, "details.report form.report-form").len(), 2);
    let component = app.get("/components/api").await.1;
    assert_eq!(texts(&component, "form.report-form").len(), 1);
    let report = audit(&app.url(""), &paths).await;
    assert_eq!(report.as_array().map(Vec::len), Some(paths.len() * 3));

    app.stop().await;
}
