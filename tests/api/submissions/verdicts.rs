//! The verdict at upload: each rule's outcome, explained, with the fix.
use testkit::docx::{app_xml, font_essay};
use testkit::pdf::LETTER;

use super::*;

#[tokio::test]
async fn each_rule_outcome_is_explained_at_upload() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (good, good_pdf) = ("251334 Key challenges.docx", "251334 Key challenges.pdf");
    let two_pages = || fixture("two-pages-a4.docx");
    // (file name, bytes, expected HTTP status, failing rule or None)
    let cases: Vec<(&str, Vec<u8>, u16, Option<&str>)> = vec![
        (good, two_pages(), 201, None),
        ("251334_key-CHALLENGES.pdf", pdf(&[A4, A4]), 201, None),
        ("essay.docx", two_pages(), 422, Some("filename")),
        (
            "2513345 Key challenges.docx",
            two_pages(),
            422,
            Some("filename"),
        ),
        (good, fixture("three-pages-a4.docx"), 422, Some("pages")),
        (good, fixture("two-pages-letter.docx"), 422, Some("paper")),
        (good_pdf, pdf(&[LETTER]), 422, Some("paper")),
        (good_pdf, pdf(&[A4, A4, A4]), 422, Some("pages")),
        (
            good,
            b"just some text, not a document".to_vec(),
            422,
            Some("format"),
        ),
        (good, vec![], 422, Some("format")),
    ];
    for (name, bytes, expected_status, failing) in cases {
        let (status, body) = ana.submit(&app, &application, name, bytes).await;

        assert_eq!(status, expected_status, "{name}: {body}");
        match failing {
            None => {
                assert_eq!(body["accepted"], true);
                let rules = body["verdict"]["rules"].as_array().unwrap();
                assert!(rules.iter().all(|r| r["status"] != "fail"), "{body}");
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
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    let essay = fixture("two-pages-a4.docx");
    let (_, misnamed) = ana.submit(&app, &application, "my essay.docx", essay).await;
    let (name, essay) = ("251334 Key challenges.docx", fixture("three-pages-a4.docx"));
    let (_, too_long) = ana.submit(&app, &application, name, essay).await;

    let rename = rule(&misnamed, "filename")["message"]["en"]
        .as_str()
        .unwrap();
    assert!(rename.contains("251334 Key challenges.docx"), "{misnamed}");
    assert_eq!(too_long["inspection"]["pages"], 3);
    let overflow = rule(&too_long, "pages")["message"]["en"].as_str().unwrap();
    assert!(overflow.contains("page 3"), "{too_long}");
}

/// An A4 essay of `paragraphs` paragraphs in `font`, with docProps/app.xml as Word writes it
/// when `word` gives (pages, words).
fn essay_in(font: &str, paragraphs: usize, word: Option<(u32, u32)>) -> Vec<u8> {
    let app =
        word.map(|(pages, words)| app_xml("Microsoft Office Word", Some("16.0000"), pages, words));
    font_essay(font, paragraphs, None, app)
}

#[tokio::test]
async fn an_essay_in_a_font_we_cannot_measure_is_judged_by_words_own_count_or_never_refused() {
    // Arrange: an essay that our layout, measuring Aptos with a substitute (DejaVu Sans, as
    // LibreOffice draws it), finds over the 2-page limit.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let name = "251334 Key challenges.docx";
    let first = essay_in("Aptos", 28, None);
    // (Under another name: the same file under the same name would be "already current".)
    let draft = "251334 Key challenges (draft).docx";
    let (status, first) = ana.submit(&app, &application, draft, first).await;
    assert!(first["inspection"]["pages"].as_u64() > Some(2), "{first}");
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
        let essay = essay_in(font, 28, word);
        let (status, body) = ana.submit(&app, &application, name, essay).await;

        // Assert
        assert_eq!(status, expected, "{why}: {body}");
        let pages = rule(&body, "pages");
        assert_eq!(pages["status"], rule_status, "{why}: {pages}");
        let en = pages["message"]["en"].as_str().unwrap();
        assert!(en.contains(message), "{why}: {en}");
        assert!(!pages["message"]["fr"].as_str().unwrap().is_empty());
        let unmeasured = body["inspection"].get("unmeasured_fonts");
        if font == "Calibri" {
            assert!(unmeasured.is_none(), "{why}");
        } else {
            assert_eq!(unmeasured.unwrap()[0], "Aptos", "{why}");
        }
    }
}
