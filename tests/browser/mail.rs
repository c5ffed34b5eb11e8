//! Mail on the pages: the language of a candidate's mail on /account, stopping reminders on
//! /applications, and the admins' preview of every message and a vacancy's reminder plan.

use crate::driver::*;

#[tokio::test]
async fn a_candidate_chooses_the_language_of_their_mail_and_stops_reminders() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let (ana, _application) = app.applicant("ana@example.org", "251334").await;
    log_in(&client, &app, "ana@example.org").await;

    client.goto(&app.url("/account")).await.unwrap();
    wait_for_text(&client, "Language of your emails").await;
    choose(&client, "#mail-language", "fr").await;
    click_then_see(&client, "#save-language", "will now be written in French").await;
    assert_accessible(&client, "account, mail language saved (en)").await;
    let account = api::service::accounts::list(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == "ana@example.org")
        .unwrap();
    assert_eq!(account.language, policy::Lang::Fr);

    client.goto(&app.url("/applications")).await.unwrap();
    wait_for_text(&client, "Stop reminders for this vacancy").await;
    click(&client, ".stop-reminders").await;
    wait_for_text(&client, "no more reminders for this vacancy").await;
    assert_accessible(&client, "applications, reminders stopped (en)").await;
    let (_, own) = ana.fetch(&app, "/api/applications").await;
    assert_eq!(own[0]["reminders_stopped"], true, "{own}");

    language(&client, &app, "fr").await;
    client.goto(&app.url("/applications")).await.unwrap();
    wait_for_text(&client, "Ne plus recevoir de rappels pour ce poste").await;
    assert_accessible(&client, "applications, reminders stopped (fr)").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_admin_previews_the_mail_and_sees_a_vacancys_reminder_plan() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    app.admin().await;
    app.applicant("ana@example.org", "251334").await;
    log_in(&client, &app, "admin@example.org").await;

    client.goto(&app.url("/admin/mail")).await.unwrap();
    wait_for_all(
        &client,
        &[
            "Reminder of an incomplete application",
            "receipt.fr.txt",
            "Accusé de réception",
        ],
    )
    .await;
    assert_accessible(&client, "mail preview (en)").await;

    client
        .goto(&app.url("/admin/vacancy?ref=251334"))
        .await
        .unwrap();
    wait_for_all(
        &client,
        &[
            "Incomplete applications: 1",
            "72 h reminder on",
            "24 h reminder on",
        ],
    )
    .await;
    assert_accessible(&client, "vacancy with its reminder plan (en)").await;

    language(&client, &app, "fr").await;
    client.goto(&app.url("/admin/mail")).await.unwrap();
    wait_for_text(&client, "Courriels envoyés par le portail").await;
    assert_accessible(&client, "mail preview (fr)").await;
    client.close().await.unwrap();
}
