//! The report forms and the public count: where they show, and that
//! `enabled = false` removes them and the route.

use super::*;

#[tokio::test]
async fn the_public_count_shows_only_when_enabled() {
    let public = Server::start(&config("public = true")).await;
    for n in [2, 3, 3] {
        assert_eq!(public.report(&client_from(n), "api", "").await, 200);
    }
    // Read-your-writes: the count is on the page the moment the report is thanked.
    let (_, index) = public.page("/").await;
    assert!(
        texts(&index, ".report-count")
            .contains(&"2 visitors reported a problem in the last hour".to_owned()),
        "{:?}",
        texts(&index, ".report-count")
    );
    let (_, web) = public.page("/components/web").await;
    assert_eq!(
        texts(&web, ".report-count"),
        ["No visitor reported a problem in the last hour"]
    );

    let private = Server::start(&config("")).await;
    assert_eq!(private.report(&client_from(2), "api", "").await, 200);
    for path in ["/", "/components/api"] {
        let (_, html) = private.page(path).await;
        assert!(texts(&html, ".report-count").is_empty(), "{path}");
        assert!(!html.contains("reported a problem"), "{path}");
    }
}

#[tokio::test]
async fn forms_are_on_both_pages_and_disabled_reports_remove_them_and_the_route() {
    let on = Server::start(&config("")).await;
    let (_, index) = on.page("/").await;
    let forms = texts(&index, "li.component form.report-form[method=post]");
    assert_eq!(forms.len(), 2, "one per component on /");
    let (_, page) = on.page("/components/api").await;
    assert_eq!(
        texts(&page, "form.report-form[action='/components/api/report']").len(),
        1
    );

    let off = Server::start(&config("enabled = false")).await;
    for path in ["/", "/components/api"] {
        let (status, html) = off.page(path).await;
        assert_eq!(status, 200);
        assert!(texts(&html, "form.report-form").is_empty(), "{path}");
    }
    let (status, _, html) = off
        .report_raw(&client_from(2), "api", b"note=x".to_vec(), None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(texts(&html, ".error-code"), ["404"]);
}
