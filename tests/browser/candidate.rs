//! A candidate's journeys: registering, applying, being told the fix, the receipt, withdrawing.

use chrono::Utc;
use fantoccini::{Client, Locator};

use crate::driver::*;
use crate::helpers::PASSWORD;

/// Fills in and sends the registration form; the header then shows the name.
async fn register(client: &Client, email: &str, name: &str, nationality: &str) {
    fill(client, "#email", email).await;
    fill(client, "#full_name", name).await;
    choose(client, "#nationality", nationality).await;
    fill(client, "#password", PASSWORD).await;
    click(client, "#register").await;
    assert_eq!(text_of(client, "#account-link").await, name);
}

#[tokio::test]
async fn a_candidate_registers_applies_reads_the_fix_and_gets_a_receipt_in_both_languages() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };

    // Register (and be logged in).
    client.goto(&app.url("/register")).await.unwrap();
    register(&client, "ana@example.org", "Ana Silva", "PT").await;

    // Apply.
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Keep the Alliance ready").await;
    affirm_all(&client).await;
    click(&client, "#apply").await;

    // A failing essay: the pre-check warns, the server's checklist explains the fix.
    let input = "#file-key-challenges";
    pick_file(&client, input, "three-pages-a4.docx", "my essay.docx").await;
    wait_for_text(&client, "Before sending, we noticed").await;
    snap(&client, "precheck").await;
    click(&client, "#anyway-key-challenges").await;
    wait_for_all(
        &client,
        &["Not accepted", "251334 Key challenges.docx", "page 3"],
    )
    .await;
    // The picture of the pages: three A4 boxes, the third past the two-page limit.
    let boxes = count(&client, ".pages .page").await;
    let over = count(&client, ".pages .page.over").await;
    assert_eq!((boxes, over), (3, 1));
    wait_for_text(&client, "Page 3 starts").await;
    snap(&client, "rejected").await;

    // A passing essay, then the receipt.
    pick_file(
        &client,
        input,
        "two-pages-a4.docx",
        "251334 Key challenges.docx",
    )
    .await;
    wait_for_text(&client, "Accepted").await;
    snap(&client, "accepted").await;
    let receipt = client
        .wait()
        .at_most(std::time::Duration::from_secs(40))
        .for_element(Locator::LinkText("See your receipt"))
        .await
        .unwrap();
    receipt.click().await.unwrap();
    wait_for_all(&client, &["SHA-256", "251334 Key challenges.docx"]).await;

    // French.
    click_then_see(&client, "#lang-fr", "Accusé de réception").await;
    snap(&client, "receipt-fr").await;
    assert_eq!(html_lang(&client).await.as_deref(), Some("fr"));
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_candidate_registers_logs_in_sees_their_name_reads_french_and_logs_out() {
    let Some((app, _driver, client)) = start(false, None).await else {
        return;
    };

    // Register: every field has a label, nationality is one of the member states.
    client.goto(&app.url("/register")).await.unwrap();
    for id in ["email", "full_name", "nationality", "password"] {
        let label = text_of(&client, &format!("label[for='{id}']")).await;
        assert!(!label.is_empty(), "no label for #{id}");
    }
    let options = count(&client, "#nationality option").await;
    assert_eq!(options, 34, "placeholder, 32 member states and OTHER");
    register(&client, "bo@example.org", "Bo Jensen", "DK").await;

    // Log out, then log in again through the form.
    click(&client, "#account-link").await;
    click(&client, "#logout").await;
    text_of(&client, "#login-link").await;
    log_in(&client, &app, "bo@example.org").await;
    assert_eq!(text_of(&client, "#account-link").await, "Bo Jensen");
    wait_for_text(&client, "My applications").await;

    // French: the switch re-renders the page, sets <html lang> and is remembered.
    click(&client, "#lang-fr").await;
    wait_for_all(&client, &["Mes candidatures", "Postes à pourvoir"]).await;
    assert_eq!(html_lang(&client).await.as_deref(), Some("fr"));
    let pressed = element(&client, "#lang-fr")
        .await
        .attr("aria-pressed")
        .await
        .unwrap();
    assert_eq!(pressed.as_deref(), Some("true"));
    click_then_see(&client, "#account-link", "Mon compte").await;
    assert_eq!(html_lang(&client).await.as_deref(), Some("fr"));
    assert_eq!(text_of(&client, "#logout").await, "Se déconnecter");

    // Log out: the header offers to log in again, still in French.
    click(&client, "#logout").await;
    assert_eq!(text_of(&client, "#login-link").await, "Se connecter");
    let session: serde_json::Value = client
        .execute("return fetch('/api/session').then((r) => r.json())", vec![])
        .await
        .unwrap();
    assert!(session["account"].is_null(), "{session}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_candidate_withdraws_and_after_the_deadline_the_page_is_read_only() {
    let Some((app, _driver, client)) = start(true, Some("di@example.org")).await else {
        return;
    };
    log_in(&client, &app, "di@example.org").await;

    // Apply without confirming the statements: the page says what is missing.
    let vacancy = app.url("/vacancy?ref=251334");
    client.goto(&vacancy).await.unwrap();
    click(&client, "#apply").await;
    let alert = text_of(&client, "#apply-form [role='alert']").await;
    assert!(alert.contains("confirm"), "{alert}");
    affirm_all(&client).await;
    click(&client, "#apply").await;
    text_of(&client, "label[for='file-key-challenges']").await;

    // Withdraw asks first, then the apply form comes back.
    click_then_see(&client, "#withdraw", "Withdraw your application?").await;
    click_then_see(&client, "#withdraw-yes", "You withdrew this application.").await;
    text_of(&client, "#apply").await;
    affirm_all(&client).await;
    click(&client, "#apply").await;
    text_of(&client, "#file-key-challenges").await;

    // After the deadline: no upload, no withdraw, and the reason.
    app.set_deadline("251334", Utc::now() - chrono::Duration::minutes(10))
        .await;
    client.refresh().await.unwrap();
    wait_for_text(&client, "The deadline has passed").await;
    for css in ["#file-key-challenges", "#withdraw"] {
        assert!(
            client.find(Locator::Css(css)).await.is_err(),
            "{css} still shown"
        );
    }
    client.close().await.unwrap();
}
