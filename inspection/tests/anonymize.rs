//! The panel's copy of an essay keeps its text and loses the names hidden in its metadata.
use inspection::{anonymize, inspect, Limits};
use testkit::docx::{all_text, zip_deflated, CONTENT_TYPES, W};

/// Inspects the panel's copy, which must have no metadata left; returns its page count.
fn pages_of_copy(copy: &[u8], name: &str) -> Option<u32> {
    let again = inspect(copy, name, &Limits::default());
    let metadata = &again.details.metadata;
    assert!(metadata.is_empty(), "{metadata:?}");
    assert!(again.facts.pages.is_some(), "{:?}", again.facts.problems);
    again.facts.pages
}

#[test]
fn a_docx_loses_its_authors_and_keeps_its_text() {
    // Arrange: Ana's name in the core properties, a comment and a tracked change.
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Key challenges &amp; answers</w:t></w:r><w:ins w:id="1" w:author="Ana Silva" w:date="2025-09-01T10:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins></w:p></w:body></w:document>"#
    );
    let comments = format!(
        r#"<?xml version="1.0"?><w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Ana Silva" w:initials="AS"><w:p><w:r><w:t>note</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ana Silva</dc:creator><cp:lastModifiedBy>ana.silva@example.org</cp:lastModifiedBy></cp:coreProperties>"#;
    let bytes = zip_deflated(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", document.as_str()),
        ("word/comments.xml", comments.as_str()),
        ("docProps/core.xml", core),
    ]);

    // Act
    let copy = anonymize(&bytes, &Limits::default()).unwrap();

    // Assert
    let text = all_text(&copy);
    assert!(
        !text.contains("Ana Silva") && !text.contains("ana.silva"),
        "{text}"
    );
    assert!(text.contains("Key challenges &amp; answers"), "{text}");
    assert!(text.contains(r#"w:author="Candidate""#), "{text}");
    assert_eq!(pages_of_copy(&copy, "essay.docx"), Some(1));
}

#[test]
fn a_pdf_loses_its_info_and_xmp_and_keeps_its_pages() {
    // Arrange: /Info with an author, and an XMP stream naming her.
    let xmp = "<x:xmpmeta><dc:creator>Ana Silva</dc:creator></x:xmpmeta>";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string(),
        "<< /Author (Ana Silva) /Title (Key challenges, by Ana Silva) >>".to_string(),
        format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{xmp}\nendstream",
            xmp.len()
        ),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string(),
    ];
    let pdf = testkit::pdf::raw(&objects, "/Info 4 0 R");

    // Act
    let copy = anonymize(&pdf, &Limits::default()).unwrap();

    // Assert
    assert!(!String::from_utf8_lossy(&copy).contains("Ana Silva"));
    assert_eq!(pages_of_copy(&copy, "essay.pdf"), Some(2));
}
