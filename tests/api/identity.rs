//! Accounts, sessions, CSRF, throttling, resets.
use serde_json::json;

use crate::helpers::{browser, csrf_token, spawn_app, spawn_app_with, test_settings, PASSWORD};

#[tokio::test]
async fn registration_refuses_common_and_short_passwords_and_bad_input() {
    let app = spawn_app().await;
    let client = browser();
    let csrf = csrf_token(&app, &client).await;
    let cases = [
        (
            json!({"email": "a@example.org", "full_name": "A", "nationality": "BE", "password": "password1234"}),
            "common",
        ),
        (
            json!({"email": "a@example.org", "full_name": "A", "nationality": "BE", "password": "short"}),
            "12 characters",
        ),
        (
            json!({"email": "not-an-email", "full_name": "A", "nationality": "BE", "password": PASSWORD}),
            "email",
        ),
        (
            json!({"email": "a@example.org", "full_name": "A", "nationality": "XX", "password": PASSWORD}),
            "member state",
        ),
    ];
    for (body, expected) in cases {
        let response = client
            .post(app.url("/api/accounts"))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{body}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert!(
            problem["detail"].as_str().unwrap().contains(expected),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn a_state_changing_request_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let client = browser();

    let missing = client
        .post(app.url("/api/session"))
        .json(&json!({"email": "a@b.org", "password": "x"}))
        .send()
        .await
        .unwrap();
    let forged = client
        .post(app.url("/api/session"))
        .header("x-csrf-token", "guess")
        .json(&json!({"email": "a@b.org", "password": "x"}))
        .send()
        .await
        .unwrap();
    let _ = csrf_token(&app, &client).await;
    let csrf = csrf_token(&app, &client).await;
    let foreign_origin = client
        .post(app.url("/api/session"))
        .header("x-csrf-token", &csrf)
        .header("origin", "https://evil.example")
        .json(&json!({"email": "a@b.org", "password": "x"}))
        .send()
        .await
        .unwrap();

    for response in [missing, forged, foreign_origin] {
        assert_eq!(response.status(), 403);
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["type"], "/problems/csrf");
    }
}

#[tokio::test]
async fn a_signed_in_request_must_carry_the_sessions_own_token() {
    let app = spawn_app().await;
    let user = app.candidate("ana@example.org").await;

    let stale = user
        .client
        .post(app.url("/api/account/password"))
        .header("x-csrf-token", "not-the-session-token")
        .json(&json!({"current_password": PASSWORD, "new_password": "another long passphrase"}))
        .send()
        .await
        .unwrap();

    assert_eq!(stale.status(), 403);
}

#[tokio::test]
async fn unknown_emails_and_wrong_passwords_get_the_same_answer() {
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;

    let (_, wrong_password) = app
        .login("ana@example.org", "a wrong but long password")
        .await;
    let (_, unknown_email) = app
        .login("nobody@example.org", "a wrong but long password")
        .await;

    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown_email.status(), 401);
    let a: serde_json::Value = wrong_password.json().await.unwrap();
    let b: serde_json::Value = unknown_email.json().await.unwrap();
    assert_eq!(a, b);
}

#[tokio::test]
async fn repeated_failures_lock_the_email_even_for_the_right_password() {
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    for _ in 0..api::service::accounts::ACCOUNT_FAILURE_THRESHOLD {
        let (_, response) = app
            .login("ana@example.org", "a wrong but long password")
            .await;
        assert_eq!(response.status(), 401);
    }

    let (_, locked) = app.login("ana@example.org", PASSWORD).await;
    let (_, unknown_locked) = {
        for _ in 0..api::service::accounts::ACCOUNT_FAILURE_THRESHOLD {
            app.login("ghost@example.org", "a wrong but long password")
                .await;
        }
        app.login("ghost@example.org", "a wrong but long password")
            .await
    };

    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    // Locking does not reveal registration: an unknown email locks the same way.
    assert_eq!(unknown_locked.status(), 429);
    let events: Vec<String> = entity::audit_events::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(events.contains(&"login.lockout".to_owned()));
}

use sea_orm::EntityTrait;

fn set_cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        })
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

#[tokio::test]
async fn logout_revokes_the_session_on_the_server() {
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    // A client without a cookie jar, so the session cookie can be replayed after logout.
    let raw = reqwest::Client::new();
    let first = raw.get(app.url("/api/session")).send().await.unwrap();
    let csrf_cookie = set_cookie(&first, "ep_csrf");
    let login = raw
        .post(app.url("/api/session"))
        .header("cookie", format!("ep_csrf={csrf_cookie}"))
        .header("x-csrf-token", &csrf_cookie)
        .json(&json!({"email": "ana@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let session = set_cookie(&login, "ep_session");
    let csrf: serde_json::Value = login.json().await.unwrap();
    let csrf = csrf["csrf_token"].as_str().unwrap().to_owned();
    let with_cookie = |request: reqwest::RequestBuilder| {
        request.header("cookie", format!("ep_session={session}"))
    };
    assert_eq!(
        with_cookie(raw.get(app.url("/api/account")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let logout = with_cookie(raw.delete(app.url("/api/session")))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);

    let replay = with_cookie(raw.get(app.url("/api/account")))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let (mut settings, dir) = crate::helpers::test_settings().await;
    settings.session_idle_minutes = 0;
    let app = crate::helpers::spawn_app_with(settings, dir).await;
    let user = app.candidate("ana@example.org").await;

    let response = user.get(&app, "/api/account").await;

    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_password_change_ends_other_sessions() {
    let app = spawn_app().await;
    let first = app.candidate("ana@example.org").await;
    let (second, _) = app.login("ana@example.org", PASSWORD).await;

    let response = first
        .post_json(
            &app,
            "/api/account/password",
            json!({"current_password": PASSWORD, "new_password": "another long passphrase"}),
        )
        .await;
    assert_eq!(response.status(), 200);

    assert_eq!(
        second
            .get(app.url("/api/account"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        first.get(&app, "/api/account").await.status(),
        200,
        "the changer keeps a fresh session"
    );
}

fn token_from_outbox(body: &str) -> String {
    let start = body.find("token=").expect("a token link") + "token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_reset_token_works_once_and_not_after_it_expires() {
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let client = browser();
    let csrf = csrf_token(&app, &client).await;
    let ask = |email: &'static str| {
        client
            .post(app.url("/api/password-reset"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"email": email}))
            .send()
    };
    assert_eq!(ask("ana@example.org").await.unwrap().status(), 202);
    assert_eq!(
        ask("nobody@example.org").await.unwrap().status(),
        202,
        "same answer for unknown emails"
    );
    let mail = api::service::outbox::list(&app.db, 10).await.unwrap();
    let reset = mail
        .iter()
        .find(|m| m.subject.starts_with("Reset"))
        .expect("reset mail");
    assert_eq!(
        mail.iter()
            .filter(|m| m.subject.starts_with("Reset"))
            .count(),
        1
    );
    let token = token_from_outbox(&reset.body);
    let confirm = |password: &'static str| {
        client
            .post(app.url("/api/password-reset/confirm"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"token": token, "password": password}))
            .send()
    };

    assert_eq!(
        confirm("a brand new passphrase").await.unwrap().status(),
        204
    );
    assert_eq!(
        confirm("yet another passphrase").await.unwrap().status(),
        422,
        "single use"
    );
    let (_, login) = app.login("ana@example.org", "a brand new passphrase").await;
    assert_eq!(login.status(), 200);

    // An expired token is refused.
    ask("ana@example.org").await.unwrap();
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, QueryFilter};
    let pending = entity::one_time_tokens::Entity::find()
        .filter(entity::one_time_tokens::Column::UsedAt.is_null())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut expired: entity::one_time_tokens::ActiveModel = pending.into();
    expired.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    expired.update(&app.db).await.unwrap();
    let mail = api::service::outbox::list(&app.db, 10).await.unwrap();
    let latest = token_from_outbox(&mail[0].body);
    let response = client
        .post(app.url("/api/password-reset/confirm"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"token": latest, "password": "too late passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_disabled() {
    let app = spawn_app().await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
    let client = &admin.client;

    let response = client
        .patch(app.url(&format!("/api/admin/accounts/{}", admin.account_id)))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({"role": "assessor"}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn an_admin_invites_an_assessor_who_sets_a_password_and_the_audit_log_shows_it() {
    let app = spawn_app().await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;

    let invited = admin
        .post_json(
            &app,
            "/api/admin/accounts",
            json!({"email": "rui@example.org", "full_name": "Rui", "role": "assessor"}),
        )
        .await;
    assert_eq!(invited.status(), 201);
    let outbox: serde_json::Value = admin
        .get(&app, "/api/admin/outbox")
        .await
        .json()
        .await
        .unwrap();
    // The admin sees the invitation without its token; Rui's mailbox has the link.
    let shown = outbox[0]["body"].as_str().unwrap();
    assert!(shown.contains("token=[hidden]"), "{shown}");
    let mailbox = api::service::outbox::list(&app.db, 10).await.unwrap();
    assert!(!shown.contains(&token_from_outbox(&mailbox[0].body)));
    let token = token_from_outbox(&mailbox[0].body);
    let client = browser();
    let csrf = csrf_token(&app, &client).await;
    let set = client
        .post(app.url("/api/password-reset/confirm"))
        .header("x-csrf-token", csrf)
        .json(&json!({"token": token, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 204);
    let (_, login) = app.login("rui@example.org", PASSWORD).await;
    assert_eq!(login.status(), 200);

    let audit: serde_json::Value = admin
        .get(&app, "/api/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    let events: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for expected in ["account.invited", "invitation.accepted", "login.success"] {
        assert!(events.contains(&expected), "{expected} in {events:?}");
    }
}

#[tokio::test]
async fn the_outbox_shows_admins_no_live_token_and_each_reading_is_audited() {
    // Arrange: a password reset is requested.
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
    let client = browser();
    let csrf = csrf_token(&app, &client).await;
    let requested = client
        .post(app.url("/api/password-reset"))
        .header("x-csrf-token", csrf)
        .json(&json!({"email": "ana@example.org"}))
        .send()
        .await
        .unwrap();
    assert!(requested.status().is_success());
    let token = token_from_outbox(&api::service::outbox::list(&app.db, 1).await.unwrap()[0].body);

    // Act
    let outbox = admin
        .get(&app, "/api/admin/outbox")
        .await
        .text()
        .await
        .unwrap();
    let audit = admin
        .get(&app, "/api/admin/audit")
        .await
        .text()
        .await
        .unwrap();

    // Assert
    assert!(!outbox.contains(&token), "{outbox}");
    assert!(outbox.contains("token=[hidden]"), "{outbox}");
    assert!(audit.contains("outbox.read"), "{audit}");
}

/// Logs in through a trusted proxy that says the client is `address`; returns the status.
async fn login_from(
    app: &crate::helpers::TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> u16 {
    let client = browser();
    let csrf = csrf_token(app, &client).await;
    client
        .post(app.url("/api/session"))
        .header("x-csrf-token", csrf)
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn guesses_from_one_address_never_lock_the_owner_out_and_a_reset_clears_them() {
    // Arrange: behind a trusted proxy; Mallory guesses Ana's password from 203.0.113.66.
    let (mut settings, data_dir) = crate::helpers::test_settings().await;
    settings.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let app = crate::helpers::spawn_app_with(settings, data_dir).await;
    app.candidate("ana@example.org").await;
    let mallory = "203.0.113.66";
    let mut statuses = Vec::new();
    for n in 0..8 {
        statuses.push(
            login_from(
                &app,
                mallory,
                "ana@example.org",
                &format!("guess number {n}"),
            )
            .await,
        );
    }

    // Act
    let mallory_with_the_right_password =
        login_from(&app, mallory, "ana@example.org", PASSWORD).await;
    let ana_from_home = login_from(&app, "198.51.100.20", "ana@example.org", PASSWORD).await;
    let mailbox_before = api::service::outbox::list(&app.db, 100)
        .await
        .unwrap()
        .len();
    let client = browser();
    let csrf = csrf_token(&app, &client).await;
    client
        .post(app.url("/api/password-reset"))
        .header("x-csrf-token", &csrf)
        .header("x-forwarded-for", "198.51.100.20")
        .json(&json!({"email": "ana@example.org"}))
        .send()
        .await
        .unwrap();
    let mail = api::service::outbox::list(&app.db, 1).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert!(
        api::service::outbox::list(&app.db, 100)
            .await
            .unwrap()
            .len()
            > mailbox_before
    );
    let confirmed = client
        .post(app.url("/api/password-reset/confirm"))
        .header("x-csrf-token", &csrf)
        .header("x-forwarded-for", "198.51.100.20")
        .json(&json!({"token": token_from_outbox(&mail[0].body), "password": "a brand new long passphrase"}))
        .send()
        .await
        .unwrap();
    let after_reset = login_from(
        &app,
        mallory,
        "ana@example.org",
        "a brand new long passphrase",
    )
    .await;

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
    let client = browser();
    let csrf = csrf_token(&app, &client).await;

    // Act: bogus confirmations, then repeated reset requests for one email.
    let mut confirmations = Vec::new();
    for n in 0..12 {
        let response = client
            .post(app.url("/api/password-reset/confirm"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"token": format!("made-up-{n}"), "password": "a brand new long passphrase"}))
            .send()
            .await
            .unwrap();
        confirmations.push(response.status().as_u16());
    }
    let mut requests = Vec::new();
    for _ in 0..5 {
        let response = client
            .post(app.url("/api/password-reset"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"email": "ana@example.org"}))
            .send()
            .await
            .unwrap();
        requests.push(response.status().as_u16());
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

/// Candidates behind one address (an office, a campus) register at the same moment: each counts
/// against the address's registration allowance, and none may fail because another was counted
/// at once (on PostgreSQL both once found no throttle row and the second insert collided: a 500).
#[tokio::test]
async fn simultaneous_registrations_from_one_address_are_all_counted_and_none_fails() {
    // Arrange: every client holds its CSRF token before any registration is sent.
    let (mut settings, data_dir) = test_settings().await;
    settings.registrations_per_address = 100;
    let app = spawn_app_with(settings, data_dir).await;
    let mut clients = Vec::new();
    for i in 0..24 {
        let client = browser();
        let csrf = csrf_token(&app, &client).await;
        clients.push((client, csrf, format!("same-office-{i}@example.org")));
    }

    // Act
    let responses = futures_util::future::join_all(clients.iter().map(|(client, csrf, email)| {
        client
            .post(app.url("/api/accounts"))
            .header("x-csrf-token", csrf)
            .json(&json!({
                "email": email, "full_name": "Ana Silva", "nationality": "BE", "password": PASSWORD
            }))
            .send()
    }))
    .await;

    // Assert
    let statuses: Vec<u16> = responses
        .into_iter()
        .map(|r| r.expect("answered").status().as_u16())
        .collect();
    assert_eq!(statuses, vec![201; 24], "every registration succeeds");
}
