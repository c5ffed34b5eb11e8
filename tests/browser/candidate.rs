//! A candidate's journeys: registering, applying, being told the fix, the receipt, withdrawing.

use chrono::{Duration, Utc};
use fantoccini::{Client, Locator};
use serde_json::json;

use crate::driver::*;
use crate::helpers::{TestApp, PASSWORD};

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
    wait_for_text(&client, "We keep your last 20 versions").await;
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
    click_then_see(&client, "#withdraw-yes", "You withdrew this application on").await;
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

/// Picks a file of `bytes`, saved as `as_name`, in the file input `css`.
async fn pick_bytes(client: &Client, css: &str, bytes: &[u8], as_name: &str) {
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join(as_name);
    std::fs::write(&path, bytes).unwrap();
    element(client, css)
        .await
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
}

/// The text of the checklist's cells in `column` (`expected`, `found`), row by row.
async fn column(client: &Client, label: &str) -> Vec<String> {
    let mut texts = vec![];
    let css = format!("table.checklist td[data-label='{label}']");
    for cell in client.find_all(Locator::Css(&css)).await.unwrap() {
        texts.push(cell.text().await.unwrap());
    }
    texts
}

/// `path` in `lang`, once its heading is there; then axe-core at both sizes.
async fn check_page(client: &Client, app: &TestApp, path: &str, lang: &str, needle: &str) {
    let sep = if path.contains('?') { '&' } else { '?' };
    client
        .goto(&app.url(&format!("{path}{sep}lang={lang}")))
        .await
        .unwrap();
    text_of(client, "main h1").await;
    wait_for_text(client, needle).await;
    assert_accessible(client, &format!("{path} ({lang})")).await;
}

#[tokio::test]
async fn the_checklist_reads_in_french_with_human_units_failing_rules_first_and_no_null() {
    // Arrange: Ana has applied; the page is in French.
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let ana = app.candidate("ana@example.org").await;
    ana.apply(&app, "251334").await;
    log_in(&client, &app, "ana@example.org").await;
    language(&client, &app, "fr").await;
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Vos documents").await;

    // Act: an essay a page too long, named as the rule asks.
    let input = "#file-key-challenges";
    pick_file(
        &client,
        input,
        "three-pages-a4.docx",
        "251334 Key challenges.docx",
    )
    .await;
    wait_for_text(&client, "Liste de contrôle").await;

    // Assert: the failing rule first, values in French and in human units.
    let first = element(&client, "table.checklist tbody tr").await;
    assert_eq!(
        first.attr("data-rule").await.unwrap().as_deref(),
        Some("pages")
    );
    let expected = column(&client, "Attendu").await;
    let found = column(&client, "Constaté").await;
    // Spaces as a reader sees them: no-break spaces (French typography) count as spaces.
    let all = format!("{expected:?} {found:?}").replace(['\u{a0}', '\u{202f}'], " ");
    for french in [
        "2 pages au maximum",
        "3 pages",
        "Mo au maximum",
        "non protégé par un mot de passe",
        "envoi commencé",
    ] {
        assert!(all.contains(french), "{french} not in {all}");
    }
    for english in [
        "at most",
        "bytes",
        "not encrypted",
        "upload begun",
        "T0",
        "Z\"",
    ] {
        assert!(!all.contains(english), "{english} in {all}");
    }
    let summary = text_of(&client, ".pages-picture p")
        .await
        .replace(['\u{a0}', '\u{202f}'], " ");
    assert!(
        summary.starts_with("3 pages ; la limite est de 2 pages."),
        "{summary}"
    );
    snap(&client, "checklist-fr").await;
    assert_accessible(&client, "upload result with a failing checklist (fr)").await;
    language(&client, &app, "en").await;
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    pick_file(
        &client,
        input,
        "three-pages-a4.docx",
        "251334 Key challenges.docx",
    )
    .await;
    wait_for_all(
        &client,
        &[
            "Checklist",
            "at most 2 pages",
            "3 pages; the limit is 2 pages.",
        ],
    )
    .await;
    assert_accessible(&client, "upload result with a failing checklist (en)").await;

    // Act: a file that is not a Word document at all, though named like one.
    pick_bytes(
        &client,
        input,
        b"PK\x03\x04 not really a zip archive",
        "251334 Key challenges.docx",
    )
    .await;
    wait_for_text(&client, "so its pages could not be counted").await;

    // Assert: the reason in words, never "null".
    let area = text_of(&client, "#application").await;
    assert!(!area.contains("null"), "{area}");

    // A phone is not told to drag and drop.
    client.set_window_size(PHONE.0, PHONE.1).await.unwrap();
    client.refresh().await.unwrap();
    wait_for_text(&client, "Choose your file:").await;
    assert!(!body_text(&client).await.contains("Drag and drop"));
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.unwrap();
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_extension_incomplete_and_withdrawn_applications_and_own_downloads_are_shown() {
    // Arrange: 251334's deadline has passed, but an admin extended it for Ana, whose application
    // has no document yet; she withdrew from 250875.
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    app.open_vacancy("250875", Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, "251334").await;
    let other = ana.apply(&app, "250875").await;
    let withdraw = format!("/api/applications/{other}/withdraw");
    assert_eq!(ana.send(&app, &withdraw, json!({})).await.0, 200);
    let admin = app.admin().await;
    let extension = json!({"account_id": ana.account_id, "deadline": Utc::now() + Duration::days(2),
        "reason": "reasonable accommodation"});
    let path = "/api/admin/vacancies/251334/extensions";
    assert_eq!(admin.send(&app, path, extension).await.0, 204);
    app.set_deadline("251334", Utc::now() - Duration::minutes(5))
        .await;
    log_in(&client, &app, "ana@example.org").await;

    // Act / Assert: "My applications" says incomplete, her own deadline, and the withdrawal.
    client.goto(&app.url("/applications")).await.unwrap();
    wait_for_all(
        &client,
        &[
            "Not complete yet: upload “Key challenges essay”",
            "Extended for you until",
            "You withdrew this application on",
        ],
    )
    .await;
    let withdrawn = text_of(&client, "[data-reference='250875']").await;
    assert!(!withdrawn.contains("deadline has passed"), "{withdrawn}");
    let incomplete = text_of(&client, "[data-reference='251334']").await;
    assert!(incomplete.contains("Closes in"), "{incomplete}");
    assert_accessible(&client, "applications, incomplete and withdrawn (en)").await;
    check_page(
        &client,
        &app,
        "/applications",
        "fr",
        "Prolongée pour vous jusqu’au",
    )
    .await;

    // The vacancy stays open for her.
    check_page(
        &client,
        &app,
        "/vacancy?ref=251334",
        "en",
        "Extended for you until",
    )
    .await;
    assert_eq!(text_of(&client, ".eyebrow .badge").await, "OPEN");
    text_of(&client, "#file-key-challenges").await;
    check_page(
        &client,
        &app,
        "/vacancy?ref=251334",
        "fr",
        "Prolongée pour vous",
    )
    .await;

    // Her accepted file can be downloaded from "My applications" and the receipt.
    let version = ana
        .upload_accepted(
            &app,
            &application,
            "251334 Key challenges.pdf",
            crate::helpers::pdf(&[crate::helpers::A4]),
        )
        .await;
    check_page(&client, &app, "/applications", "en", "Download my file").await;
    let href = element(&client, "a.download")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        href.ends_with(&format!("/api/versions/{version}/file")),
        "{href}"
    );
    let status = client
        .execute(
            "return fetch(arguments[0]).then((r) => r.status)",
            vec![json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(status, json!(200));
    check_page(
        &client,
        &app,
        &format!("/receipt?version={version}"),
        "fr",
        "Essai «\u{a0}Défis majeurs\u{a0}»",
    )
    .await;
    text_of(&client, "#download-file").await;
    check_page(
        &client,
        &app,
        &format!("/receipt?version={version}"),
        "en",
        "Key challenges essay",
    )
    .await;
    check_page(&client, &app, "/account", "en", "My account").await;
    check_page(&client, &app, "/account", "fr", "Mon compte").await;
    client.close().await.unwrap();
}
