//! What visitors may not do with reports (SPEC §10): more than three an
//! hour, markup that runs, bodies that are not form data, unknown
//! components, bots through the honeypot.

use super::{Server, config, urlencode};
use crate::helpers::{client_from, texts};

const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "'); DROP TABLE reports; --",
    "</textarea><b>bold</b>",
];

#[tokio::test]
async fn a_fourth_report_in_the_hour_gets_the_429_page() {
    let server = Server::start(&config("")).await;
    let client = client_from(2);
    for _ in 0..3 {
        assert_eq!(server.report(&client, "api", "down").await, 200);
    }
    let body = b"note=again".to_vec();
    let (status, retry, html) = server.report_raw(&client, "api", body, None).await;
    assert_eq!((status, retry.as_deref()), (429, Some("3600")));
    assert_eq!(texts(&html, "h1"), ["Too many reports"]);
    assert_eq!(texts(&html, "a.button[href='/components/api']").len(), 1);
    // Per component, and per client.
    assert_eq!(server.report(&client, "web", "down").await, 200);
    assert_eq!(server.report(&client_from(3), "api", "down").await, 200);
    assert_eq!(server.reports("?component=api").await["total"], 4);
}

#[tokio::test]
async fn hostile_notes_are_stored_as_text_and_inert_everywhere() {
    let server = Server::start(&config("public = true")).await;
    for (n, note) in (2..).zip(HOSTILE) {
        let (status, _, html) = server
            .report_raw(
                &client_from(n),
                "api",
                format!("note={}", urlencode(note)).into_bytes(),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(texts(&html, "h1"), ["Thank you"]);
        assert!(
            !html.contains(note),
            "the thank-you page does not echo the note"
        );
    }
    for path in [
        "/",
        "/components/api",
        "/components/web",
        "/incidents",
        "/api/v2/summary.json",
    ] {
        let (_, body) = server.page(path).await;
        for note in HOSTILE {
            assert!(!body.contains(note), "{path} shows {note:?}");
        }
        assert!(
            !body.contains("onerror") && !body.contains("alert("),
            "{path}"
        );
    }
    let response = reqwest::Client::new()
        .get(format!("{}/api/admin/reports", server.url))
        .bearer_auth(&server.token)
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let list: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    let mut notes: Vec<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["note"].as_str().unwrap())
        .collect();
    notes.reverse();
    assert_eq!(
        notes, HOSTILE,
        "the admin API returns the exact text, as JSON"
    );
}

#[tokio::test]
async fn bad_bodies_unknown_components_and_bots_get_clear_answers() {
    let server = Server::start(&config("")).await;
    let client = client_from(2);
    let cases: [(&str, Vec<u8>, u16, &str); 4] = [
        (
            "invalid utf-8 escape",
            b"note=%FF%FE".to_vec(),
            400,
            "Bad request",
        ),
        (
            "invalid utf-8 bytes",
            b"note=\xc3\x28".to_vec(),
            400,
            "Bad request",
        ),
        (
            "501 characters",
            format!("note={}", "é".repeat(501)).into_bytes(),
            422,
            "Report not sent",
        ),
        (
            "10 KB note",
            format!("note={}", "a".repeat(10 * 1024)).into_bytes(),
            422,
            "Report not sent",
        ),
    ];
    for (name, body, want, title) in cases {
        let (status, _, html) = server.report_raw(&client, "api", body, None).await;
        assert_eq!(status, want, "{name}");
        let heading = texts(&html, "h1").concat();
        assert!(heading.contains(title), "{name}: {heading}");
    }
    let huge = format!("note={}", "%41".repeat(20_000)).into_bytes();
    let (status, ..) = server.report_raw(&client, "api", huge, None).await;
    assert_eq!(status, 413, "60 KB body");
    let (status, _, html) = server
        .report_raw(&client, "nope", b"note=x".to_vec(), None)
        .await;
    assert_eq!(
        (status, texts(&html, ".error-code")),
        (404, vec!["404".to_owned()])
    );
    assert_eq!(
        server.reports("").await["total"],
        0,
        "nothing stored so far"
    );

    let bot = b"note=buy+pills&website=http%3A%2F%2Fspam.example".to_vec();
    let (status, _, html) = server.report_raw(&client, "api", bot, None).await;
    assert_eq!(
        (status, texts(&html, "h1")),
        (200, vec!["Thank you".to_owned()])
    );
    assert_eq!(
        server.reports("").await["total"],
        0,
        "the honeypot drops bots"
    );
    let (status, ..) = server
        .report_raw(&client, "api", b"note=ok".to_vec(), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(server.reports("").await["total"], 1);
}
