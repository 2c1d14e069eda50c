//! Fuzzing the two parsers that take text from operators: the config file
//! (TOML → validated `Config`) and the Markdown renderer (Markdown → safe
//! HTML). proptest with many cases, bounded to well under a minute; `cargo
//! fuzz` needs a nightly toolchain and is not part of `cargo test`.
//!
//! Inputs are both arbitrary text and text built from the grammar's own
//! pieces (section headers, keys, values; Markdown syntax and hostile HTML),
//! which reach far deeper than random bytes do.

use std::path::Path;

use beacon::config::{Config, ConfigError};
use beacon::web::markdown;
use proptest::prelude::*;
use proptest::test_runner::{Config as Runner, FileFailurePersistence};

/// Cases per property; the four properties together run in about 20 s in
/// a debug build here.
const CASES: u32 = 4_000;

fn runner() -> Runner {
    Runner {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Runner::default()
    }
}

// ---- the config parser ----

/// Pieces of Beacon's config grammar, right and wrong.
fn config_line() -> impl Strategy<Value = String> {
    let header = prop::sample::select(vec![
        "[site]",
        "[server]",
        "[database]",
        "[[components]]",
        "[[checks]]",
        "[checks]",
        "[[site]]",
        "[unknown]",
    ])
    .prop_map(str::to_owned);
    let key = prop::sample::select(vec![
        "id",
        "name",
        "group",
        "component",
        "kind",
        "url",
        "address",
        "interval",
        "timeout",
        "expect_status",
        "expect_body",
        "degraded_over",
        "failure_threshold",
        "recovery_threshold",
        "headers",
        "record",
        "resolver",
        "min_days_left",
        "token",
        "grace",
        "title",
        "timezone",
        "history_days",
        "listen",
        "cache_max_age",
        "header_timeout",
        "max_connections",
        "retention_days",
        "auto_incidents",
        "method",
        "server_name",
        "bogus",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "\"api\"",
            "\"http\"",
            "\"tcp\"",
            "\"dns\"",
            "\"tls\"",
            "\"push\"",
            "\"30s\"",
            "\"0s\"",
            "\"1ms\"",
            "\"-5s\"",
            "\"forever\"",
            "\"http://127.0.0.1:1/\"",
            "\"127.0.0.1:9\"",
            "\"ftp://x\"",
            "\"Europe/Berlin\"",
            "\"Mars/Base\"",
            "0",
            "-1",
            "3",
            "99999999999999999999",
            "1e400",
            "true",
            "[200, \"3xx\"]",
            "[\"9xx\"]",
            "[]",
            "{ \"User-Agent\" = \"b\" }",
            "\"\"",
            "\"\\u0000\"",
            "'''multi\nline'''",
        ])
        .prop_map(str::to_owned),
        "[a-z0-9-]{0,12}".prop_map(|s| format!("\"{s}\"")),
        any::<i64>().prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        1 => header,
        6 => (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => ".{0,40}",
    ]
}

fn config_text() -> impl Strategy<Value = String> {
    prop::collection::vec(config_line(), 0..40).prop_map(|lines| lines.join("\n"))
}

/// What a user relies on: no panic; an error names every problem at a real
/// line and column of the file; a config that loads is consistent.
fn check_config(text: &str) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count();
    match Config::parse(text, Path::new("fuzz.toml")) {
        Ok(config) => {
            for check in &config.checks {
                prop_assert!(config.components.iter().any(|c| c.id == check.component));
                prop_assert!(check.timeout < check.interval, "{text}");
                prop_assert!(check.failure_threshold > 0 && check.recovery_threshold > 0);
            }
        }
        Err(ConfigError::Invalid { problems, .. }) => {
            prop_assert!(!problems.is_empty(), "an invalid config names a problem");
            for p in &problems {
                prop_assert!(p.line >= 1 && p.line <= lines, "{p:?} in\n{text}");
                prop_assert!(p.column >= 1, "{p:?}");
                prop_assert!(!p.message.is_empty());
            }
        }
        Err(other) => prop_assert!(false, "parse gave {other:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(runner())]

    #[test]
    fn the_config_parser_takes_any_text(text in any::<String>()) {
        check_config(&text)?;
    }

    #[test]
    fn the_config_parser_takes_any_arrangement_of_its_grammar(text in config_text()) {
        check_config(&text)?;
    }
}

// ---- the Markdown renderer ----

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "# ",
            "## ",
            "> ",
            "- ",
            "1. ",
            "* ",
            "```\n",
            "`",
            "**",
            "_",
            "~~",
            "\n\n",
            "\n",
            "| a | b |\n|---|---|\n| c | d |\n",
            "---\n",
            "[x](",
            ")",
            "![alt](",
            "<",
            ">",
            "&",
            "&lt;",
            "\\",
            "    ",
            "\t",
            "[ref]: ",
            "<https://x.example>",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<style>*{}</style>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:x",
            "<iframe src=//x>",
            "<!-- c -->",
            "<svg onload=alert(1)>",
            "\" onmouseover=\"x",
            "<p style=\"color:red\">",
            "</p>",
            "http://x.example/?a=<b>",
            "mailto:a@b.example",
            "<details open>",
            "&#x3C;script&#x3E;",
            "<math><mi xlink:href=\"javascript:x\">",
            "\u{0}",
            "\u{202e}",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9 .,:/()\\[\\]<>\"'=&#;-]{0,16}",
    ]
}

fn markdown_text() -> impl Strategy<Value = String> {
    prop::collection::vec(markdown_piece(), 0..40).prop_map(|pieces| pieces.concat())
}

/// The scheme a browser reads from `href` (WHATWG URL): tabs and newlines
/// anywhere and leading controls and spaces are dropped first; text before
/// the first `:` that is not a valid scheme makes the URL relative (`None`).
fn url_scheme(href: &str) -> Option<String> {
    let cleaned: String = href
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let cleaned = cleaned.trim_start_matches(|c: char| c <= ' ');
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// What a visitor relies on: the HTML, as a browser parses it, holds only
/// allowlisted tags, no attribute that runs code, and links only to
/// http(s), mailto or relative targets.
fn check_markdown(text: &str) -> Result<(), TestCaseError> {
    let html = markdown::render(text);
    let fragment = scraper::Html::parse_fragment(html.as_str());
    for node in fragment.root_element().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        if name == "html" {
            continue;
        }
        prop_assert!(
            markdown::ALLOWED_TAGS.contains(&name),
            "<{name}> from {text:?}: {}",
            html.as_str()
        );
        for (attribute, value) in element.attrs() {
            let allowed = matches!(
                (name, attribute),
                ("a", "href" | "rel" | "title") | ("ol", "start")
            );
            prop_assert!(allowed, "{name} {attribute}={value:?} from {text:?}");
            if attribute == "href" {
                let scheme = url_scheme(value);
                prop_assert!(
                    matches!(scheme.as_deref(), None | Some("http" | "https" | "mailto")),
                    "href {value:?} (scheme {scheme:?}) from {text:?}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(runner())]

    #[test]
    fn markdown_renders_any_text_safely(text in any::<String>()) {
        check_markdown(&text)?;
    }

    #[test]
    fn markdown_renders_hostile_markup_safely(text in markdown_text()) {
        check_markdown(&text)?;
    }
}
