//! Tests of reading the file's shape: syntax errors, unknown keys and
//! value types, each reported at its line and column.

use crate::config::tests::{COMPONENT, assert_cases, http, problems};

#[test]
fn a_syntax_error_is_one_problem_at_its_line() {
    let found = problems("[site]\ntitle = \"Acme\"\ndescription = \n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 3);
    assert!(
        found[0].2.starts_with("TOML syntax error: "),
        "{}",
        found[0].2
    );
    let found = problems("[site]\ntitle = \"a\"\ntitle = \"b\"\n");
    assert_eq!(
        (found.len(), found[0].0, found[0].1),
        (1, 3, 1),
        "{found:?}"
    );
    assert!(found[0].2.contains("duplicate key"), "{}", found[0].2);
}

#[test]
#[rustfmt::skip]
fn unknown_keys_are_named_with_their_section() {
    let component = format!("{COMPONENT}colour = \"red\"\n");
    assert_cases(&[
        ("top level", "titel = \"x\"\n".into(), 1, 1, "top level: unknown key `titel`"),
        ("site", "[site]\ntitel = \"x\"\n".into(), 2, 1, "[site]: unknown key `titel`"),
        ("site subtable", "[site.extra]\na = 1\n".into(), 1, 7, "[site]: unknown key `extra`"),
        ("server", "[server]\nport = 80\n".into(), 2, 1, "[server]: unknown key `port`"),
        ("database", "[database]\npath = \"x\"\n".into(), 2, 1, "[database]: unknown key `path`"),
        ("component", component, 4, 1, "component \"api\": unknown key `colour`"),
        ("check", http("intervall = \"5s\"\n"), 9, 1, "check \"c\": unknown key `intervall`"),
    ]);
}

#[test]
fn an_entry_without_a_usable_id_is_named_by_position_and_all_its_problems_reported() {
    let found = problems(&format!(
        "{COMPONENT}[[checks]]\nkind = \"tcp\"\nport = 1\nid = 3\n"
    ));
    let at: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(at, [(4, 1), (4, 1), (4, 1), (6, 1), (7, 6)], "{found:#?}");
    assert!(
        found
            .iter()
            .all(|(_, _, m)| m.starts_with("[[checks]] #1: ")),
        "{found:#?}"
    );
    assert!(found[0].2.ends_with("missing required key `id`"));
    assert!(found[1].2.ends_with("missing required key `component`"));
    assert!(found[2].2.ends_with("missing required key `address`"));
    assert!(found[3].2.contains("unknown key `port`"));
    assert!(found[4].2.ends_with("`id` must be a string, found integer"));
}

#[test]
#[rustfmt::skip]
fn wrong_value_types_name_the_expected_type() {
    let auto = format!("{COMPONENT}auto_incidents = \"yes\"\n");
    assert_cases(&[
        ("integer", "[site]\nhistory_days = \"90\"\n".into(), 2, 16, "`history_days` must be an integer, found string"),
        ("float", "[database]\nretention_days = 1.5\n".into(), 2, 18, "must be an integer, found float"),
        ("string", "[site]\ntitle = 1\n".into(), 2, 9, "`title` must be a string, found integer"),
        ("bool", auto, 4, 18, "`auto_incidents` must be true or false, found string"),
        ("duration", http("interval = 30\n"), 9, 12, "`interval` must be a duration string"),
        ("table", "site = 1\n".into(), 1, 8, "`site` must be a table, found integer"),
        ("array", "components = 3\n".into(), 1, 14, "`components` must be an array of tables"),
        ("array entry", "checks = [1]\n".into(), 1, 11, "each entry of `checks` must be a table"),
        ("statuses", http("expect_status = 200\n"), 9, 17, "`expect_status` must be an array"),
        ("status entry", http("expect_status = [true]\n"), 9, 18, "each `expect_status` entry must be"),
        ("headers", http("headers = [\"A\"]\n"), 9, 11, "`headers` must be a table of strings"),
        ("header value", http("headers = { A = 1 }\n"), 9, 17, "header `A` must be a string, found integer"),
    ]);
}
