//! Mail as content: templates in the account's language, replaceable per deployment, previewed
//! by admins; the outbox's kind stored with each message; reminders to incomplete applications,
//! sent once each across instances. Mail goes through the real SMTP sink of `mail.rs` where the
//! recipient's mailbox matters.
use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::mail::{aiosmtpd_installed, SmtpSink};
use api::service::mail::MailTemplates;
use api::service::reminders;

const REFERENCE: &str = "251334";

/// A candidate registered from a page shown in `language`, logged in.
async fn candidate_in(app: &TestApp, email: &str, language: &str) -> User {
    let body = json!({
        "email": email, "full_name": "Ana Silva", "nationality": "BE", "password": PASSWORD,
        "language": language,
    });
    let (_, response) = app.post_anew("/api/accounts", body).await;
    assert_eq!(response.status(), 201, "registration of {email}");
    app.logged_in(email).await
}

async fn outbox_of(app: &TestApp) -> Vec<api::service::outbox::OutboxMessage> {
    api::service::outbox::list(&app.db, 1000).await.unwrap()
}

async fn sending_app(
    sink: &SmtpSink,
    change: impl FnOnce(&mut api::configuration::Settings),
) -> TestApp {
    let url = sink.url();
    let app = spawn_app_changed(move |s| {
        s.smtp_url = Some(url);
        s.public_origin = Some("https://essays.example.org".into());
        change(s);
    })
    .await;
    app.open_vacancy(REFERENCE, Utc::now() + chrono::Duration::days(3))
        .await;
    app
}

#[tokio::test]
async fn a_candidate_who_registered_in_french_gets_french_mail_until_they_choose_english() {
    if !aiosmtpd_installed() {
        return;
    }
    let sink = SmtpSink::start(None, 0);
    let app = sending_app(&sink, |_| {}).await;
    let ana = candidate_in(&app, "ana@example.org", "fr").await;
    let application = ana.apply(&app, REFERENCE).await;

    // Act: an accepted essay while the account is in French.
    let (status, body) = status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201, "{body}");

    // Assert: the receipt is in French only, with the French document title and typography.
    let receipt = sink
        .wait_for("ana@example.org", "Accusé de réception")
        .await;
    let text = receipt["body"].as_str().unwrap();
    assert!(text.contains("Nous avons bien reçu"), "{text}");
    assert!(text.contains("Défis majeurs"), "{text}");
    assert!(text.contains("Fichier\u{202f}:"), "{text}");
    assert!(!text.contains("We received"), "{text}");

    // Act: the candidate chooses English on /account, then asks for a password reset.
    let (status, account) = ana
        .put(&app, "/api/account/language", json!({"language": "en"}))
        .await;
    assert_eq!(
        (status, &account["language"]),
        (200, &json!("en")),
        "{account}"
    );
    let visitor = app.visitor().await;
    let response = visitor
        .post(
            &app,
            "/api/password-reset",
            json!({"email": "ana@example.org"}),
        )
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());

    // Assert: the next mail is in English only.
    let reset = sink.wait_for("ana@example.org", "Reset your").await;
    let text = reset["body"].as_str().unwrap();
    assert!(text.contains("To choose a new password"), "{text}");
    assert!(!text.contains("Pour choisir"), "{text}");
    let (_, me) = ana.fetch(&app, "/api/account").await;
    assert_eq!(me["language"], "en", "{me}");
}

#[tokio::test]
async fn registration_without_a_language_takes_the_browsers_then_english() {
    let app = app_with_vacancy(REFERENCE).await;
    for (accept, expected) in [
        (Some("fr-BE,fr;q=0.9,en;q=0.8"), "fr"),
        (Some("de-DE,en;q=0.5"), "en"),
        (None, "en"),
    ] {
        let visitor = app.visitor().await;
        let email = format!("{expected}-{}@example.org", accept.unwrap_or("none").len());
        let mut request = visitor.post(
            &app,
            "/api/accounts",
            json!({"email": email, "full_name": "Ana Silva", "nationality": "BE", "password": PASSWORD}),
        );
        if let Some(accept) = accept {
            request = request.header("accept-language", accept);
        }
        let (status, account) = status_of(request.send().await.unwrap()).await;
        assert_eq!(status, 201, "{account}");
        assert_eq!(account["language"], expected, "Accept-Language {accept:?}");
    }
}

#[tokio::test]
async fn an_extension_is_announced_in_the_candidates_one_language() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let ana = candidate_in(&app, "ana@example.org", "fr").await;
    ana.apply(&app, REFERENCE).await;
    let extended = Utc::now() + chrono::Duration::days(10);

    let (status, body) = admin
        .send(
            &app,
            &format!("/api/admin/vacancies/{REFERENCE}/extensions"),
            json!({"account_id": ana.account_id, "deadline": extended, "reason": "illness"}),
        )
        .await;
    assert_eq!(status, 204, "{body}");

    let mail = outbox_of(&app).await;
    let notice = mail
        .iter()
        .find(|m| {
            m.recipient == "ana@example.org" && m.kind == api::service::outbox::MailKind::Extension
        })
        .expect("an extension notice");
    assert!(
        notice.subject.starts_with("Prolongation\u{202f}:"),
        "{}",
        notice.subject
    );
    assert!(
        notice.body.contains("Une prolongation vous a été accordée"),
        "{}",
        notice.body
    );
    assert!(!notice.body.contains("An extension"), "{}", notice.body);
    assert!(!notice.body.contains("illness"), "{}", notice.body);
}

#[tokio::test]
async fn the_outbox_stores_what_each_message_is_for() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (status, _) = status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);
    let visitor = app.visitor().await;
    visitor
        .post(
            &app,
            "/api/password-reset",
            json!({"email": "ana@example.org"}),
        )
        .send()
        .await
        .unwrap();
    let (status, _) = admin
        .send(
            &app,
            "/api/admin/accounts",
            json!({"email": "noor@example.org", "full_name": "Noor Assessor", "role": "assessor", "language": "fr"}),
        )
        .await;
    assert_eq!(status, 201);

    let (_, outbox) = admin.fetch(&app, "/api/admin/outbox").await;
    let kinds: Vec<(&str, &str)> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["recipient"].as_str().unwrap(),
                m["kind"].as_str().unwrap(),
            )
        })
        .collect();
    for expected in [
        ("ana@example.org", "receipt"),
        ("ana@example.org", "password_reset"),
        ("noor@example.org", "invitation"),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
    // The invitation went in the language the admin chose for it.
    let invitation = outbox_of(&app)
        .await
        .into_iter()
        .find(|m| m.recipient == "noor@example.org")
        .unwrap();
    assert!(
        invitation.subject.starts_with("Votre compte"),
        "{}",
        invitation.subject
    );
    assert!(
        invitation.body.contains("membre du jury"),
        "{}",
        invitation.body
    );
}

#[tokio::test]
async fn rows_written_before_the_kind_column_get_the_kind_the_old_guess_gave_them() {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    // Back to the schema before this migration (and whatever came after it), as a database
    // upgraded from an earlier release would be.
    let all = migration::Migrator::migrations();
    let ours = all
        .iter()
        .position(|m| m.name() == "m20261215_000300_mail_content_and_reminders")
        .unwrap();
    let steps = u32::try_from(all.len() - ours).unwrap();
    migration::Migrator::down(&app.db, Some(steps))
        .await
        .unwrap();
    for (subject, body) in [
        (
            "Your essay-portal account / Votre compte essay-portal",
            "https://x.org/reset?token=[hidden]&invite=1",
        ),
        (
            "Reset your essay-portal password / Réinitialiser",
            "https://x.org/reset?token=abc",
        ),
        (
            "Extension: your deadline for vacancy 1 / Prolongation",
            "An extension",
        ),
        (
            "Receipt: Key challenges essay for vacancy 1 / Accusé de réception",
            "We received",
        ),
        ("Something else", "Hello"),
    ] {
        app.db
            .execute_raw(sea_orm::Statement::from_sql_and_values(
                app.db.get_database_backend(),
                match app.db.get_database_backend() {
                    sea_orm::DatabaseBackend::Postgres => "INSERT INTO outbox (recipient, subject, body, created_at, attempts) VALUES ($1, $2, $3, $4, 0)",
                    _ => "INSERT INTO outbox (recipient, subject, body, created_at, attempts) VALUES (?, ?, ?, ?, 0)",
                },
                [
                    "a@example.org".into(),
                    subject.into(),
                    body.into(),
                    Utc::now().into(),
                ],
            ))
            .await
            .unwrap();
    }

    migration::Migrator::up(&app.db, None).await.unwrap();

    let kinds: Vec<String> = outbox_of(&app)
        .await
        .into_iter()
        .rev()
        .map(|m| m.kind.as_str().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "invitation",
            "password_reset",
            "extension",
            "receipt",
            "other"
        ]
    );
}

#[tokio::test]
async fn a_deployments_template_replaces_the_built_in_one_and_a_broken_one_stops_the_start() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("receipt.en.txt"),
        "Your file for {{ reference }} is safe with us\n\nSHA-256 {{ sha256 }}\n{% include \"footer.en.txt\" %}",
    )
    .unwrap();
    let dir = templates.path().to_path_buf();
    let app = spawn_app_changed(move |s| s.mail_templates_dir = Some(dir)).await;
    app.open_vacancy(REFERENCE, Utc::now() + chrono::Duration::days(3))
        .await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (status, accepted) = status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);

    let receipt = outbox_of(&app)
        .await
        .into_iter()
        .find(|m| m.recipient == "ana@example.org")
        .unwrap();
    assert_eq!(
        receipt.subject,
        format!("Your file for {REFERENCE} is safe with us")
    );
    assert!(
        receipt
            .body
            .contains(accepted["version"]["sha256"].as_str().unwrap()),
        "{}",
        receipt.body
    );
    // The admins' preview shows the replaced one, and says so.
    let admin = app.admin().await;
    let (status, previews) = admin.fetch(&app, "/api/admin/mail/templates").await;
    assert_eq!(status, 200, "{previews}");
    let receipt_preview = previews
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "receipt")
        .unwrap();
    assert_eq!(receipt_preview["overridden"], json!(["receipt.en.txt"]));
    assert!(receipt_preview["en"]["subject"]
        .as_str()
        .unwrap()
        .starts_with("Your file for"));

    // A template using a variable it is not given stops the start, naming the file.
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(
        broken.path().join("reminder.fr.txt"),
        "Rappel\n\n{{ candidate_shoe_size }}\n",
    )
    .unwrap();
    let (mut settings, _data) = test_settings().await;
    settings.mail_templates_dir = Some(broken.path().to_path_buf());
    let error = api::startup::Application::build(settings)
        .await
        .err()
        .expect("a broken template stops the start");
    assert!(error.to_string().contains("reminder.fr.txt"), "{error}");
}

#[tokio::test]
async fn admins_preview_every_message_in_both_languages_and_no_one_else_does() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let candidate = app.candidate("ana@example.org").await;

    let (status, previews) = admin.fetch(&app, "/api/admin/mail/templates").await;
    assert_eq!(status, 200, "{previews}");
    let kinds: Vec<&str> = previews
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "receipt",
            "password_reset",
            "invitation",
            "extension",
            "reminder"
        ]
    );
    for preview in previews.as_array().unwrap() {
        for lang in ["en", "fr"] {
            assert!(
                !preview[lang]["subject"].as_str().unwrap().is_empty(),
                "{preview}"
            );
            assert!(
                !preview[lang]["body"].as_str().unwrap().is_empty(),
                "{preview}"
            );
        }
    }
    let (status, _) = candidate.fetch(&app, "/api/admin/mail/templates").await;
    assert_eq!(status, 403);
}

/// The reminders each recipient received, by the hours before their deadline they were for.
fn reminders_in(sink: &SmtpSink) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut received = std::collections::BTreeMap::<String, Vec<String>>::new();
    for message in sink.messages() {
        let subject = message["subject"].as_str().unwrap_or("");
        if subject.starts_with("Reminder") || subject.starts_with("Rappel") {
            let body = message["body"].as_str().unwrap_or("");
            let hours = if body.contains("about 72 hours") || body.contains("environ 72 heures") {
                "72"
            } else {
                "24"
            };
            received
                .entry(message["to"].as_str().unwrap().to_owned())
                .or_default()
                .push(hours.to_owned());
        }
    }
    received
}

async fn wait_until_sent(app: &TestApp) {
    for _ in 0..300 {
        let pending = outbox_of(app).await.iter().any(|m| m.sent_at.is_none());
        if !pending {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox was not emptied");
}

#[tokio::test]
async fn incomplete_applications_are_reminded_once_at_72_and_once_at_24_hours_by_two_instances() {
    if !aiosmtpd_installed() {
        return;
    }
    let sink = SmtpSink::start(None, 0);
    let (settings, data_dir) = test_settings().await;
    let on_postgres = settings.database_url.is_some();
    let mut shared = settings.clone();
    shared.smtp_url = Some(sink.url());
    shared.public_origin = Some("https://essays.example.org".into());
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("receipt.pem");
    api::service::receipts::ReceiptSigner::generate_to(&key_file).unwrap();
    shared.receipt_key_file = Some(key_file);
    let first = spawn_app_with(shared.clone(), data_dir).await;
    // On PostgreSQL a second instance on the same database; one SQLite data folder takes one
    // server, so there the two passes run side by side in the one instance.
    let second_dir = tempfile::tempdir().unwrap();
    let second = if on_postgres {
        let mut second_settings = shared.clone();
        second_settings.data_dir = second_dir.path().to_path_buf();
        Some(spawn_app_with(second_settings, tempfile::tempdir().unwrap()).await)
    } else {
        None
    };
    let deadline = Utc::now() + chrono::Duration::days(3) + chrono::Duration::minutes(10);
    first.open_vacancy(REFERENCE, deadline).await;

    // Arrange: one candidate of each kind.
    let (_, _incomplete) = first.applicant("incomplete@example.org", REFERENCE).await;
    let french = candidate_in(&first, "francais@example.org", "fr").await;
    french.apply(&first, REFERENCE).await;
    let (complete, application) = first.applicant("complete@example.org", REFERENCE).await;
    let (status, _) = status_of(complete.send_pdf(&first, &application, 1).await).await;
    assert_eq!(status, 201);
    let (withdrawn, application) = first.applicant("withdrawn@example.org", REFERENCE).await;
    let (status, body) = withdrawn
        .send(
            &first,
            &format!("/api/applications/{application}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (stopped, application) = first.applicant("stopped@example.org", REFERENCE).await;
    let (status, view) = stopped
        .put(
            &first,
            &format!("/api/applications/{application}/reminders"),
            json!({"stopped": true}),
        )
        .await;
    assert_eq!(
        (status, &view["reminders_stopped"]),
        (200, &json!(true)),
        "{view}"
    );

    // The admin's page says who will be reminded, and when.
    let admin = first.admin().await;
    let (_, vacancy) = admin
        .fetch(&first, &format!("/api/admin/vacancies/{REFERENCE}"))
        .await;
    let plan = &vacancy["reminders"];
    assert_eq!(plan["incomplete"], 3, "{plan}");
    assert_eq!(plan["stopped"], 1, "{plan}");
    assert_eq!(vacancy["reminder_hours"], json!([72, 24]));
    let planned = plan["planned"].as_array().unwrap();
    assert_eq!(planned.len(), 2, "{plan}");
    assert_eq!(
        (&planned[0]["offset_hours"], &planned[0]["candidates"]),
        (&json!(72), &json!(2))
    );
    assert_eq!(
        (&planned[1]["offset_hours"], &planned[1]["candidates"]),
        (&json!(24), &json!(2))
    );

    // Act: the clock moves to just past 72 h before the deadline, then past 24 h, then to an
    // hour before it; each time both instances run their pass at once.
    let templates = MailTemplates::built_in();
    let second_db = second.as_ref().map_or(first.db.clone(), |s| s.db.clone());
    let mut sent_per_pass = vec![];
    for hours_before in [72, 24, 1] {
        let now = deadline - chrono::Duration::hours(hours_before) + chrono::Duration::minutes(1);
        let (a, b) = tokio::join!(
            reminders::send_due(&first.db, &shared, &templates, now),
            reminders::send_due(&second_db, &shared, &templates, now),
        );
        sent_per_pass.push(a.unwrap() + b.unwrap());
    }
    wait_until_sent(&first).await;

    // Assert: two reminders to each incomplete candidate, none to anyone else, none twice.
    assert_eq!(sent_per_pass, vec![2, 2, 0]);
    let received = reminders_in(&sink);
    assert_eq!(
        received,
        [
            (
                "francais@example.org".to_owned(),
                vec!["72".to_owned(), "24".to_owned()]
            ),
            (
                "incomplete@example.org".to_owned(),
                vec!["72".to_owned(), "24".to_owned()]
            ),
        ]
        .into_iter()
        .collect(),
    );
    let french_reminder = sink.wait_for("francais@example.org", "Rappel").await;
    let text = french_reminder["body"].as_str().unwrap();
    assert!(text.contains("Défis majeurs"), "{text}");
    assert!(
        text.contains("https://essays.example.org/applications"),
        "{text}"
    );
    let kinds: Vec<_> = outbox_of(&first)
        .await
        .into_iter()
        .filter(|m| m.kind == api::service::outbox::MailKind::Reminder)
        .collect();
    assert_eq!(kinds.len(), 4);
    let (_, vacancy) = admin
        .fetch(&first, &format!("/api/admin/vacancies/{REFERENCE}"))
        .await;
    assert_eq!(vacancy["reminders"]["sent"], 4, "{}", vacancy["reminders"]);
}

#[tokio::test]
async fn a_vacancys_reminder_times_are_set_on_its_form_and_checked() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let path = format!("/api/admin/vacancies/{REFERENCE}");
    let (_, mut vacancy) = admin.fetch(&app, &path).await;
    let mut input = json!({
        "reference": REFERENCE,
        "title_en": vacancy["title_en"], "title_fr": vacancy["title_fr"],
        "status": vacancy["status"], "opens_at": null, "rules": vacancy["rules"],
        "reminder_hours": [24, 168, 24],
    });
    let (status, body) = admin.put(&app, &path, input.clone()).await;
    assert_eq!(status, 200, "{body}");
    (_, vacancy) = admin.fetch(&app, &path).await;
    assert_eq!(vacancy["reminder_hours"], json!([168, 24]));

    input["reminder_hours"] = json!([0]);
    let (status, _) = admin.put(&app, &path, input.clone()).await;
    assert_eq!(status, 422);
    // Left out, the times stay as they were.
    input.as_object_mut().unwrap().remove("reminder_hours");
    let (status, _) = admin.put(&app, &path, input).await;
    assert_eq!(status, 200);
    (_, vacancy) = admin.fetch(&app, &path).await;
    assert_eq!(vacancy["reminder_hours"], json!([168, 24]));
    let _: &Value = &vacancy;
}

/// A measurement, run by hand: `cargo test --test api mail_content::measure -- --ignored
/// --nocapture` (2000 reminders: about 4 s on SQLite, 6 s on PostgreSQL, on the 2-core machine).
#[tokio::test]
#[ignore = "measurement"]
async fn measure_a_reminder_pass_over_2000_incomplete_applications() {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let app = app_with_vacancy(REFERENCE).await;
    let vacancy = api::service::vacancies::find_by_reference(&app.db, REFERENCE)
        .await
        .unwrap();
    let n = 2000;
    let now = Utc::now();
    let accounts: Vec<_> = (0..n)
        .map(|i| entity::accounts::ActiveModel {
            id: Set(format!("acc-{i}")),
            email: Set(format!("c{i}@example.org")),
            full_name: Set("C".into()),
            nationality: Set(Some("BE".into())),
            role: Set("candidate".into()),
            password_hash: Set(None),
            disabled: Set(false),
            created_at: Set(now),
            password_changed_at: Set(None),
            language: Set(if i % 2 == 0 { "en" } else { "fr" }.into()),
        })
        .collect();
    for chunk in accounts.chunks(500) {
        entity::accounts::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    let apps: Vec<_> = (0..n)
        .map(|i| entity::applications::ActiveModel {
            id: Set(format!("app-{i}")),
            vacancy_id: Set(vacancy.model.id.clone()),
            candidate_id: Set(format!("acc-{i}")),
            posts: Set("[]".into()),
            affirmations: Set("[]".into()),
            anon_code: Set(format!("C-{i}")),
            status: Set("active".into()),
            created_at: Set(now),
            withdrawn_at: Set(None),
            reminders_stopped_at: Set(None),
        })
        .collect();
    for chunk in apps.chunks(500) {
        entity::applications::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    let at = vacancy.rules.deadline.unwrap() - chrono::Duration::hours(71);
    let started = std::time::Instant::now();
    let plan = reminders::plan_for(&app.db, &vacancy, now).await.unwrap();
    println!(
        "plan_for {n} applications: {:?} ({} planned)",
        started.elapsed(),
        plan.planned.len()
    );
    let templates = MailTemplates::built_in();
    let started = std::time::Instant::now();
    let sent = reminders::send_due(&app.db, &app.settings, &templates, at)
        .await
        .unwrap();
    println!("send_due: {sent} reminders in {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let again = reminders::send_due(&app.db, &app.settings, &templates, at)
        .await
        .unwrap();
    println!(
        "send_due again: {again} reminders in {:?}",
        started.elapsed()
    );
    assert_eq!((sent, again), (n, 0));
}
