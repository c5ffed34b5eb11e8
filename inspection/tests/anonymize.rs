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

#[test]
fn a_pdf_copy_keeps_no_author_form_value_attachment_or_action_and_keeps_its_links() {
    // Arrange: Ana's name as a comment's author, a form field's value and an attachment's name,
    // a document-open action to another file, and a web link that should survive.
    let attachment = "Ana Silva's CV";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> /OpenAction << /S /GoToR /F (C:/Users/ana.silva/cv.pdf) /D [0 /Fit] >> /Names << /EmbeddedFiles << /Names [(cv.pdf) 6 0 R] >> >> >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R 5 0 R 8 0 R] /AA << /O << /S /GoToE /D [0 /Fit] >> >> >>".to_string(),
        "<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /T (Ana Silva) /Contents (see page 2) >>".to_string(),
        "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Ana Silva) /Rect [0 0 10 10] >>".to_string(),
        "<< /Type /Filespec /F (cv.pdf) /EF << /F 7 0 R >> >>".to_string(),
        format!("<< /Type /EmbeddedFile /Length {} >>\nstream\n{attachment}\nendstream", attachment.len()),
        "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://www.who.int/) >> >>".to_string(),
    ];
    let pdf = testkit::pdf::raw(&objects, "");

    // Act
    let copy = anonymize(&pdf, &Limits::default()).unwrap();

    // Assert
    let text = String::from_utf8_lossy(&copy);
    for gone in [
        "Ana Silva",
        "ana.silva",
        "/EmbeddedFile",
        "/AcroForm",
        "/GoToR",
        "/GoToE",
        "/OpenAction",
        "/Widget",
    ] {
        assert!(!text.contains(gone), "{gone} is still in the copy:\n{text}");
    }
    assert!(text.contains("https://www.who.int/"), "{text}");
    assert!(text.contains("see page 2"), "{text}");
    assert_eq!(pages_of_copy(&copy, "essay.pdf"), Some(1));
}

#[test]
fn a_pdf_copy_never_holds_a_script_the_inspection_would_refuse() {
    // The anonymiser checks its own output with the inspection's scan: whatever it is given, the
    // copy it returns has no active content (the service refuses these files; this is the
    // second line).
    let pages = testkit::hostile::PDF_ACTIONS
        .iter()
        .map(|(why, extra, _, _)| (*why, testkit::pdf::with_page(extra)));
    for (why, pdf) in pages.chain(testkit::hostile::active_content()) {
        let Ok(copy) = anonymize(&pdf, &Limits::default()) else {
            continue;
        };
        let again = inspect(&copy, "essay.pdf", &Limits::default());
        assert!(
            !again.details.has_javascript && !again.details.has_launch_action,
            "{why}: the copy still acts"
        );
    }
}

#[test]
fn a_docx_copy_loses_custom_xml_and_the_attached_templates_path() {
    let settings_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\Users\jane.doe\AppData\Roaming\Microsoft\Templates\Jane%20Doe.dotm" TargetMode="External"/></Relationships>"#;
    let document_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.oecd.org/" TargetMode="External"/></Relationships>"#;
    let custom = r#"<?xml version="1.0"?><p:properties xmlns:p="http://schemas.microsoft.com/office/2006/metadata/properties"><documentManagement><Owner>Jane Doe</Owner><Email>jane.doe@example.org</Email></documentManagement></p:properties>"#;
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Key challenges</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = zip_deflated(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", document.as_str()),
        ("word/_rels/settings.xml.rels", settings_rels),
        ("word/_rels/document.xml.rels", document_rels),
        ("customXml/item1.xml", custom),
    ]);

    let copy = anonymize(&bytes, &Limits::default()).unwrap();

    let text = all_text(&copy);
    for gone in ["jane.doe", "Jane Doe", "Jane%20Doe"] {
        assert!(!text.contains(gone), "{gone} is still in the copy:\n{text}");
    }
    assert!(text.contains("https://www.oecd.org/"), "{text}");
    assert!(text.contains("<p:properties"), "{text}");
    assert_eq!(pages_of_copy(&copy, "essay.docx"), Some(1));
}

#[test]
fn a_docx_carrying_a_pdf_in_its_first_kib_gets_a_docx_copy_or_none() {
    // A Word file whose first stored part is a PDF: Acrobat, which looks for "%PDF-" anywhere in
    // the first KiB, would open the old copy as that PDF (finding 8). The inspection reads it as
    // Word, so the copy must be Word: it starts with the content types, written anew.
    let pdf = testkit::pdf::with_page("/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>");
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Key challenges</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = testkit::docx::zip_stored(&[
        ("a.pdf", pdf.as_slice()),
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]);
    assert!(
        bytes[..1024].windows(5).any(|w| w == b"%PDF-"),
        "the test file is a polyglot"
    );
    assert_eq!(
        inspect(&bytes, "essay.docx", &Limits::default())
            .facts
            .format,
        inspection::Format::Docx
    );

    match anonymize(&bytes, &Limits::default()) {
        Ok(copy) => {
            assert!(copy.starts_with(b"PK\x03\x04"));
            assert!(!copy[..1024.min(copy.len())]
                .windows(5)
                .any(|w| w == b"%PDF-"));
            assert_eq!(
                inspect(&copy, "essay.docx", &Limits::default())
                    .facts
                    .format,
                inspection::Format::Docx
            );
        }
        Err(reason) => panic!("no copy: {reason}"),
    }
}
