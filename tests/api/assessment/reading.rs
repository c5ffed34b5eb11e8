//! What assessors read: only their panels' essays, current ones, after the deadline, anonymous.
use chrono::{Duration, Utc};
use serde_json::json;

use super::*;

#[tokio::test]
async fn assessors_see_only_their_panels_and_only_after_the_deadline() {
    let app = spawn_app().await;
    let panel = panel(&app).await;

    let (before, _) = panel.essays(&app, &panel.member).await;
    app.close(REFERENCE).await;
    let (after, essays) = panel.essays(&app, &panel.member).await;
    let (outsider, _) = panel.essays(&app, &panel.outsider).await;
    let essay = format!("/api/assessor/essays/{}", panel.versions[0]);
    let (outsider_read, _) = panel.outsider.fetch(&app, &essay).await;
    let (_, outsider_list) = panel.outsider.fetch(&app, "/api/assessor/vacancies").await;

    assert_eq!(before, 403, "before the deadline");
    assert_eq!(after, 200);
    assert_eq!(essays.as_array().unwrap().len(), 2);
    let text = essays.to_string();
    assert!(
        !text.contains("ana@example.org") && !text.contains("Ana Silva"),
        "anonymous: {text}"
    );
    let code = essays[0]["candidate_code"].as_str().unwrap();
    assert!(code.starts_with("C-"), "{code}");
    assert_eq!(
        outsider, 404,
        "another panel's vacancy does not exist for them"
    );
    assert_eq!(outsider_read, 404);
    assert_eq!(outsider_list, json!([]));
}

#[tokio::test]
async fn a_docx_essay_is_read_as_sanitised_html_and_downloaded_under_its_code() {
    let (app, panel) = closed_panel().await;

    let essay = format!("/api/assessor/essays/{}", panel.versions[0]);
    let (status, reading) = panel.member.fetch(&app, &essay).await;
    let download = panel.member.get(&app, &format!("{essay}/file")).await;

    assert_eq!(status, 200);
    let html = reading["html"].as_str().unwrap();
    assert!(html.contains("Key challenges"), "{html}");
    assert!(!html.contains("<script"));
    assert_eq!(reading["facts"]["pages"], 2);
    assert!(reading["rubric"].as_array().unwrap().len() >= 2);
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    let code = reading["candidate_code"].as_str().unwrap();
    assert!(disposition.contains(code), "{disposition}");
    assert!(
        !disposition.contains("251334 Key challenges"),
        "{disposition}"
    );
    let events = panel.admin.audit_events(&app).await;
    for expected in ["essay.viewed", "essay.downloaded"] {
        assert!(events.iter().any(|e| e == expected), "{events:?}");
    }
}

#[tokio::test]
async fn an_image_referenced_hundreds_of_times_is_served_once_by_url_and_the_reading_stays_small() {
    // Arrange: a one-page essay holding one picture, drawn 500 times.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let drawing = r#"<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
    let body = format!(
        r#"<w:p><w:r><w:t>Key challenges</w:t></w:r></w:p><w:p>{}</w:p>"#,
        drawing.repeat(500)
    );
    let rels = testkit::docx::rels("rIdImg", "image", "media/image1.png");
    let picture: Vec<u8> = (0..256 * 1024u32).map(|n| (n * 7919 % 251) as u8).collect();
    let essay = testkit::docx::with_body(
        &body,
        &[
            ("word/_rels/document.xml.rels", rels.into_bytes()),
            ("word/media/image1.png", picture.clone()),
        ],
    );
    let (cy, application) = app.applicant("cy@example.org", REFERENCE).await;
    let name = "251334 Key challenges.docx";
    let version = cy.upload_accepted(&app, &application, name, essay).await;
    app.close(REFERENCE).await;

    // Act
    let reading = panel
        .member
        .get(&app, &format!("/api/assessor/essays/{version}"))
        .await
        .bytes()
        .await
        .unwrap();
    let reading: serde_json::Value =
        serde_json::from_slice(&reading).unwrap_or_else(|e| panic!("{e}: {} bytes", reading.len()));
    let urls: Vec<String> = reading["image_urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_owned())
        .collect();
    let image = panel.member.get(&app, &urls[0]).await;
    let image_type = image.headers()["content-type"].to_str().unwrap().to_owned();
    let image_bytes = image.bytes().await.unwrap();
    let beyond = format!("/api/assessor/essays/{version}/images/1");
    let (beyond, _) = panel.member.fetch(&app, &beyond).await;
    let outsider = panel.outsider.get(&app, &urls[0]).await.status();

    // Assert: one URL, a capped number of tags, no image bytes inside the answer.
    let html = reading["html"].as_str().unwrap();
    assert_eq!(urls.len(), 1);
    assert_eq!(html.matches("<img ").count(), 200);
    assert!(!html.contains("base64"));
    assert!(html.len() < 256 * 1024, "{} bytes of HTML", html.len());
    assert_eq!(image_type, "image/png");
    assert_eq!(image_bytes.as_ref(), picture.as_slice());
    assert_eq!(beyond, 404);
    assert!(outsider == 403 || outsider == 404, "{outsider}");
}

#[tokio::test]
async fn assessors_read_only_current_essays_of_candidates_whose_own_deadline_has_passed() {
    // Arrange: Eve replaces her essay, Cy withdraws, Dee has an extension still running.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let (eve, eve_application) = app.applicant("eve@example.org", REFERENCE).await;
    let eve_first = upload_pdf(&app, &eve, &eve_application, 1).await;
    let eve_second = upload_pdf(&app, &eve, &eve_application, 2).await;
    let (cy, cy_application) = app.applicant("cy@example.org", REFERENCE).await;
    let cy_version = upload_pdf(&app, &cy, &cy_application, 1).await;
    let withdraw = format!("/api/applications/{cy_application}/withdraw");
    assert_eq!(cy.send(&app, &withdraw, json!({})).await.0, 200);
    let (dee, dee_application) = app.applicant("dee@example.org", REFERENCE).await;
    let dee_version = upload_pdf(&app, &dee, &dee_application, 1).await;
    let extension = json!({
        "account_id": dee.account_id, "deadline": Utc::now() + Duration::days(1), "reason": "illness"
    });
    let extensions = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    assert_eq!(panel.admin.send(&app, &extensions, extension).await.0, 204);
    app.close(REFERENCE).await;

    // Act
    let (_, essays) = panel.essays(&app, &panel.member).await;
    let mut opened = Vec::new();
    for version in [&eve_first, &eve_second, &cy_version, &dee_version] {
        let essay = format!("/api/assessor/essays/{version}");
        opened.push(panel.member.fetch(&app, &essay).await.0);
    }

    // Assert
    let listed: Vec<&str> = essays
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["version_id"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&eve_second.as_str()), "{listed:?}");
    for hidden in [&eve_first, &cy_version, &dee_version] {
        assert!(!listed.contains(&hidden.as_str()), "{hidden} in {listed:?}");
    }
    assert_eq!(
        opened,
        vec![404, 200, 404, 404],
        "superseded, current, withdrawn, extension running"
    );
}

#[tokio::test]
async fn the_panel_downloads_a_copy_without_the_authors_name_in_its_metadata() {
    // Arrange: Eve's PDF says who wrote it in its document information.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let (eve, application) = app.applicant("eve@example.org", REFERENCE).await;
    let signed = testkit::pdf::Pdf {
        pages: &[A4],
        author: Some("Eve Example"),
        ..Default::default()
    }
    .build();
    let name = "251334 Key challenges.pdf";
    let version = eve.upload_accepted(&app, &application, name, signed).await;
    let panel_copy = format!("/api/assessor/essays/{version}/file");
    app.close(REFERENCE).await;

    // Act
    let download = panel.member.get(&app, &panel_copy).await;
    let status = download.status();
    let bytes = download.bytes().await.unwrap();
    let original = eve
        .get(&app, &format!("/api/versions/{version}/file"))
        .await
        .bytes()
        .await
        .unwrap();

    // Assert: the panel's copy has no author; the candidate's own download is the original.
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"%PDF"));
    assert!(!String::from_utf8_lossy(&bytes).contains("Eve Example"));
    assert!(String::from_utf8_lossy(&original).contains("Eve Example"));
}

#[tokio::test]
async fn a_word_file_that_also_holds_a_pdf_reaches_the_panel_as_word_only() {
    // Arrange: a .docx whose first part is a PDF with JavaScript (finding 8): read as Word by the
    // inspection, it would open as that PDF in Acrobat if the panel's copy kept its first KiB.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let (eve, application) = app.applicant("eve@example.org", REFERENCE).await;
    let polyglot = testkit::hostile::pdf_polyglot();
    assert!(polyglot[..1024].windows(5).any(|w| w == b"%PDF-"));
    let name = "251334 Key challenges.docx";
    let version = eve
        .upload_accepted(&app, &application, name, polyglot)
        .await;
    app.close(REFERENCE).await;

    // Act
    let download = panel
        .member
        .get(&app, &format!("/api/assessor/essays/{version}/file"))
        .await;
    let status = download.status();
    let copy = download.bytes().await.unwrap();

    // Assert: a Word file, with no PDF header where a reader looks for one.
    assert_eq!(status, 200);
    assert!(copy.starts_with(b"PK\x03\x04"));
    assert!(!copy[..1024.min(copy.len())]
        .windows(5)
        .any(|w| w == b"%PDF-"));
}
