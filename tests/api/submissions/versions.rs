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
