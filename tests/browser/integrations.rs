//! The Integrations page in French: an admin creates an API token (shown once, with a copy
//! button), revokes it after a second click, adds a webhook (its secret shown once) and sees its
//! first delivery fail against an address where nothing listens, with a button to send it again.
//! Every state passes axe-core at phone and desktop size.
use crate::driver::*;

#[tokio::test]
async fn an_admin_creates_a_token_and_a_webhook_on_the_french_integrations_page() {
    let Some((app, _driver, client)) = start(false, None).await else {
        return;
    };
    app.admin().await;
    log_in(&client, &app, "admin@example.org").await;
    language(&client, &app, "fr").await;

    client.goto(&app.url("/admin/integrations")).await.unwrap();
    wait_for_all(
        &client,
        &[
            "Intégrations",
            "Jetons d’API",
            "Aucun jeton pour l’instant.",
            "Aucun webhook pour l’instant.",
        ],
    )
    .await;
    assert_eq!(html_lang(&client).await.as_deref(), Some("fr"));
    assert_accessible(&client, "integrations, empty (fr)").await;

    // A token without a scope is refused by the page itself.
    fill(&client, "#token-name", "ATS production").await;
    click(&client, "#token-form button[type=submit]").await;
    wait_for_text(&client, "Choisissez au moins un droit.").await;
    click(&client, "#token-scopes-vacancies_read").await;
    click(&client, "#token-scopes-results_read").await;
    click(&client, "#token-form button[type=submit]").await;
    wait_for_text(&client, "Copiez-le maintenant : il ne sera plus montré.").await;
    let token = element(&client, "#token-value")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(token.starts_with("ept_"), "{token}");
    wait_for_text(&client, "Pas encore utilisé").await;
    assert_accessible(&client, "integrations, token shown once (fr)").await;

    // The token works, and the page shows it was used.
    let response = reqwest::Client::new()
        .get(app.url("/api/admin/vacancies"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    client.refresh().await.unwrap();
    wait_for_text(&client, "ATS production").await;
    assert_eq!(
        count(&client, "#token-value").await,
        0,
        "the token is shown again"
    );
    assert!(!body_text(&client).await.contains("Pas encore utilisé"));

    click(&client, "[data-action=revoke]").await;
    wait_for_text(&client, "Révoquer « ATS production » définitivement ?").await;
    assert_accessible(&client, "integrations, revoking (fr)").await;
    click_then_see(
        &client,
        "[data-confirm=yes]",
        "Jeton « ATS production » révoqué.",
    )
    .await;
    wait_for_text(&client, "RÉVOQUÉ").await;

    fill(&client, "#webhook-url", "http://127.0.0.1:9/hooks").await;
    click(&client, "#webhook-events-vacancy_published").await;
    click(&client, "#webhook-form button[type=submit]").await;
    wait_for_text(&client, "Webhook ajouté. Copiez son secret maintenant").await;
    let secret = element(&client, "#webhook-secret")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_accessible(&client, "integrations, webhook secret shown once (fr)").await;

    // A vacancy is published; nothing listens at the address, so the first attempt fails.
    app.open_vacancy("260001", chrono::Utc::now() + chrono::Duration::days(3))
        .await;
    for _ in 0..60 {
        click(&client, "#webhooks-refresh").await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        if count(&client, "[data-event='vacancy.published'] .acc-error").await > 0 {
            break;
        }
    }
    wait_for_all(
        &client,
        &["Envois (1)", "vacancy.published", "EN ATTENTE", "Renvoyer"],
    )
    .await;
    assert_accessible(&client, "integrations, a failed delivery (fr)").await;
    click_then_see(
        &client,
        "[data-action=resend]",
        "Il sera renvoyé dans quelques secondes.",
    )
    .await;
    client.close().await.unwrap();
}
