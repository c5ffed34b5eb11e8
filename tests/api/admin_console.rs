//! The admin console's API: applications per vacancy, extensions with the candidate emailed,
//! reveals with a reason, resent invitations, the outbox without tokens, the filtered audit log.
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::helpers::*;

const REFERENCE: &str = "251334";

fn applications_path() -> String {
    format!("/api/admin/vacancies/{REFERENCE}/applications")
}

/// The entry of `applications` whose candidate is `account_id`.
fn entry_of<'a>(applications: &'a Value, account_id: &str) -> &'a Value {
    applications["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account_id"] == account_id)
        .unwrap_or_else(|| panic!("no application of {account_id} in {applications}"))
}

/// The raw mail (tokens included, as the recipient gets it) sent to `recipient`, newest first.
async fn mail_to(app: &TestApp, recipient: &str) -> Vec<api::service::outbox::OutboxMessage> {
    let mail = api::service::outbox::list(&app.db, 1000).await.unwrap();
    mail.into_iter()
        .filter(|m| m.recipient == recipient)
        .collect()
}

fn token_in(body: &str) -> String {
    let start = body.find("token=").expect("a link with a token") + "token=".len();
    body[start..]
        .split(|c: char| c == '&' || c.is_whitespace())
        .next()
        .unwrap()
        .to_owned()
}

async fn invite(app: &TestApp, admin: &User, email: &str, role: &str) -> Value {
    let invitation = json!({"email": email, "full_name": "Rui Costa", "role": role});
    let (status, account) = admin.send(app, "/api/admin/accounts", invitation).await;
    assert_eq!(status, 201, "{account}");
    account
}

fn instant(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn admins_see_each_application_with_name_code_status_and_documents() {
    // Arrange: Ana uploads a refused essay then an accepted one; Bo uploads nothing; Cy withdraws.
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, ana_application) = app.applicant("ana@example.org", REFERENCE).await;
    assert_eq!(ana.send_pdf(&app, &ana_application, 3).await.status(), 422);
    ana.upload_accepted(
        &app,
        &ana_application,
        "251334 Key challenges.pdf",
        pdf(&[A4]),
    )
    .await;
    let (bo, _) = app.applicant("bo@example.org", REFERENCE).await;
    let (cy, cy_application) = app.applicant("cy@example.org", REFERENCE).await;
    let withdraw = format!("/api/applications/{cy_application}/withdraw");
    assert_eq!(cy.send(&app, &withdraw, json!({})).await.0, 200);

    // Act
    let (status, listed) = admin.fetch(&app, &applications_path()).await;

    // Assert
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["reference"], REFERENCE);
    assert_eq!(listed["applications"].as_array().unwrap().len(), 3);
    let ana_entry = entry_of(&listed, &ana.account_id);
    assert_eq!(ana_entry["full_name"], "Ana Silva");
    assert!(ana_entry["candidate_code"]
        .as_str()
        .unwrap()
        .starts_with("C-"));
    assert_eq!(ana_entry["status"], "active");
    let essay = &ana_entry["documents"][0];
    assert_eq!(essay["kind"], "key-challenges");
    assert_eq!(essay["verdict"], "accepted");
    assert_eq!(
        (&essay["versions"], &essay["rejected_attempts"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(essay["current_version"], 1);
    let bo_entry = entry_of(&listed, &bo.account_id);
    assert_eq!(bo_entry["status"], "incomplete");
    assert_eq!(bo_entry["documents"][0]["verdict"], "missing");
    assert_eq!(entry_of(&listed, &cy.account_id)["status"], "withdrawn");
    assert_eq!(bo_entry["deadline"], listed["deadline"]);
    assert!(bo_entry["extension"].is_null());
}

#[tokio::test]
async fn only_admins_read_the_applications_of_a_vacancy() {
    let app = app_with_vacancy(REFERENCE).await;
    let (candidate, _) = app.applicant("ana@example.org", REFERENCE).await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let admin = app.admin().await;

    let anonymous = app.client.get(app.url(&applications_path())).send();
    let anonymous = anonymous.await.unwrap().status().as_u16();
    let as_candidate = candidate.fetch(&app, &applications_path()).await.0;
    let as_assessor = assessor.fetch(&app, &applications_path()).await.0;
    let unknown = admin
        .fetch(&app, "/api/admin/vacancies/999999/applications")
        .await
        .0;

    assert_eq!(
        (anonymous, as_candidate, as_assessor, unknown),
        (401, 403, 403, 404)
    );
}

#[tokio::test]
async fn a_granted_extension_is_listed_emailed_to_the_candidate_and_moves_their_deadline() {
    // Arrange
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, _) = app.applicant("ana@example.org", REFERENCE).await;
    let extended = (Utc::now() + Duration::days(10))
        .date_naive()
        .and_hms_opt(10, 30, 0)
        .unwrap()
        .and_utc();
    let grant = json!({"account_id": ana.account_id, "deadline": extended, "reason": "reasonable accommodation"});

    // Act
    let extensions = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    let (status, body) = admin.send(&app, &extensions, grant).await;

    // Assert: the candidate is emailed in their language (English, chosen at registration), in
    // that one language only, without the reason.
    assert_eq!(status, 204, "{body}");
    let mail = mail_to(&app, "ana@example.org").await;
    let notice = mail
        .iter()
        .find(|m| m.subject.starts_with("Extension"))
        .expect("an extension notice in the outbox");
    assert!(notice.subject.contains(REFERENCE), "{}", notice.subject);
    assert!(
        notice.body.contains("extension has been granted"),
        "{}",
        notice.body
    );
    assert!(
        !notice.body.contains("prolongation vous a été accordée"),
        "{}",
        notice.body
    );
    assert!(!notice.body.contains("accommodation"), "{}", notice.body);
    // The admin's outbox names the kind.
    let (_, outbox) = admin.fetch(&app, "/api/admin/outbox").await;
    assert!(outbox
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "extension" && m["recipient"] == "ana@example.org"));
    // The applications list shows it with its reason, and it is the candidate's own deadline.
    let (_, listed) = admin.fetch(&app, &applications_path()).await;
    let entry = entry_of(&listed, &ana.account_id);
    assert_eq!(entry["extension"]["reason"], "reasonable accommodation");
    assert_eq!(instant(&entry["deadline"]), extended);
    // The email tells the same deadline as the pages, in the vacancy's time zone.
    let shown = entry["deadline_display"]["en"].as_str().unwrap();
    assert!(notice.body.contains(shown), "{shown} in {}", notice.body);
    let (_, own) = ana.fetch(&app, "/api/applications").await;
    assert_eq!(instant(&own[0]["deadline"]), extended);
    assert!(admin
        .audit_events(&app)
        .await
        .contains(&"extension.granted".to_owned()));
}

#[tokio::test]
async fn an_extension_needs_a_reason_and_a_candidate() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, _) = app.applicant("ana@example.org", REFERENCE).await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let extensions = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    let deadline = Utc::now() + Duration::days(10);

    let no_reason = json!({"account_id": ana.account_id, "deadline": deadline, "reason": "  "});
    let not_candidate =
        json!({"account_id": assessor.account_id, "deadline": deadline, "reason": "illness"});
    let (blank, _) = admin.send(&app, &extensions, no_reason).await;
    let (staff, _) = admin.send(&app, &extensions, not_candidate).await;

    assert_eq!((blank, staff), (422, 404));
    assert!(mail_to(&app, "ana@example.org").await.is_empty());
}

#[tokio::test]
async fn a_reveal_needs_a_reason_which_the_audit_log_keeps() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, _) = app.applicant("ana@example.org", REFERENCE).await;
    let (_, listed) = admin.fetch(&app, &applications_path()).await;
    let code = entry_of(&listed, &ana.account_id)["candidate_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let reveal = format!("/api/admin/vacancies/{REFERENCE}/reveal/{code}");

    let (without, _) = admin.send(&app, &reveal, json!({})).await;
    let (with, identity) = admin
        .send(&app, &reveal, json!({"reason": "appointment checks"}))
        .await;

    assert_eq!((without, with), (422, 200));
    assert_eq!(identity["email"], "ana@example.org");
    let (_, audit) = admin
        .fetch(&app, "/api/admin/audit?event=identity.revealed")
        .await;
    let audit = audit.as_array().unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0]["detail"]["reason"], "appointment checks");
    assert_eq!(audit[0]["detail"]["candidate_code"], code.as_str());
}

#[tokio::test]
async fn a_resent_invitation_replaces_the_earlier_link() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.admin().await;
    let rui = invite(&app, &admin, "rui@example.org", "assessor").await;
    assert_eq!(rui["status"], "invited");
    let first = token_in(&mail_to(&app, "rui@example.org").await[0].body);

    // Act
    let resend = format!(
        "/api/admin/accounts/{}/invitation",
        rui["id"].as_str().unwrap()
    );
    let (status, account) = admin.send(&app, &resend, json!({})).await;

    // Assert: a second invitation, and only its link sets a password.
    assert_eq!(status, 200, "{account}");
    let mail = mail_to(&app, "rui@example.org").await;
    assert_eq!(mail.len(), 2);
    let second = token_in(&mail[0].body);
    assert_ne!(first, second);
    let visitor = app.visitor().await;
    let old = json!({"token": first, "password": PASSWORD});
    let new = json!({"token": second, "password": PASSWORD});
    assert_ne!(
        visitor
            .status(&app, "/api/password-reset/confirm", old)
            .await,
        204
    );
    assert_eq!(
        visitor
            .status(&app, "/api/password-reset/confirm", new)
            .await,
        204
    );
    assert!(admin
        .audit_events(&app)
        .await
        .contains(&"account.invitation_resent".to_owned()));
    // Once the password is chosen, there is nothing to resend.
    assert_eq!(admin.send(&app, &resend, json!({})).await.0, 409);
    let (_, accounts) = admin.fetch(&app, "/api/admin/accounts").await;
    let rui = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "rui@example.org");
    assert_eq!(rui.unwrap()["status"], "active");
}

#[tokio::test]
async fn only_admins_resend_invitations() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let rui = invite(&app, &admin, "rui@example.org", "assessor").await;
    let candidate = app.candidate("ana@example.org").await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let resend = format!(
        "/api/admin/accounts/{}/invitation",
        rui["id"].as_str().unwrap()
    );

    let anonymous = app.visitor().await.status(&app, &resend, json!({})).await;
    let as_candidate = candidate.send(&app, &resend, json!({})).await.0;
    let as_assessor = assessor.send(&app, &resend, json!({})).await.0;

    assert_eq!((anonymous, as_candidate, as_assessor), (401, 403, 403));
    assert_eq!(mail_to(&app, "rui@example.org").await.len(), 1);
}

#[tokio::test]
async fn accounts_show_whether_they_are_active_disabled_or_waiting_for_a_password() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let rui = invite(&app, &admin, "rui@example.org", "assessor").await;
    let ana = app.candidate("ana@example.org").await;
    let path = format!("/api/admin/accounts/{}", ana.account_id);
    let disable = admin
        .client
        .patch(app.url(&path))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(disable.status(), 200);

    let (_, accounts) = admin.fetch(&app, "/api/admin/accounts").await;

    let status_of = |email: &str| {
        let accounts = accounts.as_array().unwrap();
        accounts.iter().find(|a| a["email"] == email).unwrap()["status"].clone()
    };
    assert_eq!(status_of("rui@example.org"), "invited");
    assert_eq!(status_of("ana@example.org"), "disabled");
    assert_eq!(status_of("admin@example.org"), "active");
    assert_eq!(rui["role"], "assessor");
}

#[tokio::test]
async fn the_outbox_names_each_message_and_its_delivery_and_hides_tokens() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    invite(&app, &admin, "rui@example.org", "assessor").await;
    let token = token_in(&mail_to(&app, "rui@example.org").await[0].body);

    let (status, outbox) = admin.fetch(&app, "/api/admin/outbox").await;

    assert_eq!(status, 200);
    let message = &outbox[0];
    assert_eq!(message["kind"], "invitation");
    assert_eq!(message["status"], "pending");
    assert_eq!(message["attempts"], 0);
    assert!(message["sent_at"].is_null());
    let body = message["body"].as_str().unwrap();
    assert!(
        !body.contains(&token) && body.contains("token=[hidden]"),
        "{body}"
    );
    assert!(!outbox.to_string().contains(&token));
}

#[tokio::test]
async fn the_audit_log_filters_by_event_actor_subject_and_dates_and_pages_by_cursor() {
    // Arrange: an admin invites three people and grants an extension; a candidate registers.
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    for email in ["a1@example.org", "a2@example.org", "a3@example.org"] {
        invite(&app, &admin, email, "assessor").await;
    }
    let (ana, _) = app.applicant("ana@example.org", REFERENCE).await;
    let grant = json!({"account_id": ana.account_id, "deadline": Utc::now() + Duration::days(9), "reason": "illness"});
    let extensions = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    assert_eq!(admin.send(&app, &extensions, grant).await.0, 204);
    let read = |query: String| {
        let admin = &admin;
        let app = &app;
        async move {
            let (status, entries) = admin.fetch(app, &format!("/api/admin/audit?{query}")).await;
            assert_eq!(status, 200, "{entries}");
            entries.as_array().unwrap().clone()
        }
    };

    // Act
    let invited = read("event=account.invited".into()).await;
    let accounts = read("event=account.".into()).await;
    let by_admin = read("actor=admin@example.org".into()).await;
    let about_vacancy = read(format!("subject={REFERENCE}")).await;
    let tomorrow =
        (Utc::now() + Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let future = read(format!("from={tomorrow}")).await;
    let before_tomorrow = read(format!("to={tomorrow}&event=account.invited")).await;
    let first_page = read("event=account.invited&limit=2".into()).await;
    let cursor = first_page[1]["id"].as_i64().unwrap();
    let second_page = read(format!("event=account.invited&limit=2&before={cursor}")).await;

    // Assert
    assert_eq!(invited.len(), 3);
    assert!(invited.iter().all(|e| e["event"] == "account.invited"));
    assert_eq!(invited[0]["actor_email"], "admin@example.org");
    assert_eq!(invited[0]["actor_name"], "Staff Member");
    assert!(accounts.iter().any(|e| e["event"] == "account.registered"));
    assert!(accounts
        .iter()
        .all(|e| e["event"].as_str().unwrap().starts_with("account.")));
    assert!(!by_admin.is_empty());
    assert!(by_admin
        .iter()
        .all(|e| e["actor_email"] == "admin@example.org"));
    assert!(about_vacancy
        .iter()
        .any(|e| e["event"] == "extension.granted"));
    assert!(about_vacancy.iter().all(|e| e["subject"] == REFERENCE));
    assert!(future.is_empty(), "{future:?}");
    assert_eq!(before_tomorrow.len(), 3);
    assert_eq!(first_page.len(), 2);
    assert_eq!(second_page.len(), 1);
    assert!(second_page[0]["id"].as_i64().unwrap() < cursor);
}

#[tokio::test]
async fn only_admins_read_the_filtered_audit_log() {
    let app = spawn_app().await;
    let candidate = app.candidate("ana@example.org").await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let path = "/api/admin/audit?event=account.&limit=5";

    let anonymous = app.client.get(app.url(path)).send().await.unwrap();
    let as_candidate = candidate.fetch(&app, path).await.0;
    let as_assessor = assessor.fetch(&app, path).await.0;

    assert_eq!(
        (anonymous.status().as_u16(), as_candidate, as_assessor),
        (401, 403, 403)
    );
}
