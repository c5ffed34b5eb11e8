//! A candidate's document and application states, each with its own look and words: accepted
//! with warnings is not a plain accept; a withdrawn application says so and offers to apply
//! again; a vacancy that asks for no document has no empty card of documents.

use fantoccini::Client;
use serde_json::json;

use crate::driver::*;
use crate::helpers::TestApp;

/// Vacancy `reference` titled `title`, open for three days, that asks for `documents`.
async fn open_vacancy_with(
    app: &TestApp,
    reference: &str,
    title: &str,
    documents: serde_json::Value,
) {
    let rules = json!({
        "reference": reference, "deadline": chrono::Utc::now() + chrono::Duration::days(3),
        "time_zone": "Europe/Brussels", "grace_seconds": 120, "documents": documents, "eligibility": []
    });
    let input: api::service::vacancies::VacancyInput = serde_json::from_value(json!({
        "reference": reference, "title_en": title, "title_fr": title,
        "key_challenges": [], "posts": [], "status": "open", "opens_at": null, "rules": rules
    }))
    .unwrap();
    api::service::vacancies::create(&app.db, input, &Default::default(), chrono::Utc::now())
        .await
        .unwrap();
}

async fn classes(client: &Client, css: &str) -> usize {
    count(client, css).await
}

#[tokio::test]
async fn accepted_with_warnings_withdrawn_and_no_documents_each_look_and_read_as_what_they_are() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    // 250875 asks for A4 paper, but only warns about another size.
    let essay = json!([{
        "kind": "key-challenges", "title_en": "Key challenges essay", "title_fr": "Essai «\u{a0}Défis majeurs\u{a0}»",
        "formats": ["docx", "pdf"], "max_pages": 2, "paper": "A4", "max_bytes": 2097152,
        "severities": {"paper": "advisory"}
    }]);
    open_vacancy_with(&app, "250875", "Logistics Officer", essay).await;
    let ana = app.candidate("ana@example.org").await;
    let application = ana.apply(&app, "250875").await;
    log_in(&client, &app, "ana@example.org").await;

    // A Word file on Letter paper where A4 is asked: accepted, with a warning, and it shows.
    client.goto(&app.url("/vacancy?ref=250875")).await.unwrap();
    wait_for_text(&client, "Your documents").await;
    pick_file(
        &client,
        "#file-key-challenges",
        "two-pages-letter.docx",
        "250875 Key challenges.docx",
    )
    .await;
    wait_for_text(&client, "Accepted with warnings: stored as version 1").await;
    assert_eq!(classes(&client, ".doc .notice.warn").await, 1);
    assert_eq!(classes(&client, ".versions .badge.warn").await, 1);
    assert_eq!(classes(&client, ".versions .badge.ok").await, 0);
    assert_accessible(&client, "accepted with warnings (en)").await;
    client
        .execute(
            "document.querySelector('.doc .notice.warn').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    snap(&client, "accepted-with-warnings-en").await;
    click_then_see(&client, "#lang-fr", "ACCEPTÉ AVEC AVERTISSEMENTS").await;
    assert_accessible(&client, "accepted with warnings (fr)").await;
    snap(&client, "accepted-with-warnings-fr").await;
    click_then_see(&client, "#lang-en", "ACCEPTED WITH WARNINGS").await;

    // Withdrawn: said so, the last file not shown as a green current version, a way back.
    let withdraw = format!("/api/applications/{application}/withdraw");
    assert_eq!(ana.send(&app, &withdraw, json!({})).await.0, 200);
    client.goto(&app.url("/applications")).await.unwrap();
    wait_for_all(&client, &["WITHDRAWN", "LAST UPLOADED", "Apply again"]).await;
    assert_eq!(classes(&client, ".doc .badge.ok").await, 0);
    assert!(!body_text(&client).await.contains("✓ CURRENT"));
    let again = element(&client, "a.apply-again").await;
    assert_eq!(
        again.attr("href").await.unwrap().as_deref(),
        Some("/vacancy?ref=250875")
    );
    assert_accessible(&client, "withdrawn application (en)").await;
    snap(&client, "withdrawn-en").await;
    click_then_see(&client, "#lang-fr", "Postuler à nouveau").await;
    wait_for_text(&client, "DERNIER DÉPÔT").await;
    assert_accessible(&client, "withdrawn application (fr)").await;
    snap(&client, "withdrawn-fr").await;
    click_then_see(&client, "#lang-en", "Apply again").await;

    // A vacancy without a document: no "Documents to upload" card; applying says why.
    open_vacancy_with(&app, "241167", "Staff Officer", json!([])).await;
    client.goto(&app.url("/vacancy?ref=241167")).await.unwrap();
    wait_for_text(&client, "Staff Officer").await;
    wait_for_text(&client, "Apply").await;
    assert!(!body_text(&client).await.contains("Documents to upload"));
    ana.apply(&app, "241167").await;
    client.refresh().await.unwrap();
    wait_for_text(&client, "This vacancy asks for no document").await;
    assert_accessible(&client, "vacancy without documents (en)").await;
    snap(&client, "no-documents-en").await;
    click_then_see(&client, "#lang-fr", "Ce poste ne demande aucun document").await;
    assert!(!body_text(&client).await.contains("Documents à déposer"));
    assert_accessible(&client, "vacancy without documents (fr)").await;
    snap(&client, "no-documents-fr").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_pre_check_suggests_a_name_in_the_format_of_the_file_chosen() {
    let Some((app, _driver, client)) = start(false, None).await else {
        return;
    };
    client.goto(&app.url("/")).await.unwrap();
    text_of(&client, "main h1").await;
    let said = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             import('/js/precheck.js').then((m) => {
               const doc = { formats: ['docx', 'pdf'], filename_phrase: 'Key challenges',
                 filename_must_include_reference: true, suggested_filename: '251334 Key challenges.docx' };
               done([m.precheck({ name: 'essay.pdf', size: 10 }, doc, '251334').join(' '),
                     m.precheck({ name: 'essay.docx', size: 10 }, doc, '251334').join(' ')]);
             });",
            vec![],
        )
        .await
        .unwrap();
    let pdf = said[0].as_str().unwrap();
    let docx = said[1].as_str().unwrap();
    assert!(
        pdf.contains("251334 Key challenges.pdf") && !pdf.contains(".docx"),
        "{pdf}"
    );
    assert!(docx.contains("251334 Key challenges.docx"), "{docx}");
    client.close().await.unwrap();
}
