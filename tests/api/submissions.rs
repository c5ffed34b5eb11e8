//! The candidate's path: apply, upload, verdict, store, replace, withdraw, receipts.
use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::{fixture, pdf, spawn_app, A4, LETTER};

const REFERENCE: &str = "251334";

async fn status_of(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

fn rule<'a>(body: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    body["verdict"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == id)
        .unwrap_or_else(|| panic!("no rule {id} in {body}"))
}

#[tokio::test]
async fn each_rule_outcome_is_explained_at_upload() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let good = "251334 Key challenges.docx";
    // (file name, bytes, expected HTTP status, failing rule or None)
    let cases: Vec<(&str, Vec<u8>, u16, Option<&str>)> = vec![
        (good, fixture("two-pages-a4.docx"), 201, None),
        ("251334_key-CHALLENGES.pdf", pdf(&[A4, A4]), 201, None),
        (
            "essay.docx",
            fixture("two-pages-a4.docx"),
            422,
            Some("filename"),
        ),
        (
            "2513345 Key challenges.docx",
            fixture("two-pages-a4.docx"),
            422,
            Some("filename"),
        ),
        (good, fixture("three-pages-a4.docx"), 422, Some("pages")),
        (good, fixture("two-pages-letter.docx"), 422, Some("paper")),
        (
            "251334 Key challenges.pdf",
            pdf(&[LETTER]),
            422,
            Some("paper"),
        ),
        (
            "251334 Key challenges.pdf",
            pdf(&[A4, A4, A4]),
            422,
            Some("pages"),
        ),
        (
            good,
            b"just some text, not a document".to_vec(),
            422,
            Some("format"),
        ),
        (good, vec![], 422, Some("format")),
    ];
    for (name, bytes, expected_status, failing) in cases {
        let (status, body) =
            status_of(ana.upload(&app, &application, name, bytes, None).await).await;

        assert_eq!(status, expected_status, "{name}: {body}");
        match failing {
            None => {
                assert_eq!(body["accepted"], true);
                assert!(body["verdict"]["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|r| r["status"] != "fail"));
            }
            Some(id) => {
                assert_eq!(body["type"], "/problems/document-rejected", "{body}");
                let result = rule(&body, id);
                assert_eq!(result["status"], "fail", "{name}: {result}");
                assert!(!result["message"]["en"].as_str().unwrap().is_empty());
                assert!(!result["message"]["fr"].as_str().unwrap().is_empty());
            }
        }
    }
}

#[tokio::test]
async fn the_fix_names_the_file_to_rename_to_and_the_overflow() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;

    let (_, misnamed) = status_of(
        ana.upload(
            &app,
            &application,
            "my essay.docx",
            fixture("two-pages-a4.docx"),
            None,
        )
        .await,
    )
    .await;
    let (_, too_long) = status_of(
        ana.upload(
            &app,
            &application,
            "251334 Key challenges.docx",
            fixture("three-pages-a4.docx"),
            None,
        )
        .await,
    )
    .await;

    assert!(
        rule(&misnamed, "filename")["message"]["en"]
            .as_str()
            .unwrap()
            .contains("251334 Key challenges.docx"),
        "{misnamed}"
    );
    assert_eq!(too_long["inspection"]["pages"], 3);
    assert!(
        rule(&too_long, "pages")["message"]["en"]
            .as_str()
            .unwrap()
            .contains("page 3"),
        "{too_long}"
    );
}

#[tokio::test]
async fn a_replacement_becomes_current_and_earlier_versions_are_kept() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;

    let first = ana
        .upload(
            &app,
            &application,
            "251334 Key challenges.docx",
            fixture("two-pages-a4.docx"),
            None,
        )
        .await;
    let second = ana
        .upload(
            &app,
            &application,
            "251334 Key challenges v2.pdf",
            pdf(&[A4]),
            None,
        )
        .await;
    assert_eq!(first.status(), 201);
    assert_eq!(second.status(), 201);

    let view: serde_json::Value = ana
        .get(&app, &format!("/api/applications/{application}"))
        .await
        .json()
        .await
        .unwrap();
    let document = &view["documents"][0];
    assert_eq!(document["current"]["version"], 2);
    assert_eq!(
        document["current"]["original_filename"],
        "251334 Key challenges v2.pdf"
    );
    assert_eq!(document["versions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_retried_upload_with_the_same_idempotency_key_creates_one_version() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let send = || {
        ana.upload(
            &app,
            &application,
            "251334 Key challenges.pdf",
            pdf(&[A4]),
            Some("retry-1"),
        )
    };

    let (first_status, first) = status_of(send().await).await;
    let (second_status, second) = status_of(send().await).await;

    assert_eq!(first_status, 201);
    assert_eq!(second_status, 200);
    assert_eq!(first["version"]["id"], second["version"]["id"]);
    let view: serde_json::Value = ana
        .get(&app, &format!("/api/applications/{application}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        view["documents"][0]["versions"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn after_the_deadline_the_application_is_read_only_on_every_path() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::seconds(1))
        .await;

    let upload = ana
        .upload(
            &app,
            &application,
            "251334 Key challenges.pdf",
            pdf(&[A4]),
            None,
        )
        .await;
    let withdraw = ana
        .post_json(
            &app,
            &format!("/api/applications/{application}/withdraw"),
            json!({}),
        )
        .await;
    let late = app.candidate("late@example.org").await;
    let apply = late
        .post_json(
            &app,
            &format!("/api/vacancies/{REFERENCE}/application"),
            json!({"affirmations": ["member-state-national", "no-generative-ai"]}),
        )
        .await;
    let view: serde_json::Value = ana
        .get(&app, &format!("/api/applications/{application}"))
        .await
        .json()
        .await
        .unwrap();

    for response in [upload, withdraw, apply] {
        let (status, body) = status_of(response).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["type"], "/problems/deadline-passed");
    }
    assert_eq!(view["read_only"], true);
}

#[tokio::test]
async fn an_extension_moves_the_deadline_for_that_candidate_only() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
    let ana = app.candidate("ana@example.org").await;
    let bo = app.candidate("bo@example.org").await;
    let ana_application = ana.apply(&app, REFERENCE).await;
    let bo_application = bo.apply(&app, REFERENCE).await;
    let granted = admin
        .post_json(&app, &format!("/api/admin/vacancies/{REFERENCE}/extensions"), json!({
            "account_id": ana.account_id, "deadline": Utc::now() + Duration::days(1), "reason": "reasonable accommodation"
        }))
        .await;
    assert_eq!(granted.status(), 204);
    app.set_deadline(REFERENCE, Utc::now() - Duration::seconds(1))
        .await;

    let ana_upload = ana
        .upload(
            &app,
            &ana_application,
            "251334 Key challenges.pdf",
            pdf(&[A4]),
            None,
        )
        .await;
    let bo_upload = bo
        .upload(
            &app,
            &bo_application,
            "251334 Key challenges.pdf",
            pdf(&[A4]),
            None,
        )
        .await;

    assert_eq!(ana_upload.status(), 201);
    assert_eq!(bo_upload.status(), 409);
    let audit: serde_json::Value = admin
        .get(&app, "/api/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "extension.granted"));
}

#[tokio::test]
async fn an_upload_over_the_size_cap_is_refused_with_413() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;

    let response = ana
        .upload(
            &app,
            &application,
            "251334 Key challenges.pdf",
            vec![b'%'; 3 * 1024 * 1024],
            None,
        )
        .await;

    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn a_candidate_reaches_their_own_files_and_nobody_elses() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let bo = app.candidate("bo@example.org").await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
    let application = ana.apply(&app, REFERENCE).await;
    let bytes = pdf(&[A4]);
    let (_, accepted) = status_of(
        ana.upload(
            &app,
            &application,
            "251334 Key challenges.pdf",
            bytes.clone(),
            None,
        )
        .await,
    )
    .await;
    let version = accepted["version"]["id"].as_str().unwrap().to_owned();

    let own = ana
        .get(&app, &format!("/api/versions/{version}/file"))
        .await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.bytes().await.unwrap().to_vec(), bytes);
    for path in [
        format!("/api/versions/{version}/file"),
        format!("/api/versions/{version}/receipt"),
        format!("/api/applications/{application}"),
    ] {
        assert_eq!(
            bo.get(&app, &path).await.status(),
            404,
            "another candidate: {path}"
        );
        assert_eq!(
            assessor.get(&app, &path).await.status(),
            403,
            "assessor: {path}"
        );
        assert_eq!(admin.get(&app, &path).await.status(), 403, "admin: {path}");
        assert_eq!(
            crate::helpers::browser()
                .get(app.url(&path))
                .send()
                .await
                .unwrap()
                .status(),
            401,
            "anonymous: {path}"
        );
    }
}

#[tokio::test]
async fn the_receipt_is_signed_and_verifies_offline() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let (_, accepted) = status_of(
        ana.upload(
            &app,
            &application,
            "251334 Key challenges.pdf",
            pdf(&[A4, A4]),
            None,
        )
        .await,
    )
    .await;
    let version = accepted["version"]["id"].as_str().unwrap();

    let receipt: serde_json::Value = ana
        .get(&app, &format!("/api/versions/{version}/receipt"))
        .await
        .json()
        .await
        .unwrap();
    let key: serde_json::Value = ana
        .get(&app, "/.well-known/essay-portal-receipt-key")
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(receipt["receipt"]["vacancy_reference"], REFERENCE);
    assert_eq!(receipt["receipt"]["pages"], 2);
    assert_eq!(receipt["receipt"]["sha256"], accepted["version"]["sha256"]);
    let text = receipt.to_string();
    let published = key["public_key"].as_str().unwrap();
    assert!(api::service::receipts::verify_document(&text, published).is_ok());
    let forged = text.replace("\"pages\":2", "\"pages\":1");
    assert!(api::service::receipts::verify_document(&forged, published).is_err());
    let file = std::env::temp_dir().join(format!("receipt-{version}.json"));
    std::fs::write(&file, &text).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_essay-portal"))
        .args([
            "verify-receipt",
            file.to_str().unwrap(),
            "--public-key",
            key["public_key"].as_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    std::fs::remove_file(file).ok();
}

#[tokio::test]
async fn a_member_state_vacancy_refuses_other_nationals_and_requires_affirmations() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    assert_eq!(
        app.register("other@example.org", "OTHER").await.status(),
        201
    );
    let ana = app.candidate("ana@example.org").await;
    let (client, _) = app
        .login("other@example.org", crate::helpers::PASSWORD)
        .await;
    let csrf = crate::helpers::csrf_token(&app, &client).await;

    let other = client
        .post(app.url(&format!("/api/vacancies/{REFERENCE}/application")))
        .header("x-csrf-token", csrf)
        .json(&json!({"affirmations": ["member-state-national", "no-generative-ai"]}))
        .send()
        .await
        .unwrap();
    let unaffirmed = ana
        .post_json(
            &app,
            &format!("/api/vacancies/{REFERENCE}/application"),
            json!({"affirmations": []}),
        )
        .await;

    assert_eq!(other.status(), 403);
    assert_eq!(unaffirmed.status(), 422);
}

#[tokio::test]
async fn a_withdrawn_application_takes_no_uploads() {
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;

    let withdrawn = ana
        .post_json(
            &app,
            &format!("/api/applications/{application}/withdraw"),
            json!({}),
        )
        .await;
    let upload = ana
        .upload(
            &app,
            &application,
            "251334 Key challenges.pdf",
            pdf(&[A4]),
            None,
        )
        .await;

    assert_eq!(withdrawn.status(), 200);
    assert_eq!(upload.status(), 409);
}

/// Starts an app whose inspection worker is `script` (a shell script standing in for a worker
/// that hangs or dies), with a one-second time-out.
async fn app_taking_uploads_at_once(uploads_per_candidate: usize) -> crate::helpers::TestApp {
    let (mut settings, data_dir) = crate::helpers::test_settings().await;
    settings.uploads_per_candidate = uploads_per_candidate;
    crate::helpers::spawn_app_with(settings, data_dir).await
}

async fn app_with_worker(script: &str) -> (crate::helpers::TestApp, tempfile::TempDir) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let worker = dir.path().join("worker.sh");
    std::fs::write(&worker, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&worker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (mut settings, data_dir) = crate::helpers::test_settings().await;
    settings.inspection_worker = Some(worker);
    settings.inspection_timeout_seconds = 1;
    (
        crate::helpers::spawn_app_with(settings, data_dir).await,
        dir,
    )
}

#[tokio::test]
async fn a_worker_that_hangs_or_dies_gives_a_plain_rejection_and_the_service_keeps_serving() {
    let table = [
        ("hangs", "sleep 600", "Reading it took too long."),
        (
            "dies",
            "exit 3",
            "It is damaged or too complex to read safely.",
        ),
        (
            "answers garbage",
            "head -c 4 >/dev/null; printf 'xxxxxxxxgarbage'",
            "It is damaged or too complex to read safely.",
        ),
    ];
    for (why, script, message) in table {
        // Arrange
        let (app, _worker) = app_with_worker(script).await;
        app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
            .await;
        let ana = app.candidate("ana@example.org").await;
        let application = ana.apply(&app, REFERENCE).await;

        // Act
        let started = std::time::Instant::now();
        let response = ana
            .upload(
                &app,
                &application,
                "251334 Key challenges.pdf",
                pdf(&[A4, A4]),
                None,
            )
            .await;
        let (status, body) = status_of(response).await;

        // Assert
        assert_eq!(status, 422, "{why}: {body}");
        // Not a speed check: a worker that hangs for 600 s must be cut off at its 1 s time-out, so
        // the bound is the time-out plus a margin that a machine at a tenth of its speed keeps.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1 + 120),
            "{why}: answered at the worker's time-out, not when the worker finished"
        );
        let readable = body["verdict"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["status"] == "fail")
            .unwrap();
        assert!(
            readable["message"]["en"]
                .as_str()
                .unwrap()
                .contains(message),
            "{why}: {readable}"
        );
        let health = reqwest::get(app.url("/health")).await.unwrap();
        assert_eq!(health.status(), 200, "{why}");
    }
}

#[tokio::test]
async fn workers_are_reused_and_a_hostile_file_does_not_spoil_the_next_upload() {
    // Arrange
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let mut truncated = pdf(&[A4, A4]);
    truncated.truncate(truncated.len() * 6 / 10);

    // Act: good, cut short, good, good — more uploads than workers run at once.
    let mut statuses = Vec::new();
    for (n, bytes) in [
        pdf(&[A4, A4]),
        truncated,
        fixture("two-pages-a4.docx"),
        pdf(&[A4]),
    ]
    .into_iter()
    .enumerate()
    {
        let name = if bytes.starts_with(b"%PDF") {
            format!("251334 Key challenges {n}.pdf")
        } else {
            format!("251334 Key challenges {n}.docx")
        };
        let response = ana.upload(&app, &application, &name, bytes, None).await;
        let (status, body) = status_of(response).await;
        statuses.push(status);
        if status == 422 {
            assert!(
                body["verdict"]["rules"].to_string().contains("cut short"),
                "{body}"
            );
        }
    }

    // Assert
    assert_eq!(statuses, [201, 422, 201, 201]);
}

#[tokio::test]
async fn concurrent_uploads_of_one_document_get_distinct_versions_and_one_current() {
    // Arrange: two tabs, a double click — the same document uploaded several times at once.
    // (The cap on uploads in flight per candidate has its own test; here they must all race.)
    let app = app_taking_uploads_at_once(8).await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;

    // Act
    let uploads = (0..6).map(|n| {
        let (ana, app, application) = (&ana, &app, &application);
        async move {
            // One more page each time, so that every file has its own bytes.
            let pages = vec![A4; 1 + n % 2];
            let response = ana
                .upload(
                    app,
                    application,
                    &format!("251334 Key challenges {n}.pdf"),
                    {
                        let mut bytes = pdf(&pages);
                        bytes.extend_from_slice(format!("% copy {n}\n").as_bytes());
                        bytes.extend_from_slice(b"%%EOF\n");
                        bytes
                    },
                    None,
                )
                .await;
            response.status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(uploads).await;

    // Assert: every one is stored, each under its own number.
    assert_eq!(statuses, [201; 6]);
    let stored = statuses.len();
    let view: serde_json::Value = ana
        .get(&app, &format!("/api/applications/{application}"))
        .await
        .json()
        .await
        .unwrap();
    let versions: Vec<i64> = view["documents"][0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    let mut sorted = versions.clone();
    sorted.sort();
    assert_eq!(sorted, (1..=stored as i64).collect::<Vec<_>>());
    assert_eq!(
        view["documents"][0]["current"]["version"], stored as i64,
        "the newest version is the current one"
    );
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let current = entity::document_versions::Entity::find()
        .filter(entity::document_versions::Column::ApplicationId.eq(application.clone()))
        .filter(entity::document_versions::Column::IsCurrent.eq(true))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(current, 1, "exactly one version is marked current");
}

#[tokio::test]
async fn concurrent_retries_with_one_idempotency_key_store_one_version() {
    // Arrange: a flaky connection makes the browser send the same upload three times at once.
    let app = app_taking_uploads_at_once(8).await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let essay = pdf(&[A4, A4]);

    // Act
    let attempts = (0..3).map(|_| {
        let (ana, app, application, essay) = (&ana, &app, &application, essay.clone());
        async move {
            let response = ana
                .upload(
                    app,
                    application,
                    "251334 Key challenges.pdf",
                    essay,
                    Some("one-click"),
                )
                .await;
            status_of(response).await
        }
    });
    let answers = futures_util::future::join_all(attempts).await;

    // Assert: one 201, the others 200 with the same version.
    let mut statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 200, 201], "{answers:?}");
    let ids: std::collections::HashSet<&str> = answers
        .iter()
        .map(|(_, body)| body["version"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "{answers:?}");
}

/// An upload whose body stops arriving after its first bytes, sent without a Content-Length
/// (chunked), as a hostile client would; it stays open until the server answers.
fn stalled_upload(
    app: &crate::helpers::TestApp,
    who: &crate::helpers::User,
    application: &str,
) -> tokio::task::JoinHandle<u16> {
    use futures_util::StreamExt;
    let first = b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"251334 Key challenges.pdf\"\r\n\r\n%PDF-1.7\n".to_vec();
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) })
        .chain(futures_util::stream::pending());
    let request = who
        .client
        .post(app.url(&format!(
            "/api/applications/{application}/documents/key-challenges"
        )))
        .header("x-csrf-token", &who.csrf)
        .header("content-type", "multipart/form-data; boundary=X")
        .body(reqwest::Body::wrap_stream(body));
    tokio::spawn(async move { request.send().await.map_or(0, |r| r.status().as_u16()) })
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_ended_with_408_and_the_reason() {
    // Arrange: a two-second silence ends an upload.
    let (mut settings, data_dir) = crate::helpers::test_settings().await;
    settings.upload_idle_seconds = 2;
    let app = crate::helpers::spawn_app_with(settings, data_dir).await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let mallory = app.candidate("mallory@example.org").await;
    let application = mallory.apply(&app, REFERENCE).await;

    // Act
    let status = stalled_upload(&app, &mallory, &application).await.unwrap();

    // Assert: the server answered (408) instead of waiting for ever; the next upload works.
    assert_eq!(status, 408);
    let (status, _) = status_of(
        mallory
            .upload(
                &app,
                &application,
                "251334 Key challenges.pdf",
                pdf(&[A4]),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(status, 201, "the candidate's slot was given back");
}

#[tokio::test]
async fn stalled_uploads_of_one_candidate_do_not_hold_up_another() {
    // Arrange: a memory budget of 1 MiB, which two chunked bodies reserving a whole file each
    // would exhaust; silences long enough that the stalls outlast the test.
    let (mut settings, data_dir) = crate::helpers::test_settings().await;
    settings.upload_idle_seconds = 120;
    settings.upload_memory_mib = 1;
    settings.uploads_per_candidate = 2;
    let app = crate::helpers::spawn_app_with(settings, data_dir).await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let mallory = app.candidate("mallory@example.org").await;
    let mallory_application = mallory.apply(&app, REFERENCE).await;
    let ana = app.candidate("ana@example.org").await;
    let ana_application = ana.apply(&app, REFERENCE).await;
    let mut stalls = [
        stalled_upload(&app, &mallory, &mallory_application),
        stalled_upload(&app, &mallory, &mallory_application),
    ];

    // Act: Mallory tries a third upload while the two stalls are in flight; then Ana uploads.
    let mut third = None;
    for _ in 0..300 {
        // A stall that lost the race for a slot to the previous try was refused: send it again.
        for stall in stalls.iter_mut() {
            if stall.is_finished() {
                *stall = stalled_upload(&app, &mallory, &mallory_application);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (status, body) = status_of(
            mallory
                .upload(
                    &app,
                    &mallory_application,
                    "251334 Key challenges.pdf",
                    pdf(&[A4]),
                    None,
                )
                .await,
        )
        .await;
        if status == 429 {
            third = Some(body);
            break;
        }
    }
    let (ana_status, ana_body) = status_of(
        ana.upload(
            &app,
            &ana_application,
            "251334 Key challenges.pdf",
            pdf(&[A4, A4]),
            None,
        )
        .await,
    )
    .await;

    // Assert
    let third = third.expect("a third upload at once is refused while two are in flight");
    assert_eq!(third["type"], "/problems/uploads-in-progress");
    assert!(third["detail"]
        .as_str()
        .unwrap()
        .contains("2 uploads in progress"));
    assert_eq!(ana_status, 201, "{ana_body}");
    assert!(
        stalls.iter().all(|stall| !stall.is_finished()),
        "Ana was answered while Mallory's uploads were still stalled"
    );
    for stall in stalls {
        stall.abort();
    }
}

#[tokio::test]
async fn every_body_byte_counts_against_the_upload_limit() {
    // Arrange: a 64 KiB limit; bodies made of fields other than the file.
    let (mut settings, data_dir) = crate::helpers::test_settings().await;
    settings.upload_limit_bytes = 64 * 1024;
    let app = crate::helpers::spawn_app_with(settings, data_dir).await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let form = |fields: usize, bytes: usize| {
        let mut form = reqwest::multipart::Form::new();
        for n in 0..fields {
            form = form.text(format!("note{n}"), "x".repeat(bytes));
        }
        form.part(
            "file",
            reqwest::multipart::Part::bytes(pdf(&[A4])).file_name("251334 Key challenges.pdf"),
        )
    };
    // (fields before the file, bytes each, status, words of the answer)
    let cases = [
        (10, 60 * 1024, 413, "larger than"),
        (200, 10, 422, "too many form fields"),
        (2, 10, 201, ""),
    ];
    for (fields, bytes, expected, words) in cases {
        // Act
        let response = ana
            .client
            .post(app.url(&format!(
                "/api/applications/{application}/documents/key-challenges"
            )))
            .header("x-csrf-token", &ana.csrf)
            .multipart(form(fields, bytes))
            .send()
            .await
            .unwrap();
        let (status, body) = status_of(response).await;

        // Assert
        assert_eq!(status, expected, "{fields} fields of {bytes} bytes: {body}");
        assert!(
            body["detail"].as_str().unwrap_or_default().contains(words),
            "{fields} fields of {bytes} bytes: {body}"
        );
    }
}

/// An A4 essay of `paragraphs` paragraphs in `font`, with docProps/app.xml as Word writes it
/// when `word` gives (pages, words).
fn essay_in(font: &str, paragraphs: usize, word: Option<(u32, u32)>) -> Vec<u8> {
    let sentence = "The Alliance faces a changing security environment that asks for steady work. ";
    let body: String = (0..paragraphs)
        .map(|_| {
            format!(
                r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                sentence.repeat(4)
            )
        })
        .collect();
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/><w:sz w:val="24"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let mut parts = vec![
        ("word/styles.xml", styles.into_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes().to_vec()),
    ];
    if let Some((pages, words)) = word {
        parts.push((
            "docProps/app.xml",
            format!(
                r#"<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template><Pages>{pages}</Pages><Words>{words}</Words><Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion></Properties>"#
            )
            .into_bytes(),
        ));
    }
    crate::helpers::docx_with_body(&body, &parts)
}

#[tokio::test]
async fn an_essay_in_a_font_we_cannot_measure_is_judged_by_words_own_count_or_never_refused() {
    // Arrange: an essay that our layout, measuring Aptos with a substitute, finds 3 pages long.
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let name = "251334 Key challenges.docx";
    let (status, first) = status_of(
        ana.upload(&app, &application, name, essay_in("Aptos", 28, None), None)
            .await,
    )
    .await;
    assert_eq!(first["inspection"]["pages"], 3, "{first}");
    let words = first["inspection"]["words"].as_u64().unwrap() as u32;
    // (why, font, Word's (pages, words), status, pages rule status, words of the message)
    let cases = [
        (
            "Aptos, no Word count: an estimate, not refused",
            "Aptos",
            None,
            201,
            "warn",
            "not refused",
        ),
        (
            "Aptos, Word counts 2: accepted on Word's count, with an advisory",
            "Aptos",
            Some((2, words)),
            201,
            "warn",
            "Microsoft Word counts 2 pages",
        ),
        (
            "Aptos, Word counts 3: refused on Word's count",
            "Aptos",
            Some((3, words)),
            422,
            "fail",
            "Microsoft Word itself counts 3 pages",
        ),
        (
            "Calibri: measured exactly, refused",
            "Calibri",
            None,
            422,
            "fail",
            "page 3",
        ),
    ];
    assert_eq!(status, 201);
    for (why, font, word, expected, rule_status, message) in cases {
        // Act
        let (status, body) = status_of(
            ana.upload(&app, &application, name, essay_in(font, 28, word), None)
                .await,
        )
        .await;

        // Assert
        assert_eq!(status, expected, "{why}: {body}");
        let pages = rule(&body, "pages");
        assert_eq!(pages["status"], rule_status, "{why}: {pages}");
        let en = pages["message"]["en"].as_str().unwrap();
        assert!(en.contains(message), "{why}: {en}");
        assert!(!pages["message"]["fr"].as_str().unwrap().is_empty());
        if font == "Calibri" {
            assert!(
                body["inspection"].get("unmeasured_fonts").is_none(),
                "{why}"
            );
        } else {
            assert_eq!(body["inspection"]["unmeasured_fonts"][0], "Aptos", "{why}");
        }
    }
}

#[tokio::test]
async fn a_download_names_the_file_as_rfc_6266_says() {
    // Arrange: a file name with an en dash and an umlaut.
    let app = spawn_app().await;
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, REFERENCE).await;
    let name = "251334 Key challenges – Müller.pdf";
    let (status, accepted) =
        status_of(ana.upload(&app, &application, name, pdf(&[A4]), None).await).await;
    assert_eq!(status, 201, "{accepted}");
    let version = accepted["version"]["id"].as_str().unwrap();

    // Act
    let response = ana
        .get(&app, &format!("/api/versions/{version}/file"))
        .await;

    // Assert: an ASCII stand-in, and the exact name percent-encoded as UTF-8.
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains(r#"filename="251334 Key challenges _ M_ller.pdf""#),
        "{disposition}"
    );
    assert!(
        disposition
            .contains("filename*=UTF-8''251334%20Key%20challenges%20%E2%80%93%20M%C3%BCller.pdf"),
        "{disposition}"
    );
}
