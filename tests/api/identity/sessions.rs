//! Sessions: CSRF, logging in and out, idle expiry, password changes.
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_state_changing_request_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let client = browser();
    let login = || json!({"email": "a@b.org", "password": "x"});

    let missing = client.post(app.url("/api/session")).json(&login()).send();
    let missing = missing.await.unwrap();
    let forged = app.post(&client, "/api/session", "guess", login()).send();
    let forged = forged.await.unwrap();
    let _ = csrf_token(&app, &client).await;
    let csrf = csrf_token(&app, &client).await;
    let foreign_origin = app
        .post(&client, "/api/session", &csrf, login())
        .header("origin", "https://evil.example")
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

    let change = json!({"current_password": PASSWORD, "new_password": "another long passphrase"});
    let stale = app.post(
        &user.client,
        "/api/account/password",
        "not-the-session-token",
        change,
    );
    let stale = stale.send().await.unwrap();

    assert_eq!(stale.status(), 403);
}

#[tokio::test]
async fn unknown_emails_and_wrong_passwords_get_the_same_answer() {
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;

    let wrong = "a wrong but long password";
    let (_, wrong_password) = app.login("ana@example.org", wrong).await;
    let (_, unknown_email) = app.login("nobody@example.org", wrong).await;

    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown_email.status(), 401);
    let a: serde_json::Value = wrong_password.json().await.unwrap();
    let b: serde_json::Value = unknown_email.json().await.unwrap();
    assert_eq!(a, b);
}

#[tokio::test]
async fn logout_revokes_the_session_on_the_server() {
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    // A client without a cookie jar, so the session cookie can be replayed after logout.
    let raw = reqwest::Client::new();
    let first = raw.get(app.url("/api/session")).send().await.unwrap();
    let csrf_cookie = set_cookie(&first, "ep_csrf");
    let body = json!({"email": "ana@example.org", "password": PASSWORD});
    let login = app
        .post(&raw, "/api/session", &csrf_cookie, body)
        .header("cookie", format!("ep_csrf={csrf_cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let session = set_cookie(&login, "ep_session");
    let csrf: serde_json::Value = login.json().await.unwrap();
    let csrf = csrf["csrf_token"].as_str().unwrap().to_owned();
    let send = |request: reqwest::RequestBuilder| {
        let request = request.header("cookie", format!("ep_session={session}"));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(send(raw.get(app.url("/api/account"))).await, 200);

    let logout = raw
        .delete(app.url("/api/session"))
        .header("x-csrf-token", &csrf);
    assert_eq!(send(logout).await, 204);

    assert_eq!(send(raw.get(app.url("/api/account"))).await, 401);
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let app = spawn_app_changed(|s| s.session_idle_minutes = 0).await;
    let user = app.candidate("ana@example.org").await;

    let response = user.get(&app, "/api/account").await;

    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_password_change_ends_other_sessions() {
    let app = spawn_app().await;
    let first = app.candidate("ana@example.org").await;
    let (second, _) = app.login("ana@example.org", PASSWORD).await;

    let change = json!({"current_password": PASSWORD, "new_password": "another long passphrase"});
    let (status, _) = first.send(&app, "/api/account/password", change).await;
    assert_eq!(status, 200);

    let other = second.get(app.url("/api/account")).send().await.unwrap();
    assert_eq!(other.status(), 401);
    assert_eq!(
        first.get(&app, "/api/account").await.status(),
        200,
        "the changer keeps a fresh session"
    );
}
