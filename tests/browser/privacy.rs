//! A candidate's own data from the account page: download it, and delete the account (at once,
//! or waiting for an assessment under way), in English and French, at phone and desktop size.

use crate::driver::*;

/// Whether the page's export link answers with a ZIP for this browser's session.
async fn export_link_gives_a_zip(client: &fantoccini::Client) -> bool {
    let href = element(client, "#export-data")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let answer = client
        .execute_async(
            "const [href, done] = [arguments[0], arguments[arguments.length - 1]];
             fetch(href, { credentials: 'same-origin' })
               .then((r) => done(r.status === 200 && r.headers.get('content-type') === 'application/zip'))
               .catch(() => done(false));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    answer == serde_json::json!(true)
}

#[tokio::test]
async fn a_candidate_downloads_their_data_and_deletes_their_account_in_french() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let (ana, application) = app.applicant("ana@example.org", "251334").await;
    let (status, _) = crate::helpers::status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);

    log_in(&client, &app, "ana@example.org").await;
    client.goto(&app.url("/account")).await.unwrap();
    wait_for_text(&client, "Your data").await;
    assert!(export_link_gives_a_zip(&client).await);
    assert_accessible(&client, "account with its data section (en)").await;

    language(&client, &app, "fr").await;
    client.goto(&app.url("/account")).await.unwrap();
    wait_for_text(&client, "Vos données").await;
    assert_accessible(&client, "account with its data section (fr)").await;
    fill(&client, "#erase-password", crate::helpers::PASSWORD).await;
    click_then_see(&client, "#erase-account", "Cochez la case").await;
    click(&client, "#erase-confirm").await;
    click_then_see(&client, "#erase-account", "ont été supprimés").await;
    assert_accessible(&client, "account deleted (fr)").await;
    // The header no longer names the person: it offers to log in, as to anyone.
    element(&client, "#login-link").await;
    assert_eq!(count(&client, "#account-link").await, 0);
    assert!(!body_text(&client).await.contains("Ana Silva"));
    snap(&client, "fr-account-erased").await;

    let (_, login) = app.login("ana@example.org", crate::helpers::PASSWORD).await;
    assert_eq!(login.status(), 401);
    client.close().await.unwrap();
}

#[tokio::test]
async fn deleting_an_account_during_an_assessment_is_recorded_and_says_what_it_waits_for() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let (ana, application) = app.applicant("ana@example.org", "251334").await;
    let (status, _) = crate::helpers::status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);
    app.close("251334").await;

    log_in(&client, &app, "ana@example.org").await;
    client.goto(&app.url("/account")).await.unwrap();
    fill(&client, "#erase-password", crate::helpers::PASSWORD).await;
    click(&client, "#erase-confirm").await;
    click_then_see(&client, "#erase-account", "Your request is recorded").await;
    assert!(body_text(&client).await.contains("251334"));
    assert_accessible(&client, "erasure recorded (en)").await;

    // Coming back, the page says the request waits, in either language.
    client.goto(&app.url("/account")).await.unwrap();
    wait_for_text(&client, "It waits for the assessment of 251334").await;
    language(&client, &app, "fr").await;
    client.goto(&app.url("/account")).await.unwrap();
    wait_for_text(&client, "Elle attend la fin de l’évaluation de 251334").await;
    assert_accessible(&client, "erasure waiting (fr)").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_admin_sets_a_vacancy_retention_period_in_both_languages() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    app.admin().await;
    log_in(&client, &app, "admin@example.org").await;

    client
        .goto(&app.url("/admin/vacancy?ref=251334"))
        .await
        .unwrap();
    wait_for_text(&client, "Personal data will be deleted on").await;
    fill(&client, "#retention-months", "6").await;
    click_then_see(&client, "#retention-save", "Retention period saved.").await;
    assert_accessible(&client, "vacancy retention saved (en)").await;

    language(&client, &app, "fr").await;
    client
        .goto(&app.url("/admin/vacancy?ref=251334"))
        .await
        .unwrap();
    wait_for_text(&client, "Les données personnelles seront supprimées le").await;
    let months = element(&client, "#retention-months").await;
    assert_eq!(months.prop("value").await.unwrap().as_deref(), Some("6"));
    assert_accessible(&client, "vacancy retention (fr)").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_admin_exports_and_erases_a_candidate_on_request_from_the_accounts_page() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let (ana, application) = app.applicant("ana@example.org", "251334").await;
    let (status, _) = crate::helpers::status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);
    app.admin().await;
    log_in(&client, &app, "admin@example.org").await;
    language(&client, &app, "fr").await;

    client.goto(&app.url("/admin/accounts")).await.unwrap();
    let row = "tr[data-email='ana@example.org']";
    click(&client, &format!("{row} details.personal-data summary")).await;
    let export = element(&client, &format!("{row} a[data-action='export']")).await;
    let href = export.attr("href").await.unwrap().unwrap();
    let answer = client
        .execute_async(
            "const [href, done] = [arguments[0], arguments[arguments.length - 1]];
             fetch(href).then((r) => done(r.status === 200 && r.headers.get('content-type') === 'application/zip'));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(answer, serde_json::json!(true));
    assert_accessible(&client, "accounts, a candidate's personal data open (fr)").await;
    let reason = element(&client, &format!("{row} input[id^='erase-reason-']")).await;
    reason
        .send_keys("demande par courriel du 30 novembre")
        .await
        .unwrap();
    // Irreversible: the dialog's button stays disabled until the person's name is typed.
    click(&client, &format!("{row} button[data-action='erase']")).await;
    let yes = element(&client, "#confirm-erase-yes").await;
    assert!(
        !yes.is_enabled().await.unwrap(),
        "erase enabled before the name was typed"
    );
    assert_accessible(&client, "accounts, erasure confirmation (fr)").await;
    snap(&client, "fr-admin-erase-confirm").await;
    fill(&client, "#confirm-erase-typed", "Ana Silv").await;
    assert!(
        !yes.is_enabled().await.unwrap(),
        "erase enabled on a partial name"
    );
    fill(&client, "#confirm-erase-typed", "ana silva ").await;
    assert!(yes.is_enabled().await.unwrap());
    click_then_see(&client, "#confirm-erase-yes", "ont été effacés").await;
    assert_eq!(count(&client, row).await, 0);
    assert_accessible(&client, "accounts, candidate erased (fr)").await;
    let (_, login) = app.login("ana@example.org", crate::helpers::PASSWORD).await;
    assert_eq!(login.status(), 401);
    client.close().await.unwrap();
}
