//! Password resets and the outbox that carries them.
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_reset_token_works_once_and_not_after_it_expires() {
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let visitor = app.visitor().await;
    let ask = |email: &str| visitor.status(&app, "/api/password-reset", json!({"email": email}));
    assert_eq!(ask("ana@example.org").await, 202);
    assert_eq!(
        ask("nobody@example.org").await,
        202,
        "same answer for unknown emails"
    );
    let mail = api::service::outbox::list(&app.db, 10).await.unwrap();
    let resets: Vec<_> = mail
        .iter()
        .filter(|m| m.subject.starts_with("Reset"))
        .collect();
    assert_eq!(resets.len(), 1);
    let token = token_from_outbox(&resets[0].body);
    let confirm = |token: &str, password: &str| {
        let body = json!({"token": token, "password": password});
        visitor.status(&app, "/api/password-reset/confirm", body)
    };

    assert_eq!(confirm(&token, "a brand new passphrase").await, 204);
    assert_eq!(
        confirm(&token, "yet another passphrase").await,
        422,
        "single use"
    );
    let (_, login) = app.login("ana@example.org", "a brand new passphrase").await;
    assert_eq!(login.status(), 200);

    // An expired token is refused.
    ask("ana@example.org").await;
    use entity::one_time_tokens::{ActiveModel, Column, Entity};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let pending = Entity::find().filter(Column::UsedAt.is_null()).one(&app.db);
    let mut expired: ActiveModel = pending.await.unwrap().unwrap().into();
    expired.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    expired.update(&app.db).await.unwrap();
    let latest = latest_token(&app).await;
    assert_eq!(confirm(&latest, "too late passphrase").await, 422);
}

#[tokio::test]
async fn the_outbox_shows_admins_no_live_token_and_each_reading_is_audited() {
    // Arrange: a password reset is requested.
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let admin = app.admin().await;
    let asked = json!({"email": "ana@example.org"});
    let visitor = app.visitor().await;
    let requested = visitor.status(&app, "/api/password-reset", asked).await;
    assert!((200..300).contains(&requested));
    let token = latest_token(&app).await;

    // Act
    let read = |path: &'static str| {
        let (admin, app) = (&admin, &app);
        async move { admin.get(app, path).await.text().await.unwrap() }
    };
    let outbox = read("/api/admin/outbox").await;
    let audit = read("/api/admin/audit").await;

    // Assert
    assert!(!outbox.contains(&token), "{outbox}");
    assert!(outbox.contains("token=[hidden]"), "{outbox}");
    assert!(audit.contains("outbox.read"), "{audit}");
}
