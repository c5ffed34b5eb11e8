//! Versions: a replacement becomes current, retries and races store each upload once.
use super::*;

#[tokio::test]
async fn a_replacement_becomes_current_and_earlier_versions_are_kept() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    let essay = fixture("two-pages-a4.docx");
    let first = ana.upload(
        &app,
        &application,
        "251334 Key challenges.docx",
        essay,
        None,
    );
    let first = first.await;
    let replacement = "251334 Key challenges v2.pdf";
    let second = ana.upload(&app, &application, replacement, pdf(&[A4]), None);
    let second = second.await;
    assert_eq!(first.status(), 201);
    assert_eq!(second.status(), 201);

    let view = view(&app, &ana, &application).await;
    let document = &view["documents"][0];
    assert_eq!(document["current"]["version"], 2);
    assert_eq!(document["current"]["original_filename"], replacement);
    assert_eq!(document["versions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_retried_upload_with_the_same_idempotency_key_creates_one_version() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let name = "251334 Key challenges.pdf";
    let send = || ana.upload(&app, &application, name, pdf(&[A4]), Some("retry-1"));

    let (first_status, first) = status_of(send().await).await;
    let (second_status, second) = status_of(send().await).await;

    assert_eq!(first_status, 201);
    assert_eq!(second_status, 200);
    assert_eq!(first["version"]["id"], second["version"]["id"]);
    let versions = &view(&app, &ana, &application).await["documents"][0]["versions"];
    assert_eq!(versions.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn concurrent_uploads_of_one_document_get_distinct_versions_and_one_current() {
    // Arrange: two tabs, a double click — the same document uploaded several times at once.
    // (The cap on uploads in flight per candidate has its own test; here they must all race.)
    let app = app_taking_uploads_at_once(8).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    // Act
    let uploads = (0..6).map(|n| {
        let (ana, app, application) = (&ana, &app, &application);
        // One more page each time, and a comment of its own: every file has its own bytes.
        let mut bytes = pdf(&vec![A4; 1 + n % 2]);
        bytes.extend_from_slice(format!("% copy {n}\n").as_bytes());
        bytes.extend_from_slice(b"%%EOF\n");
        let name = format!("251334 Key challenges {n}.pdf");
        async move {
            let response = ana.upload(app, application, &name, bytes, None).await;
            response.status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(uploads).await;

    // Assert: every one is stored, each under its own number.
    assert_eq!(statuses, [201; 6]);
    let stored = statuses.len();
    let view = view(&app, &ana, &application).await;
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
    use entity::document_versions::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let current = Entity::find()
        .filter(Column::ApplicationId.eq(application.clone()))
        .filter(Column::IsCurrent.eq(true))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(current, 1, "exactly one version is marked current");
}

#[tokio::test]
async fn concurrent_retries_with_one_idempotency_key_store_one_version() {
    // Arrange: a flaky connection makes the browser send the same upload three times at once.
    let app = app_taking_uploads_at_once(8).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let essay = pdf(&[A4, A4]);

    // Act
    let attempts = (0..3).map(|_| {
        let (ana, app, application, essay) = (&ana, &app, &application, essay.clone());
        let name = "251334 Key challenges.pdf";
        async move {
            status_of(
                ana.upload(app, application, name, essay, Some("one-click"))
                    .await,
            )
            .await
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

/// Draft A, draft B and the same name for both, as a candidate keeps them on disk.
fn drafts() -> (Vec<u8>, Vec<u8>) {
    (
        testkit::pdf::essay(&[A4], "draft A", 0),
        testkit::pdf::essay(&[A4, A4], "draft B", 0),
    )
}

/// An upload of the table below: bytes, name, key, status, current version, unchanged, stored.
type Case<'a> = (&'a [u8], &'a str, &'a str, u16, i64, bool, usize);

#[tokio::test]
async fn every_file_a_candidate_chooses_is_stored_and_the_same_file_again_is_said_to_be_current() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (a, b) = drafts();
    let name = "251334 Key challenges.pdf";
    // (what is sent, its key, status, current version after it, unchanged, versions stored)
    let cases: [Case; 6] = [
        (&a, name, "choice-1", 201, 1, false, 1),
        (&b, name, "choice-2", 201, 2, false, 2),
        // Going back to an earlier draft stores it again, as the current version.
        (&a, name, "choice-3", 201, 3, false, 3),
        // The current version's own file: nothing new, and the answer says so.
        (&a, name, "choice-4", 200, 3, true, 3),
        // The same bytes under another name are another submission (the name is a rule).
        (
            &a,
            "251334 Key challenges final.pdf",
            "choice-5",
            201,
            4,
            false,
            4,
        ),
        // A retry of choice 5 (same key, same file) is answered from what it stored.
        (
            &a,
            "251334 Key challenges final.pdf",
            "choice-5",
            200,
            4,
            false,
            4,
        ),
    ];
    for (n, (bytes, filename, key, status, current, unchanged, stored)) in cases.iter().enumerate()
    {
        let response = ana
            .upload(&app, &application, filename, bytes.to_vec(), Some(key))
            .await;
        let (got, body) = status_of(response).await;
        assert_eq!(got, *status, "upload {n}: {body}");
        assert_eq!(body["current_version"], *current, "upload {n}: {body}");
        assert_eq!(body["unchanged"], *unchanged, "upload {n}: {body}");
        let document = &view(&app, &ana, &application).await["documents"][0];
        assert_eq!(
            document["versions"].as_array().unwrap().len(),
            *stored,
            "upload {n}"
        );
        assert_eq!(document["current"]["version"], *current, "upload {n}");
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
        assert_eq!(document["current"]["sha256"], sha, "upload {n}");
    }
}

#[tokio::test]
async fn an_idempotency_key_sent_again_with_another_file_is_refused_not_replayed() {
    // Arrange: draft A stored under a key (a page once made keys from a file's name and size).
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (a, b) = drafts();
    let name = "251334 Key challenges.pdf";
    let first = ana
        .upload(&app, &application, name, a.clone(), Some("k"))
        .await;
    assert_eq!(first.status(), 201);

    // Act: draft B under the same key, then draft A's true retry.
    let (status, refused) =
        status_of(ana.upload(&app, &application, name, b, Some("k")).await).await;
    let (retry_status, retry) =
        status_of(ana.upload(&app, &application, name, a, Some("k")).await).await;

    // Assert: B is neither stored nor called accepted; the retry is the first answer.
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["type"], "/problems/idempotency-key-reused");
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("Choose the file again"),
        "{refused}"
    );
    assert_eq!(
        (retry_status, &retry["replayed"]),
        (200, &serde_json::json!(true))
    );
    assert_eq!(
        retry["version"]["id"],
        first_id(&app, &ana, &application).await
    );
    let versions = &view(&app, &ana, &application).await["documents"][0]["versions"];
    assert_eq!(versions.as_array().unwrap().len(), 1);
}

async fn first_id(app: &TestApp, who: &User, application: &str) -> serde_json::Value {
    view(app, who, application).await["documents"][0]["versions"][0]["id"].clone()
}
