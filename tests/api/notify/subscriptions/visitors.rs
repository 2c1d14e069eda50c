//! E-mail subscribers: double opt-in, one component only, one-click
//! unsubscribe; the same answer for every address, bots, floods and junk.

use super::*;

#[tokio::test]
async fn a_visitor_subscribes_confirms_hears_of_their_component_only_and_unsubscribes_in_one_click()
{
    let (app, smtp, token) = start().await;
    let client = reqwest::Client::new();
    let (_, page) = app.get("/components/api").await;
    assert_eq!(
        texts(&page, "form.subscribe-form[action=\"/subscribe\"] button"),
        ["Subscribe"]
    );
    assert_eq!(
        texts(&page, "input[name=components][value=api][checked]").len(),
        1
    );
    assert!(page.contains("href=\"/maintenances.ics\""));

    let (status, answer) = post_form(
        &app,
        &client,
        "/subscribe",
        "email=visitor%40example.com&components=api&website=",
    )
    .await;
    assert_eq!(status, 200);
    assert!(answer.contains("Check your inbox"));
    let confirm = &smtp.wait_for(1).await[0];
    assert_eq!(confirm.rcpt_tos, ["visitor@example.com"]);
    assert!(confirm.part("text/html").is_some());
    maintenance(&app, &token, "Before confirming", "api", true).await;
    assert_eq!(
        settle(&smtp).await.len(),
        1,
        "nothing before the confirmation"
    );

    let (status, confirmed) = app
        .get(&path_of(&link(confirm, "/subscriptions/confirm/")))
        .await;
    assert_eq!(status, 200, "{confirmed}");
    assert!(confirmed.contains("Subscription confirmed"));
    let (status, _) = app
        .get(&path_of(&link(confirm, "/subscriptions/confirm/")))
        .await;
    assert_eq!(status, 404, "a confirmation link works once");

    maintenance(&app, &token, "Website move", "web", true).await;
    maintenance(&app, &token, "Quiet API work", "api", false).await;
    maintenance(&app, &token, "API database upgrade", "api", true).await;
    let mails = smtp.wait_for(2).await;
    let announcement = &mails[1];
    let subject = announcement.header("Subject").join(" ");
    assert!(subject.contains("API database upgrade"), "{subject}");
    assert_eq!(
        settle(&smtp).await.len(),
        2,
        "nothing about web, nothing posted quietly"
    );
    let text = announcement.part("text/plain").unwrap();
    assert!(
        text.contains("Maintenance scheduled: API database upgrade") && text.contains("Public API")
    );
    assert!(
        announcement
            .part("text/html")
            .unwrap()
            .contains("Unsubscribe")
    );
    let unsubscribe = announcement.header("List-Unsubscribe")[0]
        .trim_matches(['<', '>'])
        .to_owned();
    assert_eq!(
        announcement.header("List-Unsubscribe-Post"),
        ["List-Unsubscribe=One-Click"]
    );
    assert_eq!(
        unsubscribe,
        link(announcement, "/subscriptions/unsubscribe/")
    );

    let (status, page) = app.get(&path_of(&unsubscribe)).await;
    assert_eq!(status, 200);
    assert_eq!(
        texts(&page, "main form[method=post] button"),
        ["Unsubscribe"]
    );
    let (status, done) = post_form(
        &app,
        &client,
        &path_of(&unsubscribe),
        "List-Unsubscribe=One-Click",
    )
    .await;
    assert_eq!(status, 200);
    assert!(done.contains("You are unsubscribed"));
    maintenance(&app, &token, "After unsubscribing", "api", true).await;
    assert_eq!(settle(&smtp).await.len(), 2, "no mail after unsubscribing");
    let listed = app
        .admin(Method::GET, "/api/admin/subscribers", &token, None)
        .await;
    assert_eq!(listed.body["subscribers"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn the_answer_never_tells_addresses_apart_and_bots_floods_and_junk_are_refused_cleanly() {
    let (app, smtp, _token) = start().await;
    let client = reqwest::Client::new();
    let (_, fresh) = post_form(&app, &client, "/subscribe", "email=a%40example.com").await;
    let confirm = &smtp.wait_for(1).await[0];
    app.get(&path_of(&link(confirm, "/subscriptions/confirm/")))
        .await;
    let (status, known) = post_form(&app, &client, "/subscribe", "email=a%40example.com").await;
    assert_eq!(status, 200);
    assert_eq!(
        texts(&known, "main"),
        texts(&fresh, "main"),
        "same answer for a known address"
    );
    let (status, bot) = post_form(
        &app,
        &client,
        "/subscribe",
        "email=b%40example.com&website=x",
    )
    .await;
    assert_eq!((status, texts(&bot, "main")), (200, texts(&fresh, "main")));
    assert_eq!(
        settle(&smtp).await.len(),
        1,
        "no mail to a confirmed address or a bot"
    );

    let hostile = [
        "email=",
        "email=not%20an%20address",
        "email=a%40b.example%0d%0aBcc%3a%20c%40d.example",
        "email=a%40b.example&components=nope",
        "email=a%40b.example&components=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%ff%fe=%00",
    ];
    for body in hostile {
        let (status, page) = post_form(&app, &client, "/subscribe", body).await;
        assert_eq!(status, 422, "{body}: {page}");
        assert!(!page.contains("<script>alert"), "escaped");
    }
    let (status, _) = app.get("/subscriptions/confirm/bcn_forged").await;
    assert_eq!(status, 404);
    let (status, _) = post_form(&app, &client, "/subscriptions/unsubscribe/abc.def", "").await;
    assert_eq!(status, 404);

    let flooder = crate::helpers::client_from(3);
    for n in 0..10 {
        let (status, _) = post_form(
            &app,
            &flooder,
            "/subscribe",
            &format!("email=flood{n}%40example.com"),
        )
        .await;
        assert_eq!(status, 200, "sign-up {n}");
    }
    let (status, page) =
        post_form(&app, &flooder, "/subscribe", "email=flood10%40example.com").await;
    assert_eq!(status, 429, "{page}");
    let other = crate::helpers::client_from(4);
    let (status, _) = post_form(&app, &other, "/subscribe", "email=elsewhere%40example.com").await;
    assert_eq!(status, 200, "another client is not limited");
    app.stop().await;
}
