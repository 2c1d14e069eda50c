//! Operator Markdown → safe HTML (SPEC §4): the only text a template ever
//! renders with `|safe`, and only through [`SafeHtml`], which nothing else
//! can construct.
//!
//! Two layers, so a slip in one is caught by the other:
//! 1. pulldown-cmark parses the Markdown; raw HTML (blocks and inline) is
//!    dropped, images become their alt text, and headings become bold
//!    paragraphs (an operator's `#` must not break the page's heading order,
//!    which the accessibility audit checks).
//! 2. ammonia cleans the HTML against a small allowlist of tags, lets links
//!    keep only `http`, `https` and `mailto` (or relative) targets, and adds
//!    `rel="nofollow noopener noreferrer"` to every link.
//!
//! Images are removed rather than limited to `https`: the CSP allows images
//! from this origin only, so a remote image could never load, and a status
//! page has no need for tracking pixels in operator text.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// HTML that came out of [`render`]; safe to insert unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Tags an operator's Markdown may produce (ammonia's allowlist).
pub const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .tag_attributes(
            [
                // `title` keeps a Markdown link's title as its tooltip.
                ("a", ["href", "title"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        // ammonia allows `lang` and `title` on every tag unless told
        // otherwise; the allowlist above is the whole list.
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("nofollow noopener noreferrer"))
        .clean_content_tags(["script", "style"].into_iter().collect::<HashSet<_>>())
        .strip_comments(true);
    b
});

/// Renders operator Markdown as sanitized HTML.
pub fn render(markdown: &str) -> SafeHtml {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            // Raw HTML is removed, not escaped into view (SPEC §4).
            Event::Html(_) | Event::InlineHtml(_) => {}
            // An image shows as its alt text (the events between start and end).
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Heading { .. }) => {
                events.push(Event::Start(Tag::Paragraph));
                events.push(Event::Start(Tag::Strong));
            }
            Event::End(TagEnd::Heading(_)) => {
                events.push(Event::End(TagEnd::Strong));
                events.push(Event::End(TagEnd::Paragraph));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    SafeHtml(CLEANER.clean(&html).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md).to_string()
    }

    /// Nothing that could run script or escape its element survives: only
    /// allowlisted elements, no `on*` or `style` attributes, and link targets
    /// only of the allowed schemes. (Text that merely *reads* like an
    /// attribute, e.g. `onclick="…"` as words, is harmless and may stay.)
    fn assert_inert(out: &str) {
        let doc = scraper::Html::parse_fragment(out);
        for node in doc.root_element().descendants() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            let name = el.name();
            assert!(
                name == "html" || ALLOWED_TAGS.contains(&name),
                "<{name}> in {out}"
            );
            for (attr, value) in el.attrs() {
                assert!(
                    matches!(attr, "href" | "rel" | "start"),
                    "attribute {attr} in {out}"
                );
                if attr == "href" {
                    let v = value.trim().to_ascii_lowercase();
                    assert!(
                        v.starts_with("https:")
                            || v.starts_with("http:")
                            || v.starts_with("mailto:")
                            || !v.contains(':'),
                        "href {value} in {out}"
                    );
                }
            }
        }
        let lower = out.to_ascii_lowercase();
        for bad in ["<script", "<img", "<iframe", "<style", "<svg"] {
            assert!(!lower.contains(bad), "{bad:?} in {out}");
        }
    }

    #[test]
    fn markdown_basics_render() {
        let out = html("Hello **world**, *you* and `code`.\n\n- one\n- two\n\n1. a\n2. b");
        assert!(
            out.contains(
                "<p>Hello <strong>world</strong>, <em>you</em> and <code>code</code>.</p>"
            ),
            "{out}"
        );
        assert!(
            out.contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
            "{out}"
        );
        assert!(out.contains("<ol>"), "{out}");
    }

    #[test]
    fn links_keep_safe_targets_and_get_rel() {
        let out = html("See [the docs](https://example.test/a?b=1&c=2) or <https://x.test>.");
        assert!(
            out.contains(r#"<a href="https://example.test/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">the docs</a>"#),
            "{out}"
        );
        assert!(out.contains(r#"href="https://x.test""#), "{out}");
        let out = html("[mail](mailto:ops@example.test) [here](/components/api)");
        assert!(out.contains(r#"href="mailto:ops@example.test""#), "{out}");
        assert!(out.contains(r#"href="/components/api""#), "{out}");
    }

    #[test]
    fn script_tags_are_removed_with_their_content() {
        for md in [
            "<script>alert(1)</script>",
            "before <script>alert(1)</script> after",
            "<div>\n<script>alert(1)</script>\n</div>",
            "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
        ] {
            assert_inert(&html(md));
        }
        // A raw HTML block goes whole; inline tags go, leaving inert text.
        assert!(render("<script>alert(1)</script>").is_empty());
        assert_eq!(
            html("before <script>alert(1)</script> after"),
            "<p>before alert(1) after</p>\n"
        );
    }

    #[test]
    fn javascript_and_data_links_lose_their_target() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](java\tscript:alert(1))",
            "[click](&#106;avascript:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "[click](vbscript:msgbox)",
            "<javascript:alert(1)>",
            "[click][r]\n\n[r]: javascript:alert(1)",
        ] {
            let out = html(md);
            assert_inert(&out);
        }
        assert_eq!(
            html("[click](javascript:alert(1))"),
            "<p><a rel=\"nofollow noopener noreferrer\">click</a></p>\n"
        );
    }

    #[test]
    fn quotes_cannot_break_out_of_attributes() {
        let out = html(
            r#"[x](https://a.test/"onmouseover="alert(1)) and [y](https://a.test/ "title" onclick="alert(1)")"#,
        );
        assert_inert(&out);
        let out = html(r#"["><img src=x onerror=alert(1)>](https://a.test)"#);
        assert_inert(&out);
        let out = html(r#""><img src=x onerror=alert(1)>"#);
        assert_inert(&out);
        assert_eq!(out, "<p>\"&gt;</p>\n");
    }

    #[test]
    fn raw_html_and_event_handlers_are_dropped() {
        for md in [
            "<div onclick=\"alert(1)\">hi</div>",
            "<p style=\"color:red\" onmouseover=alert(1)>x</p>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.test\"></iframe>",
            "<svg onload=alert(1)>",
            "<style>body{display:none}</style>",
            "<form action=https://evil.test><input name=x></form>",
            "<!-- comment --> text",
            "<object data=x></object><embed src=x>",
        ] {
            assert_inert(&html(md));
        }
        // Inline HTML goes, the Markdown around it stays.
        assert_eq!(html("a <b onclick=x>bold</b> c"), "<p>a bold c</p>\n");
    }

    #[test]
    fn images_become_their_alt_text() {
        let out = html("![status diagram](https://evil.test/pixel.png \"t\")");
        assert_eq!(out, "<p>status diagram</p>\n");
        assert_inert(&html("![x](javascript:alert(1))"));
    }

    #[test]
    fn headings_become_paragraphs() {
        let out = html("# Big\n\n### Small\n\ntext");
        assert!(!out.contains("<h"), "{out}");
        assert!(out.contains("<p><strong>Big</strong></p>"), "{out}");
    }

    #[test]
    fn code_is_escaped_and_tables_lose_inline_styles() {
        let out = html("```html\n<script>alert(1)</script>\n```");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert!(!out.contains("class="), "{out}");
        let out = html("| a | b |\n|:--|--:|\n| 1 | 2 |");
        assert!(
            out.contains("<table>") && out.contains("<td>2</td>"),
            "{out}"
        );
        assert!(!out.contains("style"), "{out}");
    }

    #[test]
    fn empty_input_is_empty() {
        assert!(render("").is_empty());
        assert!(render("  \n\n ").is_empty());
    }
}
