//! The panel's copy of an essay keeps its text and loses the names hidden in its metadata.
use inspection::{anonymize, inspect, Limits};
use std::io::{Read, Write};

fn zip_of(entries: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, d) in entries {
            z.start_file(*n, opt).unwrap();
            z.write_all(d.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn all_text(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut text = String::new();
    for i in 0..archive.len() {
        archive
            .by_index(i)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
    }
    text
}

#[test]
fn a_docx_loses_its_authors_and_keeps_its_text() {
    // Arrange: Ana's name in the core properties, a comment and a tracked change.
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Key challenges &amp; answers</w:t></w:r><w:ins w:id="1" w:author="Ana Silva" w:date="2025-09-01T10:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins></w:p></w:body></w:document>"#
    );
    let comments = format!(
        r#"<?xml version="1.0"?><w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Ana Silva" w:initials="AS"><w:p><w:r><w:t>note</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ana Silva</dc:creator><cp:lastModifiedBy>ana.silva@example.org</cp:lastModifiedBy></cp:coreProperties>"#;
    let bytes = zip_of(&[
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("word/document.xml", document),
        ("word/comments.xml", comments),
        ("docProps/core.xml", core.to_string()),
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
    let again = inspect(&copy, "essay.docx", &Limits::default());
    assert_eq!(again.facts.pages, Some(1), "{:?}", again.facts.problems);
    assert!(
        again.details.metadata.is_empty(),
        "{:?}",
        again.details.metadata
    );
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
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );

    // Act
    let copy = anonymize(&pdf, &Limits::default()).unwrap();

    // Assert
    assert!(!String::from_utf8_lossy(&copy).contains("Ana Silva"));
    let again = inspect(&copy, "essay.pdf", &Limits::default());
    assert_eq!(again.facts.pages, Some(2), "{:?}", again.facts.problems);
    assert!(
        again.details.metadata.is_empty(),
        "{:?}",
        again.details.metadata
    );
}
