//! Staff in the browser: an assessor reads and scores, the chair decides, an admin saves rules.

use serde_json::json;

use crate::driver::*;
use crate::helpers::fixture;

#[tokio::test]
async fn an_assessor_reads_and_scores_the_chair_decides_and_an_admin_saves_rules_with_a_self_test()
{
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let admin = app.admin().await;
    let chair = app
        .staff("chair@example.org", api::domain::Role::Assessor)
        .await;
    let (candidate, application) = app.applicant("ana@example.org", "251334").await;
    let (name, essay) = ("251334 Key challenges.docx", fixture("two-pages-a4.docx"));
    candidate
        .upload_accepted(&app, &application, name, essay)
        .await;
    let members = json!([{"account_id": chair.account_id, "chair": true}]);
    assert_eq!(app.seat_panel(&admin, "251334", members).await, 204);
    app.close("251334").await;

    // The chair reads the anonymous DOCX as HTML and scores it.
    log_in(&client, &app, "chair@example.org").await;
    client.goto(&app.url("/assess")).await.unwrap();
    click(&client, "a[href^='/essay']").await;
    let essay = text_of(&client, "#essay-text").await;
    assert!(essay.contains("Key challenges"), "{essay}");
    let page = body_text(&client).await;
    assert!(!page.contains("Ana Silva") && !page.contains("ana@example.org"));
    click_then_see(&client, "#submit-score", "you: ").await;

    // The chair sees the aggregate and longlists.
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_text(&client, "Results").await;
    click_then_see(&client, "button[data-decide]", "longlisted").await;

    // An admin edits the vacancy's rules; the self-test runs on save.
    click(&client, "#account-link").await;
    click(&client, "#logout").await;
    // Logging out navigates home; wait for it before going anywhere else.
    wait_for_text(&client, "Register").await;
    log_in(&client, &app, "admin@example.org").await;
    client.goto(&app.url("/admin")).await.unwrap();
    click(&client, "details summary").await;
    click_then_see(&client, "button[data-save='251334']", "Self-test passed").await;
    client.close().await.unwrap();
}
