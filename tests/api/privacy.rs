//! Personal data kept only as long as allowed: retention purges, a person's own export and
//! erasure, and admins' export and erasure on request.
use std::io::Read;

use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::helpers::*;

const REFERENCE: &str = "251334";

async fn delete_account(user: &User, app: &TestApp, password: &str) -> (u16, Value) {
    let response = user
        .client
        .delete(app.url("/api/account"))
        .header("x-csrf-token", &user.csrf)
        .json(&json!({ "password": password }))
        .send()
        .await
        .unwrap();
    status_of(response).await
}

fn unzip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a ZIP")
}

fn entry(archive: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the archive"))
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

/// Ana, who applied for the vacancy and had a one-page essay accepted; her application's id.
async fn ana_with_an_essay(app: &TestApp) -> (User, String) {
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (status, body) = status_of(ana.send_pdf(app, &application, 1).await).await;
    assert_eq!(status, 201, "{body}");
    (ana, application)
}

async fn decide(app: &TestApp, application: &str, by: &str) {
    entity::decisions::Entity::insert(entity::decisions::ActiveModel {
        application_id: Set(application.to_owned()),
        decision: Set("not-longlisted".into()),
        decided_by: Set(by.to_owned()),
        note: Set(String::new()),
        decided_at: Set(Utc::now()),
        version_id: Set(None),
    })
    .exec(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_vacancy_past_its_retention_loses_its_personal_data_and_keeps_counts() {
    // Arrange: an essay on a vacancy that closed, kept one month.
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    ana_with_an_essay(&app).await;
    app.close(REFERENCE).await;
    let path = format!("/api/admin/vacancies/{REFERENCE}/retention");
    let (status, view) = admin
        .put(&app, &path, json!({ "retention_months": 1 }))
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["retention_months"], 1);
    let later = Utc::now() + Duration::days(40);

    // Act: a dry run, then the purge.
    let dry = api::service::privacy::purge(&app.db, 24, later, true)
        .await
        .unwrap();
    let still_there = entity::applications::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let report = api::service::privacy::purge(&app.db, 24, later, false)
        .await
        .unwrap();

    // Assert
    assert_eq!(dry.vacancies.len(), 1);
    assert_eq!(still_there, 1, "a dry run deletes nothing");
    assert_eq!(report.vacancies.len(), 1);
    let counts = &report.vacancies[0].counts;
    assert_eq!(
        (counts.applications, counts.document_versions, counts.files),
        (1, 1, 1)
    );
    for remaining in [
        entity::applications::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        entity::document_versions::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        entity::blobs::Entity::find().count(&app.db).await.unwrap(),
        entity::upload_attempts::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
    ] {
        assert_eq!(remaining, 0);
    }
    let (_, view) = admin.fetch(&app, &path).await;
    assert_eq!(view["purged"]["applications"], 1, "{view}");
    assert!(view["purged_at"].is_string());
    assert!(admin
        .audit_events(&app)
        .await
        .contains(&"retention.purged".to_owned()));
    // A second run finds nothing more to do.
    let again = api::service::privacy::purge(&app.db, 24, later, false)
        .await
        .unwrap();
    assert!(again.vacancies.is_empty());
}

#[tokio::test]
async fn a_vacancy_within_its_retention_is_left_alone() {
    let app = app_with_vacancy(REFERENCE).await;
    ana_with_an_essay(&app).await;
    app.close(REFERENCE).await;

    // Default 24 months; one year on, nothing is due.
    let report = api::service::privacy::purge(&app.db, 24, Utc::now() + Duration::days(365), false)
        .await
        .unwrap();

    assert!(report.vacancies.is_empty());
    assert_eq!(
        entity::applications::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn retention_outside_one_to_120_months_is_refused_and_only_admins_may_set_it() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let ana = app.candidate("ana@example.org").await;
    let path = format!("/api/admin/vacancies/{REFERENCE}/retention");

    for months in [0, 121] {
        let (status, problem) = admin
            .put(&app, &path, json!({ "retention_months": months }))
            .await;
        assert_eq!(status, 422, "{months}: {problem}");
    }
    let (status, _) = ana.put(&app, &path, json!({ "retention_months": 3 })).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_candidate_downloads_everything_held_about_them() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (status, accepted) = status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);
    let (status, _) = ana
        .submit(&app, &application, "wrong name.pdf", pdf(&[A4]))
        .await;
    assert_eq!(status, 422);

    let response = ana.get(&app, "/api/account/export").await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let mut archive = unzip(&response.bytes().await.unwrap());
    let data: Value = serde_json::from_slice(&entry(&mut archive, "data.json")).unwrap();
    assert_eq!(data["account"]["email"], "ana@example.org");
    let applied = &data["applications"][0];
    assert_eq!(applied["vacancy"]["reference"], REFERENCE);
    assert_eq!(applied["upload_attempts"].as_array().unwrap().len(), 2);
    let version = &applied["versions"][0];
    let file = entry(&mut archive, version["file"].as_str().unwrap());
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&file)),
        accepted["version"]["sha256"].as_str().unwrap()
    );
    let receipt = entry(&mut archive, version["receipt"].as_str().unwrap());
    assert!(String::from_utf8(receipt).unwrap().contains("signature"));
}

#[tokio::test]
async fn a_candidate_erases_their_account_before_the_deadline_and_nothing_names_them() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, _) = ana_with_an_essay(&app).await;

    let (wrong, _) = delete_account(&ana, &app, "not my password").await;
    // A mistyped login and a reset request leave throttle rows keyed by her email.
    app.login("ana@example.org", "a mistyped password").await;
    let reset = serde_json::json!({"email": "ana@example.org"});
    app.visitor()
        .await
        .post(&app, "/api/password-reset", reset)
        .send()
        .await
        .unwrap();
    let (status, outcome) = delete_account(&ana, &app, PASSWORD).await;

    assert_eq!(wrong, 422);
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["outcome"], "erased");
    assert_eq!(
        entity::applications::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        entity::blobs::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    let audit = admin
        .fetch(&app, "/api/admin/audit?limit=500")
        .await
        .1
        .to_string();
    assert!(!audit.contains("ana@example.org"), "{audit}");
    assert!(!audit.contains(&ana.account_id), "{audit}");
    assert!(audit.contains("account.erased"));
    let throttles = entity::login_throttles::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let keys: Vec<&str> = throttles.iter().map(|t| t.key.as_str()).collect();
    assert!(
        keys.iter()
            .all(|k| !k.contains("ana@example.org") && !k.contains(&ana.account_id)),
        "{keys:?}"
    );
    let (_, login) = app.login("ana@example.org", PASSWORD).await;
    assert_eq!(login.status(), 401);
}

#[tokio::test]
async fn erasure_waits_for_an_assessment_under_way_then_is_carried_out() {
    // Arrange: Ana applied to a vacancy that closed and is being assessed.
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, application) = ana_with_an_essay(&app).await;
    app.close(REFERENCE).await;

    // Act
    let (status, outcome) = delete_account(&ana, &app, PASSWORD).await;
    let (_, pending) = ana.fetch(&app, "/api/account/erasure").await;
    let before_decision = api::service::privacy::purge(&app.db, 24, Utc::now(), false)
        .await
        .unwrap();
    decide(&app, &application, &admin.account_id).await;
    let after_decision = api::service::privacy::purge(&app.db, 24, Utc::now(), false)
        .await
        .unwrap();

    // Assert
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["outcome"], "scheduled");
    assert_eq!(outcome["waiting_for"], json!([REFERENCE]));
    assert_eq!(pending["waiting_for"], json!([REFERENCE]));
    assert!(pending["requested_at"].is_string());
    assert_eq!(before_decision.accounts_erased, 0);
    assert_eq!(after_decision.accounts_erased, 1);
    let (_, login) = app.login("ana@example.org", PASSWORD).await;
    assert_eq!(login.status(), 401);
}

#[tokio::test]
async fn an_admin_exports_and_erases_a_candidate_on_request_with_a_reason() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let (ana, _) = ana_with_an_essay(&app).await;
    let export = format!("/api/admin/accounts/{}/export", ana.account_id);
    let erase = format!("/api/admin/accounts/{}/erase", ana.account_id);

    let exported = admin.get(&app, &export).await;
    let (by_assessor, _) = assessor
        .send(&app, &erase, json!({ "reason": "asked by email" }))
        .await;
    let (no_reason, _) = admin.send(&app, &erase, json!({ "reason": " " })).await;
    let staff = format!("/api/admin/accounts/{}/erase", assessor.account_id);
    let (staff_status, _) = admin
        .send(&app, &staff, json!({ "reason": "asked by email" }))
        .await;
    let (status, body) = admin
        .send(
            &app,
            &erase,
            json!({ "reason": "request by email of 30 November 2026" }),
        )
        .await;

    assert_eq!(exported.status(), 200);
    let mut archive = unzip(&exported.bytes().await.unwrap());
    let data: Value = serde_json::from_slice(&entry(&mut archive, "data.json")).unwrap();
    assert_eq!(data["account"]["email"], "ana@example.org");
    assert_eq!(by_assessor, 403);
    assert_eq!(no_reason, 422);
    assert_eq!(staff_status, 422, "staff accounts are disabled, not erased");
    assert_eq!(status, 204, "{body}");
    let events = admin.audit_events(&app).await;
    assert!(events.contains(&"account.exported".to_owned()));
    assert!(events.contains(&"account.erased".to_owned()));
    let (_, login) = app.login("ana@example.org", PASSWORD).await;
    assert_eq!(login.status(), 401);
}

/// Stores `count` more versions of Ana's essay, each of one file of `size` bytes, numbered after
/// hers and not current (put in place directly: uploading that much through the inspection would
/// only make the test slow).
async fn large_versions(app: &TestApp, application: &str, count: i32, size: usize) {
    use sea_orm::{ColumnTrait, QueryFilter};
    use sha2::Digest;
    let bytes = testkit::pdf::noise(size);
    let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    entity::blobs::Entity::insert(entity::blobs::ActiveModel {
        sha256: Set(sha256.clone()),
        size: Set(size as i64),
        bytes: Set(bytes),
        created_at: Set(Utc::now()),
    })
    .exec(&app.db)
    .await
    .unwrap();
    let current = entity::document_versions::Entity::find()
        .filter(entity::document_versions::Column::ApplicationId.eq(application))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the essay's first version");
    for n in 0..count {
        let mut version: entity::document_versions::ActiveModel = current.clone().into();
        version.id = Set(uuid::Uuid::new_v4().to_string());
        version.version = Set(current.version + 1 + n);
        version.blob_sha256 = Set(sha256.clone());
        version.size_bytes = Set(size as i64);
        version.is_current = Set(false);
        version.idempotency_key = Set(None);
        entity::document_versions::Entity::insert(version)
            .exec(&app.db)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_second_export_of_an_account_while_the_first_is_sent_gets_429_and_the_first_completes() {
    // Arrange: about 40 MB to send, more than the connection and the server buffer, so the
    // first export is still being written while its client reads nothing.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = ana_with_an_essay(&app).await;
    large_versions(&app, &application, 4, 10 * 1024 * 1024).await;

    // Act
    let first = ana.get(&app, "/api/account/export").await;
    let (second, problem) = status_of(ana.get(&app, "/api/account/export").await).await;
    let first_status = first.status();
    let bytes = first.bytes().await.expect("the whole first export");
    let after = ana.get(&app, "/api/account/export").await.status();

    // Assert
    assert_eq!(second, 429, "{problem}");
    assert_eq!(problem["type"], "/problems/export-in-progress");
    assert_eq!(
        problem["detail"],
        "An export of your account is already being prepared; wait for it to finish"
    );
    assert_eq!(first_status, 200);
    let mut archive = unzip(&bytes);
    let data: Value = serde_json::from_slice(&entry(&mut archive, "data.json")).unwrap();
    let versions = data["applications"][0]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 5);
    for version in versions {
        let file = entry(&mut archive, version["file"].as_str().unwrap());
        assert_eq!(file.len() as i64, version["size_bytes"].as_i64().unwrap());
    }
    assert_eq!(
        after, 200,
        "the account may export again once the first is sent"
    );
}

#[tokio::test]
async fn an_export_of_many_versions_is_sent_as_it_is_written_and_holds_every_version() {
    // Arrange: twelve versions, each of its own file.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let name = "251334 Key challenges.pdf";
    for n in 1..=12 {
        let bytes = testkit::pdf::essay(&[A4], &format!("version {n}"), 0);
        ana.upload_accepted(&app, &application, name, bytes).await;
    }

    // Act
    let response = ana.get(&app, "/api/account/export").await;

    // Assert: no length announced (the archive is not built first), and every file with its
    // receipt arrives intact.
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert!(response.headers().get("content-length").is_none());
    let mut archive = unzip(&response.bytes().await.unwrap());
    let data: Value = serde_json::from_slice(&entry(&mut archive, "data.json")).unwrap();
    let versions = data["applications"][0]["versions"].as_array().unwrap();
    let mut numbers: Vec<i64> = versions
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=12).collect::<Vec<i64>>());
    use sha2::Digest;
    for version in versions {
        let file = entry(&mut archive, version["file"].as_str().unwrap());
        assert_eq!(
            hex::encode(sha2::Sha256::digest(&file)),
            version["sha256"].as_str().unwrap()
        );
        let receipt = entry(&mut archive, version["receipt"].as_str().unwrap());
        assert!(String::from_utf8(receipt).unwrap().contains("signature"));
    }
    assert_eq!(
        archive.len(),
        2 + 2 * 12,
        "README.txt, data.json, files, receipts"
    );
}

/// Every text the database holds, for a search: on SQLite the bytes of the database file and its
/// write-ahead log (deleted rows included, unless overwritten); on PostgreSQL every row of every
/// table, as text.
async fn whole_database(app: &TestApp) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    match app.db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            let mut bytes = Vec::new();
            for name in ["essay-portal.sqlite", "essay-portal.sqlite-wal"] {
                if let Ok(file) = std::fs::read(app.settings.data_dir.join(name)) {
                    bytes.extend(file);
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        backend => {
            let tables = app
                .db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
                ))
                .await
                .unwrap();
            let mut text = String::new();
            for table in tables {
                let name: String = table.try_get("", "table_name").unwrap();
                let rows = app
                    .db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT CAST(t AS TEXT) AS row FROM \"{name}\" t"),
                    ))
                    .await
                    .unwrap();
                for row in rows {
                    let row: String = row.try_get("", "row").unwrap();
                    text.push_str(&row);
                    text.push('\n');
                }
            }
            text
        }
    }
}

#[tokio::test]
async fn after_erasure_no_row_anywhere_holds_the_persons_name_email_id_or_what_was_typed_about_them(
) {
    // Arrange: Ana leaves traces everywhere a person can: an accepted essay and a refused one,
    // an extension whose reason names her, a mistyped login, a password reset mail, sessions.
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, application) = ana_with_an_essay(&app).await;
    let (refused, _) = status_of(ana.send_pdf(&app, &application, 3).await).await;
    assert_eq!(refused, 422);
    let extended = Utc::now() + Duration::days(10);
    let reason = "accommodation for Ana Silva (medical certificate)";
    let grant = json!({"account_id": ana.account_id, "deadline": extended, "reason": reason});
    let extensions = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    assert_eq!(admin.send(&app, &extensions, grant).await.0, 204);
    app.login("ana@example.org", "a mistyped password").await;
    let reset = json!({"email": "ana@example.org"});
    app.visitor()
        .await
        .post(&app, "/api/password-reset", reset)
        .send()
        .await
        .unwrap();
    let versions: Vec<String> = entity::document_versions::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .flat_map(|v| [v.id, v.blob_sha256])
        .collect();
    assert!(!versions.is_empty());
    let before = whole_database(&app).await;
    assert!(before.contains("ana@example.org") && before.contains(reason));

    // Act
    let (status, outcome) = delete_account(&ana, &app, PASSWORD).await;

    // Assert
    assert_eq!(status, 200, "{outcome}");
    let after = whole_database(&app).await;
    let mut identifiers = vec![
        "ana@example.org".to_owned(),
        "Ana Silva".to_owned(),
        "medical certificate".to_owned(),
        ana.account_id.clone(),
        application.clone(),
    ];
    identifiers.extend(versions);
    let left: Vec<&String> = identifiers
        .iter()
        .filter(|id| after.contains(id.as_str()))
        .collect();
    assert!(left.is_empty(), "still in the database: {left:?}");
    // What stays is that an erasure happened, and when.
    let events = admin.audit_events(&app).await;
    assert!(events.contains(&"account.erased".to_owned()), "{events:?}");
}

#[tokio::test]
async fn an_upload_whose_account_is_erased_while_its_file_arrives_gets_410_not_500() {
    // Arrange: Ana starts an upload; half of the file is sent.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let file = testkit::pdf::pages(&[testkit::pdf::A4]);
    let (head, tail) = file.split_at(file.len() / 2);
    let mut first = b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"251334 Key challenges.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".to_vec();
    first.extend_from_slice(head);
    let mut rest = tail.to_vec();
    rest.extend_from_slice(b"\r\n--X--\r\n");
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    let request = ana
        .upload_request(&app, &application)
        .header("content-type", "multipart/form-data; boundary=X")
        .body(reqwest::Body::wrap_stream(body));
    let upload = tokio::spawn(async move { status_of(request.send().await.unwrap()).await });
    sender.send(Ok(first)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // Act: she erases her account from another tab; then the rest of the file arrives.
    let (erased, outcome) = delete_account(&ana, &app, PASSWORD).await;
    sender.send(Ok(rest)).await.unwrap();
    drop(sender);
    let (status, body) = upload.await.unwrap();

    // Assert: a clear answer, and nothing stored.
    assert_eq!(erased, 200, "{outcome}");
    assert_eq!(status, 410, "{body}");
    assert_eq!(body["type"], "/problems/account-erased", "{body}");
    assert_eq!(
        entity::document_versions::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}
