//! Guessing is slowed down without locking the owner out.
use serde_json::json;

use super::*;

#[tokio::test]
async fn repeated_failures_lock_the_email_even_for_the_right_password() {
    use api::service::accounts::ACCOUNT_FAILURE_THRESHOLD;
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let wrong = "a wrong but long password";
    for _ in 0..ACCOUNT_FAILURE_THRESHOLD {
        let (_, response) = app.login("ana@example.org", wrong).await;
        assert_eq!(response.status(), 401);
    }

    let (_, locked) = app.login("ana@example.org", PASSWORD).await;
    let (_, unknown_locked) = {
        for _ in 0..ACCOUNT_FAILURE_THRESHOLD {
            app.login("ghost@example.org", wrong).await;
        }
        app.login("ghost@example.org", wrong).await
    };

    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    // Locking does not reveal registration: an unknown email locks the same way.
    assert_eq!(unknown_locked.status(), 429);
    use sea_orm::EntityTrait;
    let events = entity::audit_events::Entity::find().all(&app.db).await;
    let events: Vec<String> = events.unwrap().into_iter().map(|e| e.event).collect();
    assert!(events.contains(&"login.lockout".to_owned()));
}

#[tokio::test]
async fn guesses_from_one_address_never_lock_the_owner_out_and_a_reset_clears_them() {
    // Arrange: behind a trusted proxy; Mallory guesses Ana's password from 203.0.113.66.
    let app = spawn_app_changed(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    app.candidate("ana@example.org").await;
    let (mallory, ana) = ("203.0.113.66", "ana@example.org");
    let mut statuses = Vec::new();
    for n in 0..8 {
        statuses.push(login_from(&app, mallory, ana, &format!("guess number {n}")).await);
    }

    // Act
    let mallory_with_the_right_password = login_from(&app, mallory, ana, PASSWORD).await;
    let ana_from_home = login_from(&app, "198.51.100.20", ana, PASSWORD).await;
    let mailbox = || api::service::outbox::list(&app.db, 100);
    let mailbox_before = mailbox().await.unwrap().len();
    let visitor = app.visitor().await;
    let from_home = |path: &str, body| {
        let request = visitor.post(&app, path, body);
        request.header("x-forwarded-for", "198.51.100.20").send()
    };
    from_home("/api/password-reset", json!({"email": ana}))
        .await
        .unwrap();
    let mail = api::service::outbox::list(&app.db, 1).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert!(mailbox().await.unwrap().len() > mailbox_before);
    let new_password = "a brand new long passphrase";
    let token = token_from_outbox(&mail[0].body);
    let confirm = json!({"token": token, "password": new_password});
    let confirmed = from_home("/api/password-reset/confirm", confirm);
    let confirmed = confirmed.await.unwrap();
    let after_reset = login_from(&app, mallory, ana, new_password).await;

    // Assert
    assert_eq!(&statuses[..5], &[401; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(
        mallory_with_the_right_password, 429,
        "the guessing address stays slowed down"
    );
    assert_eq!(
        ana_from_home, 200,
        "the owner, from elsewhere, is not locked out"
    );
    assert_eq!(confirmed.status(), 204);
    assert_eq!(after_reset, 200, "a reset clears the slowdown");
}

#[tokio::test]
async fn made_up_reset_tokens_and_repeated_requests_are_refused_cheaply() {
    // Arrange
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let visitor = app.visitor().await;

    // Act: bogus confirmations, then repeated reset requests for one email.
    let mut confirmations = Vec::new();
    for n in 0..12 {
        let made_up =
            json!({"token": format!("made-up-{n}"), "password": "a brand new long passphrase"});
        let status = visitor.status(&app, "/api/password-reset/confirm", made_up);
        confirmations.push(status.await);
    }
    let mut requests = Vec::new();
    for _ in 0..5 {
        let asked = json!({"email": "ana@example.org"});
        requests.push(visitor.status(&app, "/api/password-reset", asked).await);
    }
    let mails = api::service::outbox::list(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == "ana@example.org")
        .count();

    // Assert: a made-up token is refused as such (422), then the address is slowed (429);
    // the victim gets three mails, not five.
    assert!(
        confirmations[..10].iter().all(|s| *s == 422),
        "{confirmations:?}"
    );
    assert!(
        confirmations[10..].iter().all(|s| *s == 429),
        "{confirmations:?}"
    );
    assert_eq!(mails, 3, "{requests:?}");
    assert!(requests[3..].iter().all(|s| *s == 429), "{requests:?}");
}
