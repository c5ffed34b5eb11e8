//! Registration, invitations and the last admin.
use serde_json::json;

use super::*;

#[tokio::test]
async fn registration_refuses_common_and_short_passwords_and_bad_input() {
    let app = spawn_app().await;
    let visitor = app.visitor().await;
    let account = |email: &str, nationality: &str, password: &str| json!({"email": email, "full_name": "A", "nationality": nationality, "password": password});
    let cases = [
        (account("a@example.org", "BE", "password1234"), "common"),
        (account("a@example.org", "BE", "short"), "12 characters"),
        (account("not-an-email", "BE", PASSWORD), "email"),
        (account("a@example.org", "XX", PASSWORD), "member state"),
    ];
    for (body, expected) in cases {
        let response = visitor.post(&app, "/api/accounts", body.clone()).send();
        let (status, problem) = status_of(response.await.unwrap()).await;
        assert_eq!(status, 422, "{body}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(expected), "{problem}");
    }
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_disabled() {
    let app = spawn_app().await;
    let admin = app.admin().await;

    let response = admin
        .client
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
    let admin = app.admin().await;

    let invitation = json!({"email": "rui@example.org", "full_name": "Rui", "role": "assessor"});
    let (invited, _) = admin.send(&app, "/api/admin/accounts", invitation).await;
    assert_eq!(invited, 201);
    let (_, outbox) = admin.fetch(&app, "/api/admin/outbox").await;
    // The admin sees the invitation without its token; Rui's mailbox has the link.
    let shown = outbox[0]["body"].as_str().unwrap();
    assert!(shown.contains("token=[hidden]"), "{shown}");
    let token = latest_token(&app).await;
    assert!(!shown.contains(&token));
    let accept = json!({"token": token, "password": PASSWORD});
    let visitor = app.visitor().await;
    let set = visitor.status(&app, "/api/password-reset/confirm", accept);
    assert_eq!(set.await, 204);
    let (_, login) = app.login("rui@example.org", PASSWORD).await;
    assert_eq!(login.status(), 200);

    let events = admin.audit_events(&app).await;
    for expected in ["account.invited", "invitation.accepted", "login.success"] {
        assert!(
            events.iter().any(|e| e == expected),
            "{expected} in {events:?}"
        );
    }
}

/// Candidates behind one address (an office, a campus) register at the same moment: each counts
/// against the address's registration allowance, and none may fail because another was counted
/// at once (on PostgreSQL both once found no throttle row and the second insert collided: a 500).
#[tokio::test]
async fn simultaneous_registrations_from_one_address_are_all_counted_and_none_fails() {
    // Arrange: every client holds its CSRF token before any registration is sent.
    let app = spawn_app_changed(|s| s.registrations_per_address = 100).await;
    let mut visitors = Vec::new();
    for i in 0..24 {
        visitors.push((app.visitor().await, format!("same-office-{i}@example.org")));
    }

    // Act
    let responses = futures_util::future::join_all(visitors.iter().map(|(visitor, email)| {
        let account = json!({
            "email": email, "full_name": "Ana Silva", "nationality": "BE", "password": PASSWORD
        });
        visitor.post(&app, "/api/accounts", account).send()
    }))
    .await;

    // Assert
    let statuses: Vec<u16> = responses
        .into_iter()
        .map(|r| r.expect("answered").status().as_u16())
        .collect();
    assert_eq!(statuses, vec![201; 24], "every registration succeeds");
}
