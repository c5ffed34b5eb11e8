//! The essay template: `GET /api/vacancies/{ref}/documents/{kind}/template.docx` gives a Word
//! file named by the rule, on A4, within the page limit by our count and LibreOffice's, that
//! the portal accepts when a candidate uploads it as it is.
use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::*;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const TEMPLATE: &str = "/api/vacancies/251334/documents/key-challenges/template.docx";

/// A vacancy `reference` with `status` whose one key-challenges document accepts `formats`
/// (at most 2 A4 pages, named with the reference and "Key challenges"), with three key challenges.
async fn vacancy(app: &TestApp, reference: &str, status: &str, formats: serde_json::Value) {
    let rules = json!({
        "reference": reference,
        "deadline": Utc::now() + Duration::days(3),
        "time_zone": "Europe/Brussels",
        "grace_seconds": 120,
        "documents": [{
            "kind": "key-challenges", "title_en": "Key challenges essay", "title_fr": "Essai «\u{a0}Défis majeurs\u{a0}»",
            "formats": formats, "max_pages": 2, "paper": "A4",
            "filename_phrase": "Key challenges", "filename_must_include_reference": true,
            "max_bytes": 2097152
        }],
        "eligibility": ["member-state-national", "no-generative-ai"]
    });
    let input: api::service::vacancies::VacancyInput = serde_json::from_value(json!({
        "reference": reference, "title_en": "Deputy Secretary General for Operations",
        "title_fr": "Secrétaire général adjoint pour les opérations",
        "key_challenges": [
            "Keep the Alliance ready for operations in a changing security environment",
            "Lead the Division through a period of reform and tight budgets",
            "Work with partners and other international organisations"
        ],
        "posts": [], "status": status, "opens_at": null, "rules": rules
    }))
    .unwrap();
    api::service::vacancies::create(&app.db, input, &Default::default(), Utc::now())
        .await
        .unwrap();
}

/// The template of 251334's key-challenges essay, fetched by someone not logged in.
async fn fetch_template(app: &TestApp) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.client.get(app.url(TEMPLATE)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    (headers, response.bytes().await.unwrap().to_vec())
}

fn inspect(bytes: &[u8]) -> inspection::Facts {
    inspection::inspect(bytes, "", &inspection::Limits::default()).facts
}

#[tokio::test]
async fn the_template_is_a_word_file_named_by_the_rule() {
    // Arrange
    let app = spawn_app().await;
    vacancy(&app, "251334", "open", json!(["docx", "pdf"])).await;

    // Act
    let (headers, bytes) = fetch_template(&app).await;

    // Assert
    assert_eq!(headers["content-type"], DOCX);
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("filename=\"251334 Key challenges.docx\""),
        "{disposition}"
    );
    assert_eq!(inspect(&bytes).format, inspection::Format::Docx);
}

#[tokio::test]
async fn the_template_has_the_title_reference_and_one_heading_per_key_challenge_on_a4_within_the_limit(
) {
    // Arrange
    let app = spawn_app().await;
    vacancy(&app, "251334", "open", json!(["docx", "pdf"])).await;

    // Act
    let (_, bytes) = fetch_template(&app).await;
    let inspection = inspection::inspect(&bytes, "", &inspection::Limits::default());

    // Assert: measured exactly (Calibri, through Carlito), one A4 page, no problem.
    let facts = &inspection.facts;
    assert_eq!(facts.pages, Some(1), "{facts:?}");
    assert_eq!(facts.paper, Some(inspection::Paper::A4));
    assert!(facts.unmeasured_fonts.is_empty(), "{facts:?}");
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    let text = inspection.details.text_excerpt.unwrap_or_default();
    for expected in [
        "Deputy Secretary General for Operations",
        "251334",
        "Keep the Alliance ready for operations",
        "Lead the Division through a period of reform",
        "Work with partners and other international organisations",
        "Remplacez",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
}

#[tokio::test]
async fn a_candidate_who_uploads_the_template_as_it_comes_is_accepted_on_every_rule() {
    // Arrange
    let app = spawn_app().await;
    vacancy(&app, "251334", "open", json!(["docx", "pdf"])).await;
    let (candidate, application) = app.applicant("ana@example.org", "251334").await;
    let response = candidate.get(&app, TEMPLATE).await;
    let disposition = response.headers()["content-disposition"].clone();
    let bytes = response.bytes().await.unwrap().to_vec();
    let name = disposition
        .to_str()
        .unwrap()
        .split("filename=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();

    // Act
    let (status, body) = candidate.submit(&app, &application, &name, bytes).await;

    // Assert
    assert_eq!((status, &body["accepted"]), (201, &json!(true)), "{body}");
    assert_eq!(body["inspection"]["pages"], 1);
    assert_eq!(body["inspection"]["paper"], "A4");
    for rule in body["verdict"]["rules"].as_array().unwrap() {
        assert_eq!(rule["status"], "pass", "{rule}");
    }
}

#[tokio::test]
async fn libreoffice_renders_the_template_on_as_many_pages_as_we_count() {
    // Arrange
    if !std::path::Path::new("/usr/bin/soffice").exists() {
        testkit::ci::skip("LibreOffice (/usr/bin/soffice) is not installed");
        return;
    }
    let app = spawn_app().await;
    vacancy(&app, "251334", "open", json!(["docx", "pdf"])).await;
    let (_, bytes) = fetch_template(&app).await;
    let ours = inspect(&bytes).pages;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("251334 Key challenges.docx");
    std::fs::write(&file, &bytes).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );

    // Act
    let conversion = tokio::process::Command::new("/usr/bin/soffice")
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(180), conversion)
        .await
        .expect("soffice converts within 3 minutes")
        .unwrap();

    // Assert
    let pdf = std::fs::read(dir.path().join("251334 Key challenges.pdf")).unwrap_or_else(|e| {
        panic!(
            "no PDF ({e}): {}",
            String::from_utf8_lossy(&[output.stdout, output.stderr].concat())
        )
    });
    let rendered = inspect(&pdf);
    assert_eq!(rendered.format, inspection::Format::Pdf);
    assert_eq!(rendered.pages, ours);
    assert_eq!(rendered.paper, Some(inspection::Paper::A4));
}

#[tokio::test]
async fn an_unknown_vacancy_or_document_kind_is_not_found_as_a_problem() {
    // Arrange
    let app = spawn_app().await;
    vacancy(&app, "251334", "open", json!(["docx", "pdf"])).await;

    for path in [
        "/api/vacancies/251334/documents/cover-letter/template.docx",
        "/api/vacancies/999999/documents/key-challenges/template.docx",
    ] {
        // Act
        let response = app.client.get(app.url(path)).send().await.unwrap();

        // Assert
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_draft_vacancy_has_no_template() {
    // Arrange
    let app = spawn_app().await;
    vacancy(&app, "251334", "draft", json!(["docx", "pdf"])).await;

    // Act
    let response = app.client.get(app.url(TEMPLATE)).send().await.unwrap();

    // Assert
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_document_that_takes_no_word_file_has_no_template() {
    // Arrange
    let app = spawn_app().await;
    vacancy(&app, "251334", "open", json!(["pdf"])).await;

    // Act
    let response = app.client.get(app.url(TEMPLATE)).send().await.unwrap();

    // Assert
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn control_characters_pasted_into_a_vacancy_never_reach_its_pages_or_its_template() {
    // Arrange: an escape sequence and other invisible characters pasted into the title and a key
    // challenge, as an admin copying from a terminal or an old PDF would (finding 9).
    let app = spawn_app().await;
    let rules = json!({
        "reference": "251334",
        "deadline": Utc::now() + Duration::days(3),
        "time_zone": "Europe/Brussels",
        "grace_seconds": 120,
        "documents": [{
            "kind": "key-challenges", "title_en": "Key\u{1}challenges essay", "title_fr": "Essai\u{b}",
            "formats": ["docx", "pdf"], "max_pages": 2, "paper": "A4",
            "filename_phrase": "Key challenges", "filename_must_include_reference": true,
            "max_bytes": 2097152
        }],
        "eligibility": []
    });
    let input: api::service::vacancies::VacancyInput = serde_json::from_value(json!({
        "reference": "251334", "title_en": "Head of\u{1b}[31m Operations\u{7}",
        "title_fr": "Chef\u{c} des opérations",
        "notice_text": "Line one\r\nLine\u{0} two",
        "key_challenges": ["Lead\u{1b} the reform", "Work with\u{85} partners"],
        "posts": [], "status": "open", "opens_at": null, "rules": rules
    }))
    .unwrap();

    // Act
    let created = api::service::vacancies::create(&app.db, input, &Default::default(), Utc::now())
        .await
        .unwrap();
    let (_, template) = fetch_template(&app).await;
    let public = app.get_json("/api/vacancies/251334").await;

    // Assert: stored, shown and written without them; the template opens (its XML is valid).
    assert_eq!(created.model.title_en, "Head of[31m Operations");
    let shown = public.to_string();
    for invisible in [
        "\\u0001", "\\u001b", "\\u0007", "\\u000b", "\\u000c", "\\u0000", "\\u0085", "\\r",
    ] {
        assert!(!shown.contains(invisible), "{invisible} in {shown}");
    }
    let facts = inspect(&template);
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    let xml = testkit::docx::part(&template, "word/document.xml");
    assert!(xml.contains("Lead the reform"), "{xml}");
}
