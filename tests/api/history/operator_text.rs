//! Hostile operator text on every history page stays inert.

use super::*;

const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>",
];

#[tokio::test]
async fn operator_text_never_reaches_a_page_unescaped() {
    let (app, store) = quiet_app().await;
    let all = HOSTILE.join(" ");
    let block = HOSTILE.join("\n\n");
    let mut ids = Vec::new();
    for (n, hostile) in HOSTILE.iter().enumerate() {
        let i = store
            .create_incident(
                &opening(
                    hostile,
                    Impact::Major,
                    &block,
                    &[("api", ComponentStatus::MajorOutage)],
                ),
                now() - hours(3),
            )
            .await
            .unwrap();
        store
            .add_incident_update(&i.id, &update(IncidentStatus::Identified, &all, &[]), now())
            .await
            .unwrap();
        let resolved = store
            .create_incident(
                &opening(hostile, Impact::Minor, &all, &[]),
                now() - hours(2),
            )
            .await
            .unwrap();
        store
            .add_incident_update(
                &resolved.id,
                &update(IncidentStatus::Resolved, &block, &[]),
                now() - hours(1),
            )
            .await
            .unwrap();
        let upcoming = store
            .create_maintenance(&window(hostile, &block, now() + hours(5), 1), now())
            .await
            .unwrap();
        let running = store
            .create_maintenance(&window(hostile, &all, now() - hours(1), 2), now())
            .await
            .unwrap();
        ids.push(format!("/incidents/{}", i.id));
        ids.push(format!("/incidents/{}", resolved.id));
        ids.push(format!("/maintenances/{}", upcoming.id));
        ids.push(format!("/maintenances/{}", running.id));
        assert!(n < HOSTILE.len());
    }
    wait_for(&app, "/", 200, "Maintenance in progress").await;

    let mut paths = vec!["/".to_owned(), "/incidents".to_owned()];
    paths.extend(ids);
    for path in &paths {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(path, &html);
    }
    // The titles are still there, as text.
    let (_, html) = app.get(&paths[2]).await;
    assert_eq!(texts(&html, "h1"), [HOSTILE[0]]);
    app.stop().await;
}

/// No script, no event handler, no `javascript:` target, no injected element.
pub fn assert_inert(path: &str, html: &str) {
    for raw in ["<script", "<img", "<iframe", "<style"] {
        assert!(!html.contains(raw), "{path}: {raw:?} unescaped");
    }
    let doc = scraper::Html::parse_document(html);
    for node in doc.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        assert!(
            !matches!(el.name(), "script" | "img" | "iframe" | "object" | "embed"),
            "{path}: <{}>",
            el.name()
        );
        for (name, value) in el.attrs() {
            assert!(
                !name.starts_with("on") && name != "style",
                "{path}: {name}={value}"
            );
            assert!(
                !value.trim().to_ascii_lowercase().starts_with("javascript:"),
                "{path}: {name}={value}"
            );
        }
    }
}
